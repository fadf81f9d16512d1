"""Importing a plan's projects from Excel, part two: the preview.

The rows read from the file (``planimport.read_import_file``) are set against the plan as
stored: a 序号 the plan has updates that project, a new one adds a project; a column the
file lacks leaves that field as it is. Officials are matched by name, units by full or
short name; a name the database lacks (or has twice) waits for the office's choice on the
preview page: create it, or take an existing one. On an approved plan the rule of
``planning.py`` holds: new projects and changes to the watched fields (``WATCHED_FIELDS``)
need a reason and are recorded as 计划调整, with ``planning.watched_changes`` before and
after.

The preview carries a fingerprint of what it was computed from (the projects' and
checkpoints' versions, the plan's status, the unknown names): confirming a preview whose
fingerprint no longer matches is refused, so what is written is what was shown.
"""

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from units.models import Official, Unit, UnitKind

from .choices import Domain, ProjectStanding, ProjectTier, punct
from .display import field_display, value_display
from .models import Checkpoint
from .planimport import RowError
from .planimport_columns import BY_KEY, normal
from .planning import watched_changes

NEW = "new"


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class Outcome:
    """What the import does with one row: add a project, change one, or nothing."""

    line: int
    number: int
    title: str
    kind: str  # new, changed, unchanged
    project: object = None  # the stored project (None for a new one)
    fields: dict = field(default_factory=dict)  # field -> value to write
    dates: dict = field(default_factory=dict)  # checkpoint kind -> planned date to write
    changes: list = field(default_factory=list)  # Change, in column order
    watched: list = field(default_factory=list)  # 计划调整 changes ({field, before, after})

    @cached_property
    def shown(self):
        """A new project's domain, leads and units, as the preview lists them."""
        values = self.fields
        tbd = _("待定")
        return {
            "domain": Domain(values["domain"]).label if values.get("domain") else "—",
            "lead_official": str(values.get("lead_official") or tbd),
            "lead_unit": str(values.get("lead_unit") or tbd),
            "participating_units": "、".join(str(u) for u in values.get("participating_units", []))
            or "—",
        }


@dataclass
class Name:
    """An official or unit named in the file that the database lacks, or has twice."""

    kind: str  # official, unit
    name: str
    key: str  # the form field's name on the preview page
    lines: list = field(default_factory=list)
    candidates: list = field(default_factory=list)  # same-named rows, when ambiguous
    choice: str = ""  # "new" or the pk of an existing row, as chosen
    position: str = ""  # a new official's position
    target: object = None  # the row chosen, or the one to create
    problem: str = ""

    @property
    def placeholder(self):
        """Stands for the name in the preview until the office has chosen (never saved)."""
        if self.kind == "unit":
            return Unit(name=self.name)
        return Official(name=self.name, position="？")

    @property
    def creates(self):
        return self.target is not None and self.target.pk is None

    @property
    def lines_text(self):
        return punct("list").join(str(n) for n in self.lines)


