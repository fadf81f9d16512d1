"""Meetings of the district's comprehensive-deepening-reform leading group (领导小组会议),
their agenda and what they decided."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from units.models import Official, Unit

from ..choices import DecisionKind, chinese_number
from .checkpoint import Checkpoint
from .guarded import Guarded
from .plan import ReformPlan
from .project import Project

LEADING_GROUP = "区委全面深化改革领导小组"


class MeetingManager(models.Manager):
    def get_by_natural_key(self, sequence):
        return self.get(sequence=sequence)


class Meeting(Guarded, models.Model):
    """One meeting of the leading group, e.g. its 13th, which approved the 2017 plan.

    The date is left empty when the source does not give it (the 2017 article says 昨日).
    """

    sequence = models.PositiveSmallIntegerField(_("届次"), help_text=_("第几次会议"))
    held_on = models.DateField(_("会议日期"), null=True, blank=True)
    chair = models.ForeignKey(
        Official,
        verbose_name=_("主持人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chaired_meetings",
    )
    attendees = models.ManyToManyField(
        Official, verbose_name=_("出席的区领导"), blank=True, related_name="meetings_attended"
    )
    other_attendees = models.TextField(_("其他出席人员"), blank=True)
    requirements = models.TextField(_("会议要求"), blank=True)
    source_note = models.TextField(_("资料说明"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    objects = MeetingManager()
    history = HistoricalRecords(m2m_fields=[attendees])

    class Meta:
        app_label = "projects"
        verbose_name = _("领导小组会议")
        verbose_name_plural = _("领导小组会议")
        ordering = ["-sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["sequence"],
                name="meeting_sequence_unique",
                violation_error_message=_("已有同一届次的会议记录。"),
            ),
            models.CheckConstraint(
                condition=Q(sequence__gte=1),
                name="meeting_sequence_positive",
                violation_error_message=_("会议届次须从1开始。"),
            ),
        ]

    ACCESS = {
        "read": ("can_read", _("您没有权限查看会议记录。")),
        "manage": ("can_manage", _("只有区委改革办可以记录领导小组会议。")),
    }

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("meeting_detail", args=[self.pk])

    def natural_key(self):
        return (self.sequence,)

    natural_key.dependencies = ["units.official"]

    @property
    def title(self):
        return f"{LEADING_GROUP}第{chinese_number(self.sequence)}次会议"

    def can_read(self, user):
        return user.has_perm("projects.view_meeting")

    def can_manage(self, user):
        return user.has_perm("projects.change_meeting")


class MeetingPartManager(models.Manager):
    """Agenda items and decisions are known by their meeting and position."""

    def get_by_natural_key(self, sequence, position):
        return self.get(meeting__sequence=sequence, position=position)


class AgendaItem(models.Model):
    """An item on a meeting's agenda: what was reported or discussed, and by whom."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="agenda"
    )
    position = models.PositiveSmallIntegerField(_("议程序号"))
    topic = models.TextField(_("议题"))
    presenters = models.ManyToManyField(
        Unit, verbose_name=_("汇报单位"), blank=True, related_name="agenda_items"
    )
    presenters_note = models.CharField(_("汇报单位（补充）"), max_length=200, blank=True)

    objects = MeetingPartManager()
    history = HistoricalRecords(m2m_fields=[presenters])

    class Meta:
        app_label = "projects"
        verbose_name = _("会议议程")
        verbose_name_plural = _("会议议程")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"],
                name="agenda_position_unique",
                violation_error_message=_("同一会议的议程序号不能重复。"),
            ),
            models.CheckConstraint(
                condition=~Q(topic=""),
                name="agenda_topic_not_empty",
                violation_error_message=_("请填写议题。"),
            ),
        ]

    def __str__(self):
        return f"{self.meeting} · {self.position}"

    def natural_key(self):
        return (self.meeting.sequence, self.position)

    natural_key.dependencies = ["projects.meeting", "units.unit"]


class DecisionQuerySet(models.QuerySet):
    def shown(self):
        """With what pages show of each decision, in one query."""
        return self.select_related(
            "meeting", "plan", "project__plan", "checkpoint__project__plan", "unit"
        )


class DecisionManager(MeetingPartManager.from_queryset(DecisionQuerySet)):
    pass


class Decision(models.Model):
    """What a meeting decided: it may approve a plan (→ 审议通过), approve a project's
    方案关 (重大方案亲自把关) or assign a task. Each links to what it decided and shows on
    that plan, project or checkpoint's page."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.CASCADE, related_name="decisions"
    )
    position = models.PositiveSmallIntegerField(_("序号"))
    kind = models.CharField(_("决定类型"), max_length=30, choices=DecisionKind)
    text = models.TextField(_("决定内容"))
    plan = models.ForeignKey(
        ReformPlan,
        verbose_name=_("改革计划"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("改革项目"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
    )
    checkpoint = models.ForeignKey(
        Checkpoint,
        verbose_name=_("关口"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
    )
    unit = models.ForeignKey(
        Unit,
        verbose_name=_("责任单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
    )
    due_on = models.DateField(_("完成时限"), null=True, blank=True)

    objects = DecisionManager()
    history = HistoricalRecords()

    class Meta:
        app_label = "projects"
        verbose_name = _("会议决定")
        verbose_name_plural = _("会议决定")
        ordering = ["meeting", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "position"],
                name="decision_position_unique",
                violation_error_message=_("同一会议的决定序号不能重复。"),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=DecisionKind.values),
                name="decision_kind_valid",
                violation_error_message=_("决定类型无效。"),
            ),
            models.CheckConstraint(
                condition=~Q(kind=DecisionKind.APPROVE_PLAN) | Q(plan__isnull=False),
                name="decision_plan_names_the_plan",
                violation_error_message=_("审议通过计划的决定须指明计划。"),
            ),
            models.CheckConstraint(
                condition=~Q(kind=DecisionKind.APPROVE_CHECKPOINT) | Q(checkpoint__isnull=False),
                name="decision_checkpoint_names_it",
                violation_error_message=_("审议通过项目方案的决定须指明项目。"),
            ),
        ]

    def __str__(self):
        return f"{self.meeting} · {self.get_kind_display()}"

    def natural_key(self):
        return (self.meeting.sequence, self.position)

    natural_key.dependencies = ["projects.meeting", "projects.reformplan", "projects.project"]
