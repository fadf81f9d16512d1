"""Reform plans, their key projects, the three checkpoints (三关) and progress updates."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Exists, OuterRef, Q, Subquery, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.utils import bulk_create_with_history

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


STALE_DAYS = 30  # a project with no progress report for this long needs chasing (需催办)


def stale_cutoff(today=None):
    return (today or timezone.localdate()) - timedelta(days=STALE_DAYS)


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
    synthetic = models.BooleanField(
        _("演示数据"),
        default=False,
        help_text=_("由 generate_portfolio 生成的演示/压测计划；真实计划为否。"),
    )

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
            models.CheckConstraint(
                condition=~Q(title=""),
                name="plan_title_not_empty",
                violation_error_message=_("请填写计划名称。"),
            ),
        ]

    def __str__(self):
        return self.title

    def natural_key(self):
        return (self.year,)


class ProjectQuerySet(models.QuerySet):
    def _latest(self, field):
        """A subquery for ``field`` of the project's newest progress update."""
        latest = ProgressUpdate.objects.filter(project=OuterRef("pk")).order_by(
            "-reported_on", "-pk"
        )
        return Subquery(latest.values(field)[:1])

    def with_latest_progress(self):
        """Annotate the status, percent and date of each project's newest progress update."""
        return self.annotate(
            latest_status=self._latest("status"),
            latest_percent=self._latest("percent_complete"),
            latest_reported_on=self._latest("reported_on"),
        )

    def stale(self, today=None):
        """No progress report in the last 30 days, or never (需催办)."""
        return self.alias(last_report=self._latest("reported_on")).filter(
            Q(last_report__isnull=True) | Q(last_report__lt=stale_cutoff(today))
        )

    def overdue(self, today=None):
        """At least one checkpoint past its planned date and not passed (逾期)."""
        late = Checkpoint.objects.filter(
            project=OuterRef("pk"), planned_date__lt=today or timezone.localdate()
        ).exclude(status=GateStatus.PASSED)
        return self.filter(Exists(late))

    def with_gate(self, kind=None, status=None):
        """Projects with a checkpoint of ``kind`` (any kind if None) in ``status``."""
        gates = Checkpoint.objects.filter(project=OuterRef("pk"))
        if kind:
            gates = gates.filter(kind=kind)
        if status:
            gates = gates.filter(status=status)
        return self.filter(Exists(gates))

    def involving_unit(self, unit):
        """Projects the unit leads or takes part in."""
        through = Project.participating_units.through
        takes_part = through.objects.filter(project=OuterRef("pk"), unit=unit)
        return self.filter(Q(lead_unit=unit) | Exists(takes_part))

    def mine(self, user):
        """A leader's projects (their official record leads) or a liaison's (their unit's)."""
        if user.official_id:
            return self.filter(lead_official_id=user.official_id)
        if user.unit_id:
            return self.involving_unit(user.unit_id)
        return self.none()

    def for_portfolio(self):
        """What the dashboard matrix and the list show: leads, the three checkpoints and the
        latest progress, in two queries whatever the number of projects."""
        return (
            self.select_related("plan", "lead_official", "lead_unit")
            .prefetch_related("checkpoints")
            .with_latest_progress()
        )

    def for_export(self):
        """One ledger row per project, in a fixed number of queries."""
        return (
            self.for_portfolio()
            .prefetch_related(
                "participating_units",
                models.Prefetch(
                    "instructions",
                    queryset=Instruction.objects.open().select_related("official"),
                    to_attr="open_instructions",
                ),
            )
            .annotate(latest_summary=self._latest("summary"))
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
                models.Prefetch(
                    "instructions",
                    queryset=Instruction.objects.select_related(
                        "official", "author", "followed_up_by"
                    ),
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
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    objects = ProjectManager()
    history = HistoricalRecords(m2m_fields=[participating_units], excluded_fields=["version"])

    class Meta:
        verbose_name = _("改革项目")
        verbose_name_plural = _("改革项目")
        ordering = ["plan", "number"]
        permissions = [
            ("report_any_progress", _("可填报任一项目的进展")),
            ("report_unit_progress", _("可填报本单位牵头或参与项目的进展")),
            ("submit_any_checkpoint", _("可报审任一项目的关口")),
            ("submit_unit_checkpoint", _("可报审本单位牵头项目的关口")),
            ("review_checkpoint", _("可审核关口（通过、退回整改、重新打开）")),
            ("write_instruction", _("可作出领导批示")),
            ("follow_up_any_instruction", _("可登记任一项目批示的落实情况")),
            ("follow_up_unit_instruction", _("可登记本单位牵头项目批示的落实情况")),
            ("load_plan", _("可载入年度改革计划")),
        ]
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
            models.CheckConstraint(
                condition=~Q(title=""),
                name="project_title_not_empty",
                violation_error_message=_("请填写项目名称。"),
            ),
            models.CheckConstraint(
                condition=Q(domain__in=Domain.values),
                name="project_domain_valid",
                violation_error_message=_("领域无效。"),
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
    def number_label(self):
        """一、二… in Chinese, 1, 2… in other interface languages."""
        return self.number_cn if (get_language() or "zh").startswith("zh") else str(self.number)

    @property
    def is_stale(self):
        """Needs chasing: no report for 30 days (needs ``with_latest_progress``)."""
        last = getattr(self, "latest_reported_on", None)
        return last is None or last < stale_cutoff()

    @property
    def latest_status_label(self):
        """The label of the newest update's status (needs ``with_latest_progress``)."""
        status = getattr(self, "latest_status", None)
        return str(ProgressStatus(status).label) if status else ""

    # Who may do what on this project. Roles are groups with these permissions; a
    # liaison's permissions reach only the projects of their own unit.
    def _unit_ids(self):
        return {self.lead_unit_id, *(u.pk for u in self.participating_units.all())} - {None}

    def can_edit(self, user):
        return user.has_perm("projects.change_project")

    def can_report(self, user):
        if user.has_perm("projects.report_any_progress"):
            return True
        return (
            user.has_perm("projects.report_unit_progress")
            and user.unit_id is not None
            and user.unit_id in self._unit_ids()
        )

    def can_submit_checkpoints(self, user):
        if user.has_perm("projects.submit_any_checkpoint"):
            return True
        return (
            user.has_perm("projects.submit_unit_checkpoint")
            and user.unit_id is not None
            and user.unit_id == self.lead_unit_id
        )

    def can_review_checkpoints(self, user):
        return user.has_perm("projects.review_checkpoint")

    def can_write_instruction(self, user):
        return user.has_perm("projects.write_instruction")

    def can_follow_up_instructions(self, user):
        if user.has_perm("projects.follow_up_any_instruction"):
            return True
        return (
            user.has_perm("projects.follow_up_unit_instruction")
            and user.unit_id is not None
            and user.unit_id == self.lead_unit_id
        )

    def ensure_checkpoints(self):
        """Create whichever of the three checkpoints is missing; never touch existing ones."""
        existing = set(self.checkpoints.values_list("kind", flat=True))
        missing = [Checkpoint(project=self, kind=k) for k in GateKind.values if k not in existing]
        if missing:
            # with history, so the first decision on a gate shows what it changed
            bulk_create_with_history(missing, Checkpoint)


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
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["version"])

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

    def get_absolute_url(self):
        return reverse(
            "checkpoint_detail", args=[self.project.plan.year, self.project.number, self.kind]
        )

    @property
    def order(self):
        return GATE_ORDER[self.kind]

    @property
    def is_overdue(self):
        """Past its planned date and not passed (逾期)."""
        return (
            self.planned_date is not None
            and self.status != GateStatus.PASSED
            and self.planned_date < timezone.localdate()
        )

    @property
    def previous_kind(self):
        return GateKind.values[self.order - 1] if self.order else None

    def evidence_hint(self):
        """What the evidence note of a submission should say, gate by gate."""
        return {
            GateKind.PLAN: _("经批准的改革方案及批准单位、批准时间"),
            GateKind.IMPLEMENTATION: _("按方案已落实的改革举措"),
            GateKind.OUTCOME: _("对照改革目标取得的成效"),
        }[self.kind]

    # The three-checkpoint rules. Each ``check_*`` raises ValidationError with the reason.
    def _check_status(self, *allowed):
        if self.status not in allowed:
            raise ValidationError(
                _("「%(gate)s」当前状态为「%(status)s」，不能执行此操作。")
                % {"gate": self.get_kind_display(), "status": self.get_status_display()}
            )

    def _check_previous_passed(self, siblings):
        previous = self.previous_kind
        if previous is None:
            return
        prev = next(c for c in siblings if c.kind == previous)
        if prev.status != GateStatus.PASSED:
            raise ValidationError(
                _("「%(gate)s」须在「%(previous)s」通过后才能报审或通过。")
                % {"gate": self.get_kind_display(), "previous": prev.get_kind_display()}
            )

    def start(self, siblings, note=""):
        self._check_status(GateStatus.NOT_STARTED)
        self.status = GateStatus.IN_PROGRESS

    def submit(self, siblings, evidence):
        self._check_status(GateStatus.IN_PROGRESS, GateStatus.REWORK, GateStatus.NOT_STARTED)
        self._check_previous_passed(siblings)
        if not evidence.strip():
            raise ValidationError(
                _("报审须说明报审材料：%(hint)s。") % {"hint": self.evidence_hint()}
            )
        self.evidence = evidence.strip()
        self.status = GateStatus.SUBMITTED

    def approve(self, siblings, note):
        self._check_status(GateStatus.SUBMITTED)
        self._check_previous_passed(siblings)
        self.status = GateStatus.PASSED
        self.passed_on = timezone.localdate()
        if note.strip():
            self.assessment_notes = note.strip()

    def send_back(self, siblings, note):
        self._check_status(GateStatus.SUBMITTED)
        if not note.strip():
            raise ValidationError(_("退回整改须写明需要整改的内容。"))
        self.status = GateStatus.REWORK
        self.assessment_notes = note.strip()

    def reopen(self, siblings, reason):
        self._check_status(GateStatus.PASSED)
        blocked = (GateStatus.PASSED, GateStatus.SUBMITTED)
        later = [c for c in siblings if c.order > self.order and c.status in blocked]
        if later:
            raise ValidationError(
                _("「%(later)s」已报审或已通过，请先重新打开后面的关口。")
                % {"later": later[0].get_kind_display()}
            )
        if not reason.strip():
            raise ValidationError(_("重新打开已通过的关口须填写理由。"))
        self.status = GateStatus.IN_PROGRESS
        self.passed_on = None
        self.assessment_notes = reason.strip()


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
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

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

    def get_absolute_url(self):
        return reverse("update_edit", args=[self.pk])

    def can_edit(self, user):
        """Its author (while still allowed to report on the project) and the reform office."""
        if user.has_perm("projects.change_progressupdate"):
            return True
        return self.author_id == user.pk and self.project.can_report(user)


class InstructionStatus(models.TextChoices):
    OPEN = "open", _("待落实")
    DONE = "done", _("已落实")


class InstructionQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=InstructionStatus.OPEN)


class Instruction(models.Model):
    """A district leader's instruction (领导批示) on a project, and how it was carried out."""

    project = models.ForeignKey(
        Project, verbose_name=_("改革项目"), on_delete=models.CASCADE, related_name="instructions"
    )
    official = models.ForeignKey(
        Official,
        verbose_name=_("批示领导"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="instructions",
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="instructions_written",
    )
    issued_on = models.DateField(_("批示日期"), default=timezone.localdate)
    text = models.TextField(_("批示内容"))
    status = models.CharField(
        _("落实状态"), max_length=10, choices=InstructionStatus, default=InstructionStatus.OPEN
    )
    follow_up = models.TextField(_("落实情况"), blank=True)
    followed_up_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("落实登记人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="instructions_followed_up",
    )
    followed_up_on = models.DateField(_("落实日期"), null=True, blank=True)
    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)

    objects = InstructionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=["version"])

    class Meta:
        verbose_name = _("领导批示")
        verbose_name_plural = _("领导批示")
        ordering = ["-issued_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text=""),
                name="instruction_text_not_empty",
                violation_error_message=_("请填写批示内容。"),
            ),
            models.CheckConstraint(
                condition=Q(status__in=InstructionStatus.values),
                name="instruction_status_valid",
                violation_error_message=_("落实状态无效。"),
            ),
            models.CheckConstraint(
                condition=Q(status=InstructionStatus.OPEN)
                | (~Q(follow_up="") & Q(followed_up_on__isnull=False)),
                name="instruction_done_has_follow_up",
                violation_error_message=_("标记为已落实须填写落实情况和落实日期。"),
            ),
        ]

    def __str__(self):
        return f"{self.project.number_cn}、{self.project.title} · {self.issued_on:%Y-%m-%d}"
