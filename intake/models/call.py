"""A call for proposals (征集通知) for a year's plan."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.models import ReformPlan
from projects.models.guarded import Guarded
from units.models import Unit

MANAGE = "intake.manage_intake"
PROPOSE = "intake.propose_for_unit"


class Call(Guarded, models.Model):
    """The reform office's call for reform proposals for one year's plan: the window it is
    open (opens_on to closes_on, both days included) and the units it goes to (区直单位、
    街道、驻区单位). One call per plan."""

    plan = models.OneToOneField(
        ReformPlan, verbose_name=_("改革计划"), on_delete=models.PROTECT, related_name="intake_call"
    )
    opens_on = models.DateField(_("征集开始日期"))
    closes_on = models.DateField(_("征集截止日期"))
    units = models.ManyToManyField(
        Unit, verbose_name=_("征集对象单位"), related_name="intake_calls"
    )
    notice = models.TextField(_("征集说明"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("发起人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    class Meta:
        verbose_name = _("项目征集")
        verbose_name_plural = _("项目征集")
        ordering = ["-plan__year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_on__gte=F("opens_on")),
                name="call_closes_after_it_opens",
                violation_error_message=_("征集截止日期不能早于开始日期。"),
            ),
        ]

    ACCESS = {
        "read": ("can_read", _("您没有权限查看项目征集。")),
        "manage": ("can_manage", _("只有区委改革办可以组织项目征集。")),
        "propose": ("can_propose", _("本次征集不面向您所在的单位，或征集不在开放期内。")),
    }

    def __str__(self):
        return _("%(year)s年度改革项目征集") % {"year": self.plan.year}

    def get_absolute_url(self):
        return reverse("intake:call_detail", args=[self.plan.year])

    @property
    def year(self):
        return self.plan.year

    def is_open(self, today=None):
        today = today or timezone.localdate()
        return self.opens_on <= today <= self.closes_on

    def goes_to(self, unit_id):
        return bool(unit_id) and self.units.filter(pk=unit_id).exists()

    def can_read(self, user):
        return user.has_perm("intake.view_call")

    def can_manage(self, user):
        return user.has_perm(MANAGE) and not self.plan.is_closed

    def can_propose(self, user):
        """The office records proposals at any time (paper ones too); a liaison, for their
        own unit, while the call is open and if it goes to their unit."""
        if self.plan.is_closed:
            return False
        if user.has_perm(MANAGE):
            return True
        return user.has_perm(PROPOSE) and self.is_open() and self.goes_to(user.unit_id)
