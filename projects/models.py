"""Reform plans, their key projects, the three checkpoints (三关) and progress updates."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, OuterRef, Q, Subquery, Value, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from units.models import Official, Unit

CHINESE_DIGITS = "零一二三四五六七八九"


def chinese_number(n):
    """1 → 一, 10 → 十, 11 → 十一, 23 → 二十三 (the plan numbers its projects this way)."""
    if n < 10:
        return CHINESE_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        head = "" if tens == 1 else CHINESE_DIGITS[tens]
        return head + "十" + (CHINESE_DIGITS[ones] if ones else "")
    return str(n)


class Domain(models.TextChoices):
    GOVERNMENT_FUNCTIONS = "government", _("政府职能转变")
    ECONOMY = "economy", _("经济发展")
    URBAN = "urban", _("城市建设")
    SOCIAL = "social", _("社会管理")
    LIVELIHOOD = "livelihood", _("民生事业")


class ProgressStatus(models.TextChoices):
    ON_TRACK = "on_track", _("正常")
    WARNING = "warning", _("预警")
    DELAYED = "delayed", _("滞后")


class GateKind(models.TextChoices):
    """The three checkpoints every project must pass, in this order."""

    PLAN = "plan", _("方案关")
    IMPLEMENTATION = "implementation", _("实施关")
    OUTCOME = "outcome", _("成效关")


GATE_ORDER = {kind: index for index, kind in enumerate(GateKind.values)}
GATE_ORDERING = Case(
    *(When(kind=kind, then=Value(index)) for kind, index in GATE_ORDER.items()),
    default=Value(len(GATE_ORDER)),
)


class GateStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("未开始")
    IN_PROGRESS = "in_progress", _("进行中")
    SUBMITTED = "submitted", _("待审核")
    PASSED = "passed", _("已通过")
    REWORK = "rework", _("需整改")


class PlanManager(models.Manager):
    def get_by_natural_key(self, year):
        return self.get(year=year)


class ReformPlan(models.Model):
    """A year's reform plan, e.g. 《龙岗区2017年改革计划》, and the meeting that approved it."""

    year = models.PositiveSmallIntegerField(_("年度"))
    title = models.CharField(_("名称"), max_length=200)
    approved_by = models.CharField(_("审议通过的会议"), max_length=200, blank=True)
    approved_on = models.DateField(_("审议通过日期"), null=True, blank=True)
    summary = models.TextField(_("计划概况"), blank=True)
    source_note = models.TextField(_("来源说明"), blank=True)

    objects = PlanManager()

    class Meta:
        verbose_name = _("改革计划")
        verbose_name_plural = _("改革计划")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["year"],
                name="plan_year_unique",
                violation_error_message=_("该年度已有改革计划。"),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="plan_year_range",
                violation_error_message=_("年度须在2000至2100之间。"),
            ),
        ]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.year,)


class ProjectQuerySet(models.QuerySet):
    def with_latest_progress(self):
        """Annotate the status, percent and date of each project's newest progress update."""
        latest = ProgressUpdate.objects.filter(project=OuterRef("pk")).order_by(
            "-reported_on", "-pk"
        )
        return self.annotate(
            latest_status=Subquery(latest.values("status")[:1]),
            latest_percent=Subquery(latest.values("percent_complete")[:1]),
            latest_reported_on=Subquery(latest.values("reported_on")[:1]),
        )

    def for_portfolio(self):
        """What the portfolio list shows: leads, units and the three checkpoints, in 4 queries."""
        return (
            self.select_related("plan", "lead_official", "lead_unit")
            .prefetch_related("checkpoints")
            .with_latest_progress()
        )

    def for_detail(self):
        """Everything the project page shows, in a fixed number of queries."""
        return (
            self.select_related("plan", "lead_official", "lead_unit")
            .prefetch_related(
                "participating_units",
                "checkpoints",
                models.Prefetch(
                    "updates",
                    queryset=ProgressUpdate.objects.select_related("author"),
                ),
            )
            .with_latest_progress()
        )


class ProjectManager(models.Manager.from_queryset(ProjectQuerySet)):
    def get_by_natural_key(self, year, number):
        return self.get(plan__year=year, number=number)