class NameBook:
    """Officials and units by name, read once; the office's choices for the rest."""

    def __init__(self, choices):
        self.choices = choices
        self.units = list(Unit.objects.all())
        self.officials = list(Official.objects.all())
        self.unit_names = {normal(u.name): u for u in self.units}
        self.unit_short = defaultdict(list)
        for unit in self.units:
            if unit.short_name:
                self.unit_short[normal(unit.short_name)].append(unit)
        self.official_names = defaultdict(list)
        for official in self.officials:
            self.official_names[normal(official.name)].append(official)
        self.pending = {}  # (kind, normalised name) -> Name

    def unit(self, text, line):
        found = self.unit_names.get(normal(text))
        if found is None:
            short = self.unit_short.get(normal(text), [])
            found = short[0] if len(short) == 1 else None
            if found is None:
                return self._pending("unit", text, line, short)
        return found

    def official(self, text, line, current=None):
        same = self.official_names.get(normal(text), [])
        if current is not None and current in same:
            return current  # the project's own leader, also when the name is shared
        if len(same) == 1:
            return same[0]
        return self._pending("official", text, line, same)

    def _pending(self, kind, text, line, candidates):
        entry = self.pending.get((kind, normal(text)))
        if entry is None:
            key = hashlib.sha256(f"{kind}:{normal(text)}".encode()).hexdigest()[:12]
            entry = Name(kind, text, f"{kind}-{key}", candidates=candidates)
            self._resolve(entry)
            self.pending[(kind, normal(text))] = entry
        if line not in entry.lines:
            entry.lines.append(line)
        return entry.target or entry.placeholder

    def _resolve(self, entry):
        entry.choice = str(self.choices.get(entry.key, "")).strip()
        entry.position = str(self.choices.get(f"{entry.key}-position", "")).strip()
        rows = self.units if entry.kind == "unit" else self.officials
        if entry.choice == NEW and entry.kind == "unit":
            entry.target = Unit(name=entry.name, kind=UnitKind.OTHER)
        elif entry.choice == NEW:
            entry.target = self._new_official(entry)
        elif entry.choice:
            entry.target = next((r for r in rows if str(r.pk) == entry.choice), None)
        if entry.target is None and not entry.problem:
            if entry.kind == "unit":
                message = _("请为单位「%(name)s」选择：新建，或对应一个已有的单位。")
            else:
                message = _("请为区领导「%(name)s」选择：新建，或对应一个已有的区领导。")
            entry.problem = message % {"name": entry.name}

    def _new_official(self, entry):
        position = entry.position
        if not position or normal(position) in {normal("待定"), normal(_("待定"))}:
            entry.problem = _("新建区领导「%(name)s」须填写职务。") % {"name": entry.name}
            return None
        if len(position) > Official._meta.get_field("position").max_length:
            entry.problem = _("「%(name)s」的职务过长。") % {"name": entry.name}
            return None
        same = next(
            (o for o in self.officials if (o.name, o.position) == (entry.name, position)), None
        )
        return same or Official(name=entry.name, position=position)


@dataclass
class Preview:
    plan: object
    file: object
    outcomes: list = field(default_factory=list)
    names: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    fingerprint: str = ""
    names_book: object = None  # the officials and units read, for the choices

    def of_kind(self, kind):
        return [o for o in self.outcomes if o.kind == kind]

    @property
    def new(self):
        return self.of_kind("new")

    @property
    def changed(self):
        return self.of_kind("changed")

    @property
    def unchanged(self):
        return self.of_kind("unchanged")

    @property
    def unresolved(self):
        return [n for n in self.names if n.problem]

    @property
    def needs_reason(self):
        """On an approved plan: new projects or changes to the watched fields."""
        return self.plan.is_locked and any(o.kind == "new" or o.watched for o in self.outcomes)

    @property
    def has_work(self):
        return any(o.kind != "unchanged" for o in self.outcomes)

    @property
    def ready(self):
        return not self.errors and not self.unresolved


def _same(model_field, stored, new):
    if model_field.many_to_many:
        return {u.pk for u in stored.all()} == {u.pk for u in new} and None not in {
            u.pk for u in new
        }
    if model_field.is_relation:
        return getattr(stored, "pk", None) == getattr(new, "pk", None) and (
            new is None or new.pk is not None
        )
    if isinstance(stored, str):
        return stored.replace("\r\n", "\n").strip() == (new or "").replace("\r\n", "\n").strip()
    return stored == new


def _unit_order(unit):
    """As ``Unit.Meta.ordering`` (kind, name), so lists read as the project page shows them."""
    return (unit.kind, unit.name)


