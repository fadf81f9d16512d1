"""The annual report (年度改革工作总结) of a plan: what the office takes to the leading
group's year-end meeting, once, for the print page (``/plans/<year>/annual-report/``) and
the .docx (``annual.word``).

The text (``annual_report``): the year in figures; the intake funnel (counted from the
optional ``intake`` app, and the totals the plan records from its source); each project's
三关, standing, current progress and year-end assessment; the leaders' 四个亲自; the
leaders' instructions and how they were carried out; the units' figures (the scoreboard's
year); the models worth copying (可复制推广); what was carried over and what was stopped.
A fixed number of queries whatever the number of projects (``load``).
"""

from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from ..choices import (
    CheckpointStatus,
    Grade,
    InstructionStatus,
    LeaderActionKind,
    ProgressStatus,
    ProjectStanding,
    punct,
)
from ..doctext import day_text, heading, numbered, sub
from ..exports import UNSAFE_IN_NAMES
from .data import load


@dataclass
class Table:
    headers: list
    rows: list  # lists of text

    @property
    def text(self):
        return [*self.headers, *(cell for row in self.rows for cell in row)]


@dataclass
class Section:
    heading: str
    blocks: list = field(default_factory=list)  # paragraphs (text) and Tables

    def add(self, *blocks):
        self.blocks.extend(blocks)


@dataclass
class AnnualReport:
    plan: object
    title: str
    addressee: str
    opening: str
    sections: list
    issuer: str
    issued_on: str
    figures: dict

    @property
    def text(self):
        """Every line and cell, in order (what the document and the page both say)."""
        lines = [self.title, self.addressee, self.opening]
        for section in self.sections:
            lines.append(section.heading)
            for block in section.blocks:
                lines += block.text if isinstance(block, Table) else [block]
        return [*lines, self.issuer, self.issued_on]


def _end():
    return pgettext("end of sentence", "。")


def _tbd():
    return _("待定")


def annual_report(plan, today=None):
    """The annual report of ``plan`` as text, for the page and the .docx."""
    today = today or timezone.localdate()
    data = load(plan, today)
    sections = [
        _overview(data),
        _funnel(data),
        _projects(data),
        _leaders(data),
        _instructions(data),
        _units(data),
        _replicable(data),
        _carried_and_stopped(data),
    ]
    for number, section in enumerate(sections, start=1):
        section.heading = heading(number, section.heading)
    return AnnualReport(
        plan=plan,
        title=_("%(plan)s年度改革工作总结") % {"plan": plan.title},
        addressee=_("区委全面深化改革领导小组："),
        opening=_("现将%(plan)s全年执行情况总结如下。") % {"plan": plan.title},
        sections=sections,
        issuer=_("龙岗区委改革办"),
        issued_on=day_text(today),
        figures=data.figures,
    )


def _overview(data):
    counts, grades = data.figures["standings"], data.figures["grades"]
    text = _(
        "全年计划列入改革项目%(total)s个（区重点%(district)s个）。年终已销号%(closed)s个，"
        "已结转%(carried)s个，已终止%(stopped)s个，仍在册%(active)s个。"
    ) % {
        "total": len(data.projects),
        "district": data.figures["district"],
        "closed": counts[ProjectStanding.CLOSED_OUT],
        "carried": counts[ProjectStanding.CARRIED_OVER],
        "stopped": counts[ProjectStanding.STOPPED],
        "active": counts[ProjectStanding.ACTIVE],
    }
    parts = punct("list").join(
        _("%(grade)s%(n)s个") % {"grade": label, "n": grades.get(value, 0)}
        for value, label in Grade.choices
    )
    text += _("已作年度评定%(assessed)s个：%(grades)s；未评定%(left)s个。") % {
        "assessed": data.figures["assessed"],
        "grades": parts,
        "left": len(data.projects) - data.figures["assessed"],
    }
    return Section(_("总体情况"), [text])