class Project(models.Model):
    """One key reform project (重点改革项目) of a plan, led by a district leader and a unit.

    Its texts quote the plan as published; ``source_text`` keeps the whole paragraph and
    ``problem`` / ``content`` / ``goals`` are its parts, word for word.
    """

    plan = models.ForeignKey(
        ReformPlan, verbose_name=_("改革计划"), on_delete=models.PROTECT, related_name="projects"
    )
    number = models.PositiveSmallIntegerField(_("序号"), validators=[MinValueValidator(1)])
    title = models.CharField(_("项目名称"), max_length=200)
    domain = models.CharField(_("领域"), max_length=20, choices=Domain)
    problem = models.TextField(_("拟解决的问题"), blank=True)
    principles = models.TextField(_("基本原则"), blank=True)
    content = models.TextField(_("改革内容"), blank=True)
    innovation = models.TextField(_("创新性和领先性"), blank=True)
    goals = models.TextField(_("改革目标"), blank=True)
    source_text = models.TextField(_("计划原文"), blank=True)
    lead_official = models.ForeignKey(
        Official,
        verbose_name=_("牵头区领导"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_projects",
    )
    lead_unit = models.ForeignKey(
        Unit,
        verbose_name=_("牵头单位"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="led_projects",
    )
    participating_units = models.ManyToManyField(
        Unit, verbose_name=_("参与单位"), blank=True, related_name="participating_projects"
    )
    city_plan_note = models.TextField(_("在全市改革计划中的位置"), blank=True)
    source_note = models.TextField(
        _("资料说明"), blank=True, help_text=_("哪些信息出自原文，哪些为推断。")
    )

    objects = ProjectManager()

    class Meta:
        verbose_name = _("改革项目")
        verbose_name_plural = _("改革项目")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "number"],
                name="project_number_unique_per_plan",
                violation_error_message=_("同一改革计划中项目序号不能重复。"),
            ),
            models.CheckConstraint(
                condition=Q(number__gte=1),
                name="project_number_positive",
                violation_error_message=_("项目序号须从1开始。"),
            ),
        ]

    def __str__(self):
        return f"{self.number_cn}、{self.title}"

    def get_absolute_url(self):
        return reverse("project_detail", args=[self.plan.year, self.number])

    def natural_key(self):
        return (self.plan.year, self.number)

    natural_key.dependencies = ["projects.reformplan", "units.unit", "units.official"]

    @property
    def number_cn(self):
        return chinese_number(self.number)

    @property
    def latest_status_label(self):
        """The label of the newest update's status (needs ``with_latest_progress``)."""
        status = getattr(self, "latest_status", None)
        return ProgressStatus(status).label if status else ""

    def ensure_checkpoints(self):
        """Create whichever of the three checkpoints is missing; never touch existing ones."""
        existing = set(self.checkpoints.values_list("kind", flat=True))
        missing = [Checkpoint(project=self, kind=k) for k in GateKind.values if k not in existing]
        if missing:
            Checkpoint.objects.bulk_create(missing)


class Checkpoint(models.Model):
    """One of a project's three checkpoints (三关): 方案关, 实施关 or 成效关."""

    project = models.ForeignKey(
        Project, verbose_name=_("改革项目"), on_delete=models.CASCADE, related_name="checkpoints"
    )
    kind = models.CharField(_("关口"), max_length=20, choices=GateKind)
    status = models.CharField(
        _("状态"), max_length=20, choices=GateStatus, default=GateStatus.NOT_STARTED
    )
    planned_date = models.DateField(_("计划完成日期"), null=True, blank=True)
    passed_on = models.DateField(_("通过日期"), null=True, blank=True)
    evidence = models.TextField(_("报审材料说明"), blank=True)
    assessment_notes = models.TextField(_("审核意见"), blank=True)

    class Meta:
        verbose_name = _("关口")
        verbose_name_plural = _("关口")
        ordering = ["project", GATE_ORDERING.asc()]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "kind"],
                name="checkpoint_one_per_kind",
                violation_error_message=_("每个项目的每一关只能有一条记录。"),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=GateKind.values),
                name="checkpoint_kind_valid",
                violation_error_message=_("关口只能是方案关、实施关或成效关。"),
            ),
            models.CheckConstraint(
                condition=Q(status__in=GateStatus.values),
                name="checkpoint_status_valid",
                violation_error_message=_("关口状态无效。"),
            ),
            models.CheckConstraint(
                condition=Q(status=GateStatus.PASSED, passed_on__isnull=False)
                | (~Q(status=GateStatus.PASSED) & Q(passed_on__isnull=True)),
                name="checkpoint_passed_has_date",
                violation_error_message=_("已通过的关口须有通过日期，未通过的关口不能有通过日期。"),
            ),
        ]

    def __str__(self):
        return f"{self.project.number_cn}、{self.project.title} · {self.get_kind_display()}"

    @property
    def order(self):
        return GATE_ORDER[self.kind]


class ProgressUpdate(models.Model):
    """A dated progress report (进展) on a project; the newest sets its current status."""

    project = models.ForeignKey(
        Project, verbose_name=_("改革项目"), on_delete=models.CASCADE, related_name="updates"
    )
    reported_on = models.DateField(_("报告日期"))
    summary = models.TextField(_("工作进展"))
    next_steps = models.TextField(_("下一步计划"), blank=True)
    problems = models.TextField(_("存在问题"), blank=True)
    coordination_needed = models.TextField(_("需区领导协调事项"), blank=True)
    status = models.CharField(_("进展状态"), max_length=20, choices=ProgressStatus)
    percent_complete = models.PositiveSmallIntegerField(
        _("完成进度（%）"), validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("填报人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="progress_updates",
    )
    created_at = models.DateTimeField(_("填报时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("进展报告")
        verbose_name_plural = _("进展报告")
        ordering = ["-reported_on", "-pk"]
        indexes = [
            models.Index(fields=["project", "-reported_on", "-id"], name="update_project_latest"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent_complete__gte=0) & Q(percent_complete__lte=100),
                name="update_percent_0_100",
                violation_error_message=_("完成进度须在0到100之间。"),
            ),
            models.CheckConstraint(
                condition=Q(status__in=ProgressStatus.values),
                name="update_status_valid",
                violation_error_message=_("进展状态只能是正常、预警或滞后。"),
            ),
            models.CheckConstraint(
                condition=~Q(summary=""),
                name="update_summary_not_empty",
                violation_error_message=_("请填写工作进展。"),
            ),
        ]

    def __str__(self):
        return f"{self.project} · {self.reported_on:%Y-%m-%d}"
