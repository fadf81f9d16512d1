"""The monthly bulletin (进展情况通报) of a report period: its text, once, for the print
page (``/periods/<id>/bulletin/``) and for the .docx (``bulletin.word``) the office sends to
the leaders.

The text (``bulletin_for``): the period's headline figures (projects covered, reported on
time, late, missing, accepted), each covered project's status and one line of progress
from its lead unit's report of the period (or 未报), the units that reported late or not
at all, the open 督办 items (from the optional ``chasing`` app; none without it) and the
checkpoints passed within the period's dates. Three queries, whatever the plan's size.
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ..choices import (
    CheckpointStatus,
    ProgressStatus,
    ReportState,
    punct,
)
from ..doctext import day_text, heading, numbered, sub
from ..exports import UNSAFE_IN_NAMES
from ..models import Checkpoint
from ..models.checkpoint import CHECKPOINT_ORDERING
from ..periods import period_state
from ..scoreboard import counts_all, duban_items

SUMMARY_LENGTH = 80  # one line of progress, in characters


@dataclass
class Section:
    heading: str
    paragraphs: list = field(default_factory=list)


@dataclass
class Bulletin:
    period: object
    title: str
    addressee: str
    opening: str
    sections: list
    issuer: str
    issued_on: str
    figures: dict  # name -> number, for the page's summary and the tests

    @property
    def text(self):
        """Every line, in order (what the document and the page both say)."""
        lines = [self.title, self.addressee, self.opening]
        for section in self.sections:
            lines += [section.heading, *section.paragraphs]
        return [*lines, self.issuer, self.issued_on]


SENTENCE_ENDS = "。！？；…．.!?;"


def one_line(text):
    """The first line of ``text``, cut to SUMMARY_LENGTH characters, ending as a sentence."""
    first = next((line.strip() for line in text.splitlines() if line.strip()), "")
    if len(first) > SUMMARY_LENGTH:
        return first[: SUMMARY_LENGTH - 1] + "…"
    if first and first[-1] not in SENTENCE_ENDS:
        first += "。"  # the data is Chinese whatever the interface language
    return first


def _units_line(label, groups, none):
    """逾期提交的单位：区发改局（第2、5项）；区教育局（第10项）。"""
    parts = [
        name
        + punct("open")
        + _("第%(numbers)s项") % {"numbers": punct("list").join(numbers)}
        + punct("close")
        for name, numbers in groups.items()
    ]
    end = pgettext("end of sentence", "。")
    return label + (pgettext("between units", "；").join(parts) + end if parts else none)


def bulletin_for(period, today=None):
    """The bulletin of ``period`` as text, for the page and the .docx."""
    today = today or timezone.localdate()
    plan = period.plan
    state = period_state(period, today)
    counted = counts_all(period, today)
    tbd = _("牵头单位待定")
    progress = {k: str(v) for k, v in ProgressStatus.choices}
    missing_word = _("未报") if counted else _("尚未报送")

    accepted, lines, late, missing = 0, [], {}, {}
    for row in state.rows:
        project, report = row.project, row.report
        unit = str(project.lead_unit) if project.lead_unit else tbd
        number = str(project.number)
        head = numbered(number, f"{project.title}{punct('open')}{unit}{punct('close')}")
        head += punct("colon")
        if row.missing:
            lines.append(head + missing_word + pgettext("end of sentence", "。"))
            missing.setdefault(unit, []).append(number)
            continue
        accepted += report.state == ReportState.ACCEPTED
        if report.state == ReportState.RETURNED:
            said = _("%(status)s，完成%(percent)s%%（报告已退回修改）。%(summary)s")
        else:
            said = _("%(status)s，完成%(percent)s%%。%(summary)s")
        values = {"status": progress[report.status], "percent": report.percent_complete}
        lines.append(head + said % {**values, "summary": one_line(report.summary)})
        if report.submitted_late:
            late.setdefault(unit, []).append(number)

    figures = {
        "covered": state.due,
        "on_time": state.on_time,
        "late": state.late,
        "missing": state.missing,
        "accepted": accepted,
    }
    overview = _(
        "本期覆盖改革项目%(covered)s个，牵头单位按时报送%(on_time)s个，逾期提交%(late)s个，"
        "%(missing_word)s%(missing)s个；已采纳%(accepted)s个。"
    ) % {**figures, "missing_word": missing_word}
    if not counted:
        overview = _("截至%(day)s（报送期限前），") % {"day": day_text(today)} + overview

    none = _("无。")
    missing_label = _("未报送的单位：") if counted else _("尚未报送的单位：")
    units = [
        sub(1, _units_line(_("逾期提交的单位："), late, none)),
        sub(2, _units_line(missing_label, missing, none)),
    ]
    sections = [
        Section(heading(1, _("总体情况")), [overview]),
        Section(heading(2, _("各项目进展")), lines or [_("本期没有覆盖的项目。")]),
        Section(heading(3, _("逾期提交和未报送的单位")), units),
        Section(heading(4, _("督办事项")), _duban_lines(plan) or [_("暂无督办事项。")]),
        Section(heading(5, _("本期通过的关口")), _passed_lines(period)),
    ]
    return Bulletin(
        period=period,
        title=_("关于%(period)s改革项目进展情况的通报") % {"period": period.name},
        addressee=_("各牵头单位："),
        opening=_(
            "现将%(plan)s%(period)s（%(starts)s至%(ends)s，报送期限%(due)s）"
            "改革项目进展情况通报如下。"
        )
        % {
            "plan": plan.title,
            "period": period.name,
            "starts": day_text(period.starts_on),
            "ends": day_text(period.ends_on),
            "due": day_text(period.due_on),
        },
        sections=sections,
        issuer=_("龙岗区委改革办"),
        issued_on=day_text(today),
        figures=figures,
    )


def _duban_lines(plan):
    """One line per open 督办 item of the optional ``chasing`` app (none without it)."""
    lines = []
    for number, item in enumerate(duban_items(plan) or [], start=1):
        project = getattr(item, "project", None)
        text = numbered(number, str(item))
        if project is not None and project.title not in text:
            text += f"{punct('open')}{project.title}{punct('close')}"
        lines.append(text)
    return lines


def _passed_lines(period):
    """The covered projects' checkpoints passed within the period's dates (one query)."""
    passed = (
        Checkpoint.objects.filter(
            project__in=period.covered_projects(),
            status=CheckpointStatus.PASSED,
            passed_on__range=(period.starts_on, period.ends_on),
        )
        .select_related("project__lead_unit")
        .order_by("passed_on", "project__number", CHECKPOINT_ORDERING)
    )
    lines = [
        numbered(
            number,
            _("%(title)s：%(gate)s，%(date)s通过。")
            % {
                "title": c.project.title,
                "gate": c.get_kind_display(),
                "date": day_text(c.passed_on),
            },
        )
        for number, c in enumerate(passed, start=1)
    ]
    return lines or [_("本期没有通过的关口。")]


def filenames(period):
    """(``龙岗区2017年改革计划_2017年5月_进展情况通报.docx``, ``2017_bulletin_12.docx``)"""
    title = UNSAFE_IN_NAMES.sub("_", f"{period.plan.title}_{period.name}").strip("._")
    word = pgettext("file name", "进展情况通报")
    return f"{title}_{word}.docx", f"{period.plan.year}_bulletin_{period.pk}.docx"
