"""Organisational units, district officials and the people who sign in."""

from django.contrib.auth.models import AbstractUser, Group
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .guarded import Guarded
from .querysets import AccountManager, OfficialManager, UnitManager

CYCLE_MESSAGE = _("上级单位不能是本单位的下级单位（单位层级不能循环）。")


class UnitKind(models.TextChoices):
    PARTY_DEPARTMENT = "party", _("区委部门")
    GOVERNMENT_DEPARTMENT = "government", _("区政府工作部门")
    SUBDISTRICT = "subdistrict", _("街道")
    INSTITUTION = "institution", _("事业单位/学校")
    RESIDENT = "resident", _("驻区单位")
    OTHER = "other", _("其他")


class Unit(Guarded, models.Model):
    """An organisational unit: a Party or government department, a subdistrict, a school…

    Units lead and take part in reform projects; liaisons belong to one unit. Units form a
    tree through ``parent``, which never loops (``would_be_own_ancestor``).
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
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("单位")
        verbose_name_plural = _("单位")
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["name"],
                name="unit_name_unique",
                violation_error_message=_("已存在同名单位。"),
                violation_error_code="unique",  # shown beside the field
            ),
            models.UniqueConstraint(
                fields=["short_name"],
                condition=~Q(short_name=""),
                name="unit_short_name_unique",
                violation_error_message=_("已有单位使用这个简称。"),
                violation_error_code="unique",
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

    ACCESS = {
        "list": ("can_list", _("您没有权限查看单位名录。")),
        "add": ("can_add", _("只有区委改革办和管理员可以新增单位。")),
        "edit": ("can_edit", _("只有区委改革办和管理员可以修改单位信息。")),
    }

    def __str__(self):
        return self.short_name or self.name

    def natural_key(self):
        return (self.name,)

    def can_list(self, user):
        return user.has_perm("units.view_unit")

    def can_add(self, user):
        return user.has_perm("units.add_unit")

    def can_edit(self, user):
        return user.has_perm("units.change_unit")

    def would_be_own_ancestor(self, links=None):
        """True when ``parent`` is this unit's child, grandchild…: the tree would loop.

        ``links`` maps each unit's id to its parent's id (read in one query when not
        given). Being its own parent is the ``unit_not_own_parent`` constraint's case."""
        if self.pk is None or self.parent_id is None or self.parent_id == self.pk:
            return False
        if links is None:
            links = dict(Unit.objects.values_list("pk", "parent_id"))
        seen, node = set(), self.parent_id
        while node is not None and node not in seen:
            if node == self.pk:
                return True
            seen.add(node)
            node = links.get(node)
        return False

    def clean(self):
        super().clean()
        self.name = self.name.strip()
        self.short_name = self.short_name.strip()
        if self.would_be_own_ancestor():
            raise ValidationError({"parent": CYCLE_MESSAGE})


class Official(Guarded, models.Model):
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
    history = HistoricalRecords()

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

    ACCESS = {
        "list": ("can_list", _("您没有权限查看区领导名录。")),
        "add": ("can_add", _("只有区委改革办和管理员可以新增区领导。")),
        "edit": ("can_edit", _("只有区委改革办和管理员可以修改区领导信息。")),
    }

    def __str__(self):
        return f"{self.name}（{self.position}）"

    def natural_key(self):
        return (self.name, self.position)

    def can_list(self, user):
        return user.has_perm("units.view_official")

    def can_add(self, user):
        return user.has_perm("units.add_official")

    def can_edit(self, user):
        return user.has_perm("units.change_official")

    def clean(self):
        super().clean()
        self.name, self.position = self.name.strip(), self.position.strip()


def grants_account_management(groups):
    """Whether any of ``groups`` (roles) gives the right to manage accounts (管理员)."""
    return Group.objects.filter(
        pk__in=[g.pk for g in groups],
        permissions__content_type__app_label="units",
        permissions__codename="change_user",
    ).exists()


