"""The enumerations of the reform tracker, each value with its label and its look.

A status's label, icon and CSS class are defined here once; templates, exports and the
charts all read them from here (``CheckpointStatus.PASSED.icon``, ``.css_class``).
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

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


def is_chinese():
    """Whether the interface speaks Chinese now (punctuation and numbering follow it)."""
    return (get_language() or "zh").startswith("zh")


# Punctuation by interface language: Chinese keeps its full-width marks and 一、 numbering.
PUNCTUATION = {
    "colon": ("：", ": "),
    "list": ("、", ", "),
    "number": ("、", ". "),
    "open": ("（", " ("),
    "close": ("）", ")"),
}


def punct(name):
    chinese, other = PUNCTUATION[name]
    return chinese if is_chinese() else other


@dataclass(frozen=True)
class Look:
    """How a status is shown: an icon (so it survives black-and-white printing) and the
    CSS class that colours it (one rule per status in app.css)."""

    icon: str
    css_class: str


class Presented:
    """Mixin for TextChoices whose members each have a ``Look`` in the class's ``LOOKS``
    (a dict defined after the class, keyed by value)."""

    @property
    def look(self):
        return LOOKS[type(self).__name__][self.value]

    @property
    def icon(self):
        return self.look.icon

    @property
    def css_class(self):
        return self.look.css_class


class Domain(models.TextChoices):
    GOVERNMENT_FUNCTIONS = "government", _("政府职能转变")
    ECONOMY = "economy", _("经济发展")
    URBAN = "urban", _("城市建设")
    SOCIAL = "social", _("社会管理")
    LIVELIHOOD = "livelihood", _("民生事业")


class ProgressStatus(Presented, models.TextChoices):
    """A project's status in its newest progress report; NOT_REPORTED when it has none
    (a value for filters, figures and charts, never stored)."""

    ON_TRACK = "on_track", _("正常")
    WARNING = "warning", _("预警")
    DELAYED = "delayed", _("滞后")


# "None reported" sits beside the stored statuses in filters, figures and charts.
NOT_REPORTED = "none"
NOT_REPORTED_LABEL = _("未报告")
NOT_REPORTED_CSS = "progress-none"
# Statuses in chart order, with "none reported" last.
PROGRESS_ORDER = [*ProgressStatus.values, NOT_REPORTED]


def progress_choices():
    """Stored statuses plus 未报告, for filters."""
    return [*ProgressStatus.choices, (NOT_REPORTED, NOT_REPORTED_LABEL)]


class CheckpointKind(models.TextChoices):
    """The three checkpoints (三关) every project must pass, in this order."""

    PLAN = "plan", _("方案关")
    IMPLEMENTATION = "implementation", _("实施关")
    OUTCOME = "outcome", _("成效关")

    @property
    def order(self):
        return CheckpointKind.values.index(self.value)

    @property
    def previous(self):
        """The kind that must pass before this one, or None for 方案关."""
        return CheckpointKind(CheckpointKind.values[self.order - 1]) if self.order else None

    @property
    def evidence_hint(self):
        """What a submission's evidence note should say, checkpoint by checkpoint."""
        return EVIDENCE_HINTS[self.value]


EVIDENCE_HINTS = {
    CheckpointKind.PLAN: _("经批准的改革方案及批准单位、批准时间"),
    CheckpointKind.IMPLEMENTATION: _("按方案已落实的改革举措"),
    CheckpointKind.OUTCOME: _("对照改革目标取得的成效"),
}


class CheckpointStatus(Presented, models.TextChoices):
    """Where a checkpoint stands; the moves between them are ``checkpoints.TRANSITIONS``."""

    NOT_STARTED = "not_started", _("未开始")
    IN_PROGRESS = "in_progress", _("进行中")
    SUBMITTED = "submitted", _("待审核")
    PASSED = "passed", _("已通过")
    REWORK = "rework", _("需整改")


class InstructionStatus(Presented, models.TextChoices):
    """An instruction's life; the moves are ``instruction.INSTRUCTION_STEPS``."""

    OPEN = "open", _("待落实")
    DONE = "done", _("已落实")
    CLOSED = "closed", _("办结")
    WITHDRAWN = "withdrawn", _("已撤回")


OVERDUE_LABEL = _("逾期")
OVERDUE_LOOK = Look("!", "overdue")
STALE_LABEL = _("需催办")