def _funnel(data):
    """As the plan page's funnel: counted items when the intake holds any, and apart from
    them the totals the plan records from its source."""
    section = Section(_("项目征集和确定"))
    counted, plan = data.funnel, data.plan
    if counted and (counted["calls"] or counted["suggestions"]):
        section.add(
            _(
                "经项目征集，收到单位改革项目建议%(received)s个，完成专家评审%(reviewed)s个，"
                "入选%(selected)s个；收到群众改革需求、建议%(suggestions)s条，"
                "关联到入选项目%(linked)s条。"
            )
            % counted
        )
    if plan.recorded_proposals is not None or plan.recorded_suggestions is not None:
        recorded = _(
            "资料记载的总数：征集改革项目%(proposals)s个，群众改革需求、建议%(suggestions)s条，"
            "确定重点改革项目%(district)s个。"
        ) % {
            "proposals": _tbd() if plan.recorded_proposals is None else plan.recorded_proposals,
            "suggestions": _tbd()
            if plan.recorded_suggestions is None
            else plan.recorded_suggestions,
            "district": data.figures["district"],
        }
        if plan.recorded_source:
            recorded += _("（出处：%(source)s）") % {"source": plan.recorded_source}
        section.add(recorded)
    if not section.blocks:
        section.add(_("本年度计划没有项目征集的记录。"))
    return section


def _gate(checkpoint):
    status = checkpoint.get_status_display()
    if checkpoint.status == CheckpointStatus.PASSED:
        when = _("%(date)s通过") % {"date": day_text(checkpoint.passed_on)}
    elif checkpoint.planned_date:
        when = _("计划%(date)s") % {"date": day_text(checkpoint.planned_date)}
    else:
        when = _("计划日期待定")
    gate = _("%(gate)s%(status)s") % {"gate": checkpoint.get_kind_display(), "status": status}
    return f"{gate}{punct('open')}{when}{punct('close')}"


def _progress(project):
    current = project.current  # stored on the project (projects.current)
    if current.status is None:
        return _("当前进展：尚无进展报告")
    return _("当前进展：%(status)s，完成%(percent)s%%（%(date)s报告）") % {
        "status": ProgressStatus(current.status).label,
        "percent": current.percent,
        "date": day_text(current.reported_on),
    }


def _assessment(project):
    assessment = project.annual_assessment
    if assessment is None:
        return _("年度评定：未评定") + _end()
    text = _("年度评定：%(grade)s") % {"grade": assessment.get_grade_display()} + _end()
    if assessment.notes:
        text += _("评定意见：%(notes)s") % {"notes": assessment.notes.strip()}
    return text


def _projects(data):
    section = Section(_("各项目进展和年度评定"))
    for project in data.projects:
        unit = str(project.lead_unit) if project.lead_unit else _tbd()
        leader = project.lead_official.name if project.lead_official else _tbd()
        head = numbered(project.number, project.title)
        head += punct("open") + _("牵头单位：%(unit)s") % {"unit": unit}
        head += pgettext("between units", "；") + _("牵头领导：%(leader)s") % {"leader": leader}
        head += punct("close") + punct("colon")
        gates = punct("list").join(_gate(c) for c in project.checkpoints.all())
        standing = _("项目%(standing)s") % {"standing": project.get_standing_display()}
        parts = [gates, standing, _progress(project)]
        section.add(head + pgettext("between units", "；").join(parts) + _end())
        section.add(_assessment(project))
    if not data.projects:
        section.add(_("本年度计划没有项目。"))
    return section


def _cell(cell):
    if not cell.count:
        return _("尚无") if cell.flagged else "0"
    latest = day_text(cell.latest) if cell.latest else _("日期待定")
    return _("%(n)s次（最近%(date)s）") % {"n": cell.count, "date": latest}


def _leaders(data):
    section = Section(_("区领导“四个亲自”情况"))
    headers = [_("区领导"), *(str(kind.label) for kind in LeaderActionKind)]
    rows = [[row.subject.name, *(_cell(c) for c in row.cells)] for row in data.matrix.rows]
    if rows:
        section.add(Table(headers, rows))
    for number, action in enumerate(data.actions, start=1):
        when = day_text(action.done_on) if action.done_on else _("日期待定")
        text = f"{action.official.name}{punct('list')}{action.get_kind_display()}"
        text += f"{punct('open')}{when}{punct('close')}{punct('colon')}{action.what.strip()}"
        section.add(numbered(number, text))
    if not rows and not data.actions:
        section.add(_("本年度没有区领导“四个亲自”的记录。"))
    return section