class User(Guarded, AbstractUser):
    """A person who signs in: reform-office staff, a unit liaison, a leader or an admin.

    A user belongs to at most one unit and may be linked to one official record. Accounts
    are deactivated, never deleted, in the app. ``must_change_password`` is set with a
    temporary password; until the person sets their own, every page leads to the password
    change page (``units.middleware``). Changes are recorded (simple-history without the
    password hash and the last sign-in; roles in ``RoleChange``).
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
    must_change_password = models.BooleanField(
        _("须修改密码"),
        default=False,
        help_text=_("持临时密码：下次登录后须先修改密码。"),
    )

    objects = AccountManager()
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta(AbstractUser.Meta):
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        ordering = ["username"]
        swappable = "AUTH_USER_MODEL"

    ACCESS = {
        "list": ("can_list", _("只有管理员可以管理账号。")),
        "add": ("can_add", _("只有管理员可以新建账号。")),
        "edit": ("can_edit", _("只有管理员可以修改账号；超级用户的账号只有超级用户可以修改。")),
        "deactivate": ("can_be_deactivated_by", _("您不能停用自己的账号。")),
        "reset_password": (
            "can_get_temporary_password_from",
            _("不能给自己设置临时密码，请在“修改密码”页面修改。"),
        ),
    }

    def __str__(self):
        full = self.get_full_name()
        return full or self.username

    # Who may do what with this account; ``actor`` is the person asking.
    def can_list(self, actor):
        return actor.has_perm("units.view_user")

    def can_add(self, actor):
        return actor.has_perm("units.add_user")

    def can_edit(self, actor):
        """Administrators; a superuser's account only by a superuser (a temporary password
        set on it would otherwise hand its powers over)."""
        if self.is_superuser and not actor.is_superuser:
            return False
        return actor.has_perm("units.change_user")

    def can_be_deactivated_by(self, actor):
        return self.can_edit(actor) and actor.pk != self.pk

    def can_get_temporary_password_from(self, actor):
        return self.can_edit(actor) and actor.pk != self.pk

    def check_own_roles(self, actor, groups):
        """An administrator editing their own account keeps a role that manages accounts,
        or nobody might be left to manage them (a superuser needs no role)."""
        if actor.pk == self.pk and not actor.is_superuser and not grants_account_management(groups):
            raise ValidationError(_("您不能取消自己的管理员角色。"), code="own_role")

    # Passwords
    def set_password(self, raw_password):
        """A password the person sets (their own change, a reset by email) ends the
        temporary one's duty to be changed."""
        super().set_password(raw_password)
        self.must_change_password = False

    def set_temporary_password(self, raw_password):
        """A password given by an administrator: to be changed at the next sign-in."""
        self.set_password(raw_password)
        self.must_change_password = True

    def save(self, *args, update_fields=None, **kwargs):
        # Signing in writes last_login, and a hasher upgrade the hash: neither is a change
        # to record (both are left out of the history).
        quiet = update_fields is not None and set(update_fields) <= {"last_login", "password"}
        if quiet:
            self.skip_history_when_saving = True
        try:
            super().save(*args, update_fields=update_fields, **kwargs)
        finally:
            if quiet:
                del self.skip_history_when_saving


class RoleChange(models.Model):
    """A role (group) given to or taken from an account, when and by whom.

    Written by ``units.signals`` whenever the link between users and groups changes, from
    either side and from anywhere (this app, the admin site, a shell): simple-history's
    own many-to-many tracking records only changes made from the user's side. The role is
    kept by name, as it was called then.
    """

    user = models.ForeignKey(
        User, verbose_name=_("账号"), on_delete=models.CASCADE, related_name="role_changes"
    )
    role = models.CharField(_("角色"), max_length=150)
    added = models.BooleanField(_("授予"), help_text=_("是：授予该角色；否：取消该角色。"))
    changed_by = models.ForeignKey(
        User,
        verbose_name=_("操作人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("时间"), default=timezone.now)

    class Meta:
        verbose_name = _("角色变更")
        verbose_name_plural = _("角色变更")
        ordering = ["changed_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(role=""),
                name="rolechange_role_not_empty",
                violation_error_message=_("角色变更须写明角色。"),
            ),
        ]

    def __str__(self):
        sign = "+" if self.added else "−"
        return f"{self.user} {sign}{self.role}"