LOOKS = {
    "ProgressStatus": {
        ProgressStatus.ON_TRACK: Look("●", "progress-on_track"),
        ProgressStatus.WARNING: Look("▲", "progress-warning"),
        ProgressStatus.DELAYED: Look("■", "progress-delayed"),
    },
    "CheckpointStatus": {
        CheckpointStatus.NOT_STARTED: Look("○", "checkpoint-not_started"),
        CheckpointStatus.IN_PROGRESS: Look("▶", "checkpoint-in_progress"),
        CheckpointStatus.SUBMITTED: Look("…", "checkpoint-submitted"),
        CheckpointStatus.PASSED: Look("✓", "checkpoint-passed"),
        CheckpointStatus.REWORK: Look("!", "checkpoint-rework"),
    },
    "InstructionStatus": {
        InstructionStatus.OPEN: Look("…", "instruction-open"),
        InstructionStatus.DONE: Look("✓", "instruction-done"),
        InstructionStatus.CLOSED: Look("■", "instruction-closed"),
        InstructionStatus.WITHDRAWN: Look("×", "instruction-withdrawn"),
    },
}


class Record:
    """What a history row says happened. Stored in Chinese, as the record of the office
    (a code that reads as itself), and shown in the reader's language; the checkpoint moves
    add their own (``Transition.record_label``)."""

    LOADED = "载入计划"
    BASELINE = "版本基线"
    SCHEDULED = "调整计划完成日期"
    FOLLOWED_UP = "登记落实情况"
    PLAN_CREATED = "新建计划"
    PROJECT_ADDED = "新增项目"
    PROJECT_WITHDRAWN = "撤销项目"
    PERIOD_OPENED = "开启报告期"
    PERIOD_CLOSED = "关闭报告期"
    REPORT_CORRECTED = "更正报告"
    PROJECT_CORRECTED = "更正项目信息"
    # the year's end (projects/closing.py)
    CLOSEOUT_APPLIED = "申请销号"
    CLOSED_OUT = "销号"
    CLOSEOUT_RETURNED = "退回销号申请"
    ASSESSED = "年度评定"
    CARRIED_TO = "结转至"
    CARRIED_FROM = "结转自"
    PROJECT_STOPPED = "终止项目"
    LABELS = {
        LOADED: pgettext_lazy("history", "载入计划"),
        BASELINE: pgettext_lazy("history", "版本基线"),
        SCHEDULED: pgettext_lazy("history", "调整计划完成日期"),
        FOLLOWED_UP: pgettext_lazy("history", "登记落实情况"),
        PLAN_CREATED: pgettext_lazy("history", "新建计划"),
        PROJECT_ADDED: pgettext_lazy("history", "新增项目"),
        PROJECT_WITHDRAWN: pgettext_lazy("history", "撤销项目"),
        PERIOD_OPENED: pgettext_lazy("history", "开启报告期"),
        PERIOD_CLOSED: pgettext_lazy("history", "关闭报告期"),
        REPORT_CORRECTED: pgettext_lazy("history", "更正报告"),
        PROJECT_CORRECTED: pgettext_lazy("history", "更正项目信息"),
        CLOSEOUT_APPLIED: pgettext_lazy("history", "申请销号"),
        CLOSED_OUT: pgettext_lazy("history", "销号"),
        CLOSEOUT_RETURNED: pgettext_lazy("history", "退回销号申请"),
        ASSESSED: pgettext_lazy("history", "年度评定"),
        CARRIED_TO: pgettext_lazy("history", "结转至"),
        CARRIED_FROM: pgettext_lazy("history", "结转自"),
        PROJECT_STOPPED: pgettext_lazy("history", "终止项目"),
    }


class PlanStatus(Presented, models.TextChoices):
    """A year's plan from draft to year end; the moves are ``plan.PLAN_STEPS``."""

    DRAFT = "draft", _("起草")
    SUBMITTED = "submitted", _("送审稿")
    APPROVED = "approved", _("审议通过")
    IN_PROGRESS = "in_progress", _("执行中")
    CLOSED = "closed", _("已总结")


class ProjectTier(models.TextChoices):
    """The article's three kinds of reform task: tasks set by the centre, province or city
    that every department carries out, the district's key projects, and units' own."""

    HIGHER = "higher", _("上级部署")
    DISTRICT = "district", _("区重点")
    UNIT = "unit", _("单位自主")


class IssuingLevel(models.TextChoices):
    """Who set a 上级部署 task."""

    CENTRAL = "central", _("中央")
    PROVINCE = "province", _("省")
    CITY = "city", _("市")


