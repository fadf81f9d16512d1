"""Organisational units, district officials and the people who sign in."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _


class UnitKind(models.TextChoices):
    PARTY_DEPARTMENT = "party", _("区委部门")
    GOVERNMENT_DEPARTMENT = "government", _("区政府工作部门")
    SUBDISTRICT = "subdistrict", _("街道")
    INSTITUTION = "institution", _("事业单位/学校")
    RESIDENT = "resident", _("驻区单位")
    OTHER = "other", _("其他")


class UnitManager(models.Manager):
    def get_by_natural_key(self, name):
        return self.get(name=name)


class Unit(models.Model):
    """An organisational unit: a Party or government department, a subdistrict, a school…

    Units lead and take part in reform projects; liaisons belong to one unit.
    """

    name = models.CharField(_("全称"), max_length=100)
    short_name = models.CharField(_("简称"), max_length=50, blank=True)
    kind = models.CharField(_("类别"), max_length=20, choices=UnitKind, default=UnitKind.OTHER)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )

    objects = UnitManager()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name"],
                name="unit_name_unique",
                violation_error_message=_("已存在同名单位。"),
            ),
            models.CheckConstraint(
                condition=~Q(name=""),
                name="unit_name_not_empty",
                violation_error_message=_("请填写单位全称。"),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=UnitKind.values),
                name="unit_kind_valid",
                violation_error_message=_("单位类别无效。"),
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")),
                name="unit_not_own_parent",
                violation_error_message=_("单位不能是自己的上级单位。"),
            ),
        ]

    def __str__(self):
        return self.short_name or self.name

    def natural_key(self):
        return (self.name,)


class OfficialManager(models.Manager):
    def get_by_natural_key(self, name, position):
        return self.get(name=name, position=position)


class Official(models.Model):
    """A district leader (区领导) who may lead reform projects, e.g. 区委书记 高自民."""

    name = models.CharField(_("姓名"), max_length=50)
    position = models.CharField(_("职务"), max_length=100)
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("所在单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="officials",
    )

    objects = OfficialManager()

    class Meta:
        verbose_name = _("区领导")
        verbose_name_plural = _("区领导")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name", "position"],
                name="official_name_position_unique",
                violation_error_message=_("已存在同名同职务的区领导。"),
            ),
        ]

    def __str__(self):
        return f"{self.name}（{self.position}）"

    def natural_key(self):
        return (self.name, self.position)


class User(AbstractUser):
    """A person who signs in: reform-office staff, a unit liaison, a leader or an admin.

    A user belongs to at most one unit and may be linked to one official record.
    """

    unit = models.ForeignKey(
        Unit,
        verbose_name=_("所属单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    official = models.OneToOneField(
        Official,
        verbose_name=_("对应区领导"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        ordering = ["username"]
        swappable = "AUTH_USER_MODEL"

    def __str__(self):
        full = self.get_full_name()
        return full or self.username