class Comparison:
    def __init__(self, plan, imported, names):
        self.plan, self.file, self.names = plan, imported, names
        self.errors = []

    def resolve(self, row, project):
        """The row's values as model values: names as rows (or ones to create)."""
        values, dates = {}, {}
        for key, value in row.values.items():
            if key == "number":
                continue
            if key.startswith("date:"):
                dates[key.removeprefix("date:")] = value
            elif key == "lead_official":
                current = project.lead_official if project else None
                values[key] = value and self.names.official(value, row.line, current)
            elif key == "lead_unit":
                values[key] = value and self.names.unit(value, row.line)
            elif key == "participating_units":
                units = [self.names.unit(name, row.line) for name in value]
                values[key] = sorted({id(u): u for u in units if u}.values(), key=_unit_order)
            else:
                values[key] = value
        self._tier_rule(row, project, values)
        return values, dates

    def _tier_rule(self, row, project, values):
        """上级部署 needs 部署层级; the other tiers have none."""
        tier = values.get("tier", project.tier if project else ProjectTier.DISTRICT)
        level = values.get("issuing_level", project.issuing_level if project else "") or ""
        header = self.file.header("issuing_level")
        if tier == ProjectTier.HIGHER and not level:
            message = _("上级部署的改革任务须注明部署层级（中央、省或市）。")
            self.errors.append(RowError(row.line, header, message))
        elif tier != ProjectTier.HIGHER and level:
            if values.get("issuing_level"):
                message = _("只有上级部署的改革任务填写部署层级。")
                self.errors.append(RowError(row.line, header, message))
            values["issuing_level"] = ""
        elif "issuing_level" in values:
            values["issuing_level"] = level

    def outcome(self, row, project):
        values, dates = self.resolve(row, project)
        number = row.values["number"]
        title = values.get("title") or (project.title if project else "")
        if project is None:
            if "domain" not in values:
                header = self.file.header("domain")
                self.errors.append(RowError(row.line, header, _("新项目须填写领域。")))
            return Outcome(row.line, number, title, "new", fields=values, dates=dates)
        meta = project._meta
        fields = {
            k: v for k, v in values.items() if not _same(meta.get_field(k), getattr(project, k), v)
        }
        stored_dates = {c.kind: c.planned_date for c in project.checkpoints.all()}
        dates = {k: d for k, d in dates.items() if stored_dates.get(k) != d}
        if not fields and not dates:
            return Outcome(row.line, number, title, "unchanged", project)
        if project.standing == ProjectStanding.WITHDRAWN:
            message = _("序号 %(number)s 的项目已撤销，不能通过导入修改。") % {"number": number}
            self.errors.append(RowError(row.line, "", message))
        changes = [
            Change(
                str(meta.get_field(k).verbose_name),
                field_display(project, k),
                value_display(project, k, v),
            )
            for k, v in fields.items()
        ]
        changes += [
            Change(
                BY_KEY[f"date:{k}"].label,
                stored_dates.get(k).isoformat() if stored_dates.get(k) else "—",
                d.isoformat() if d else "—",
            )
            for k, d in dates.items()
        ]
        watched = watched_changes(project, fields) if self.plan.is_locked else []
        return Outcome(row.line, number, title, "changed", project, fields, dates, changes, watched)


def plan_projects(plan, *, lock=False):
    """The plan's projects by number, with what the comparison reads (four queries);
    locked for the update when ``lock`` (PostgreSQL; SQLite's write transaction locks)."""
    checkpoints = Checkpoint.objects.all()
    projects = plan.projects.select_related("lead_official", "lead_unit")
    if lock:
        checkpoints = checkpoints.select_for_update()
        projects = projects.select_for_update(of=("self",))
    projects = projects.prefetch_related(
        "participating_units", Prefetch("checkpoints", queryset=checkpoints)
    )
    return {p.number: p for p in projects}


def build_preview(plan, imported, choices=None, *, lock=False):
    """What importing ``imported`` (an ImportFile) into ``plan`` would do, with the office's
    ``choices`` for unknown names ({name key: "new" or a pk, name key + "-position": …})."""
    by_number = plan_projects(plan, lock=lock)
    names = NameBook(choices or {})
    comparison = Comparison(plan, imported, names)
    preview = Preview(plan, imported, names_book=names)
    preview.outcomes = [
        comparison.outcome(r, by_number.get(r.values["number"])) for r in imported.rows
    ]
    preview.names = sorted(names.pending.values(), key=lambda n: (n.kind != "official", n.lines[0]))
    preview.errors = [*imported.errors, *comparison.errors]
    preview.errors.sort(key=lambda e: e.line)
    if plan.is_closed:
        preview.errors.insert(0, RowError(0, "", _("该年度计划已总结，不能再导入项目。")))
    state = {
        "status": plan.status,
        "projects": sorted((p.pk, p.version) for p in by_number.values()),
        "checkpoints": sorted(
            (c.pk, c.version) for p in by_number.values() for c in p.checkpoints.all()
        ),
        "names": sorted((n.kind, n.name) for n in preview.names),
    }
    preview.fingerprint = hashlib.sha256(json.dumps(state).encode()).hexdigest()
    return preview