def _instructions(data):
    section = Section(_("领导批示及落实情况"))
    counts = {value: 0 for value in InstructionStatus.values}
    for instruction in data.instructions:
        counts[instruction.status] += 1
    overdue = sum(i.is_overdue for i in data.instructions)
    parts = punct("list").join(
        _("%(status)s%(n)s件") % {"status": label, "n": counts[value]}
        for value, label in InstructionStatus.choices
    )
    section.add(
        _("全年区领导批示%(total)s件：%(parts)s；逾期未落实%(overdue)s件。")
        % {"total": len(data.instructions), "parts": parts, "overdue": overdue}
    )
    for number, instruction in enumerate(data.instructions, start=1):
        project = instruction.project
        leader = instruction.official.name if instruction.official else _tbd()
        text = _("%(leader)s于%(date)s对「%(title)s」批示：%(text)s（%(status)s）。") % {
            "leader": leader,
            "date": day_text(instruction.issued_on),
            "title": project.title,
            "text": instruction.text.strip(),
            "status": instruction.get_status_display(),
        }
        if instruction.follow_up:
            text += _("落实情况：%(text)s") % {"text": instruction.follow_up.strip()} + _end()
        section.add(numbered(number, text))
    return section


def _units(data):
    board = data.board
    section = Section(_("各单位工作情况"))
    if not board.periods:
        section.add(_("本年度没有报告期，没有单位报送情况。"))
        return section
    section.add(
        _("全年共%(n)s个报告期；牵头单位待定的项目不计入（%(m)s份应报）。")
        % {"n": len(board.periods), "m": board.unassigned}
    )
    headers = [_("单位"), _("应报"), _("按时报送"), _("逾期提交"), _("未报"), _("逾期关口")]
    if board.has_duban:
        headers.append(_("督办事项"))
    rows = []
    for row in board.rows:
        values = [row.name, row.due, row.on_time, row.late, row.missing, row.overdue_checkpoints]
        if board.has_duban:
            values.append(row.duban)
        rows.append([str(v) for v in values])
    section.add(Table(headers, rows))
    return section


def _replicable(data):
    section = Section(_("可复制推广的经验"))
    for number, project in enumerate(data.replicable, start=1):
        text = project.annual_assessment.replicable_text.strip()
        section.add(numbered(number, f"{project.title}{punct('colon')}{text}"))
    if not data.replicable:
        section.add(_("暂无评定为可复制推广的项目。"))
    return section


def _carried_and_stopped(data):
    section = Section(_("结转和终止的项目"))
    following = data.plan.year + 1
    carried = [p for p in data.projects if p.standing == ProjectStanding.CARRIED_OVER]
    stopped = [p for p in data.projects if p.standing == ProjectStanding.STOPPED]
    lines = []
    for number, project in enumerate(carried, start=1):
        new = project.carried_number
        where = (
            _("结转为%(year)s年计划第%(n)s项") % {"year": following, "n": new}
            if new
            else _("结转至%(year)s年计划，编号待定") % {"year": following}
        )
        lines.append(numbered(number, f"{project.title}{punct('colon')}{where}{_end()}"))
    label = _("结转至%(year)s年计划的项目：") % {"year": following}
    section.add(sub(1, label + ("" if lines else _("无。"))), *lines)
    lines = [
        numbered(
            n,
            f"{p.title}{punct('colon')}"
            + _("终止理由：%(reason)s") % {"reason": p.ended_reason.strip() or _tbd()},
        )
        for n, p in enumerate(stopped, start=1)
    ]
    section.add(sub(2, _("终止的项目：") + ("" if lines else _("无。"))), *lines)
    return section


def filenames(plan):
    """(``龙岗区2017年改革计划_年度改革工作总结.docx``, ``2017_annual_report.docx``)"""
    title = UNSAFE_IN_NAMES.sub("_", plan.title).strip("._")
    word = pgettext("file name", "年度改革工作总结")
    return f"{title}_{word}.docx", f"{plan.year}_annual_report.docx"