class ProjectStanding(Presented, models.TextChoices):
    """Whether a project is on its plan's list and how it ended: withdrawn (撤销) during
    the year, closed out (销号) once its results are verified, carried over (结转) into
    the next year's plan or stopped (终止) at year end. Never deleted."""

    ACTIVE = "active", _("在册")
    WITHDRAWN = "withdrawn", _("已撤销")
    CLOSED_OUT = "closed_out", _("已销号")
    CARRIED_OVER = "carried_over", _("已结转")
    STOPPED = "stopped", _("已终止")


class AdjustmentKind(models.TextChoices):
    """A change to an approved plan (计划调整)."""

    ADDED = "added", _("新增项目")
    CHANGED = "changed", _("调整项目")
    WITHDRAWN = "withdrawn", _("撤销项目")


class DecisionKind(models.TextChoices):
    """What a leading-group meeting decided."""

    APPROVE_PLAN = "approve_plan", _("审议通过年度改革计划")
    APPROVE_CHECKPOINT = "approve_checkpoint", _("审议通过项目方案（方案关）")
    ASSIGN_TASK = "assign_task", _("部署任务")


LOOKS["PlanStatus"] = {
    PlanStatus.DRAFT: Look("○", "plan-draft"),
    PlanStatus.SUBMITTED: Look("…", "plan-submitted"),
    PlanStatus.APPROVED: Look("✓", "plan-approved"),
    PlanStatus.IN_PROGRESS: Look("▶", "plan-in_progress"),
    PlanStatus.CLOSED: Look("■", "plan-closed"),
}
LOOKS["ProjectStanding"] = {
    ProjectStanding.ACTIVE: Look("●", "standing-active"),
    ProjectStanding.WITHDRAWN: Look("×", "standing-withdrawn"),
    ProjectStanding.CLOSED_OUT: Look("✓", "standing-closed_out"),
    ProjectStanding.CARRIED_OVER: Look("→", "standing-carried_over"),
    ProjectStanding.STOPPED: Look("■", "standing-stopped"),
}


class PeriodKind(models.TextChoices):
    MONTHLY = "monthly", _("月报")
    WEEKLY = "weekly", _("周报")
    AD_HOC = "ad_hoc", _("专项报告")


class PeriodStatus(Presented, models.TextChoices):
    """Whether a report period still takes reports; a closed one locks them."""

    OPEN = "open", _("填报中")
    CLOSED = "closed", _("已关闭")


class ReportState(Presented, models.TextChoices):
    """Where a progress report stands; the moves are ``progress.REPORT_STEPS``."""

    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    ACCEPTED = "accepted", _("已采纳")
    RETURNED = "returned", _("退回修改")


LOOKS["PeriodStatus"] = {
    PeriodStatus.OPEN: Look("▶", "period-open"),
    PeriodStatus.CLOSED: Look("■", "period-closed"),
}
LOOKS["ReportState"] = {
    ReportState.DRAFT: Look("○", "report-draft"),
    ReportState.SUBMITTED: Look("…", "report-submitted"),
    ReportState.ACCEPTED: Look("✓", "report-accepted"),
    ReportState.RETURNED: Look("!", "report-returned"),
}
# Reports that count: what a unit has handed in (a draft is still theirs; a returned one
# is being corrected).
COUNTED_REPORTS = (ReportState.SUBMITTED, ReportState.ACCEPTED)


class LeaderActionKind(models.TextChoices):
    """The 四个亲自 the 13th meeting asked of every leader."""

    DEPLOY = "deploy", _("亲自部署")
    REVIEW = "review", _("亲自把关")
    COORDINATE = "coordinate", _("亲自协调")
    INSPECT = "inspect", _("亲自督查")


class CloseoutState(Presented, models.TextChoices):
    """A 销号 application: applied by the lead unit, then closed or returned by the office."""

    APPLIED = "applied", _("已申请")
    CLOSED = "closed", _("已销号")
    RETURNED = "returned", _("退回")


class Grade(models.TextChoices):
    """The year-end assessment of a project."""

    EXCELLENT = "excellent", _("优秀")
    GOOD = "good", _("良好")
    PASS = "pass", _("合格")
    FAIL = "fail", _("不合格")


LOOKS["CloseoutState"] = {
    CloseoutState.APPLIED: Look("…", "report-submitted"),
    CloseoutState.CLOSED: Look("✓", "standing-closed_out"),
    CloseoutState.RETURNED: Look("!", "report-returned"),
}
