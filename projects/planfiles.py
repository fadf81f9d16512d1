"""Plan files: a year's plan as a JSON fixture in ``fixtures/`` (Django's format with
natural keys), checked as a whole, then loaded in bulk in one transaction.

A plan file holds only the plan's own rows: the plan, its projects, units and officials.
Loading adds what the database lacks and leaves existing rows alone, so an edit made in
the app (with its history and version) always wins over the file. Each new project gets
its three checkpoints, and new projects and checkpoints get their first history row.
"""

import json
from dataclasses import dataclass, field
from itertools import batched
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from . import current
from .choices import CheckpointKind, Domain, Record
from .models import Checkpoint, Project, ReformPlan

# What a plan file may hold, in the order it is loaded (later rows refer to earlier ones),
# each with the fields that make its natural key (a related row by its own key).
NATURAL_KEYS = {
    "units.unit": ("name",),
    "units.official": ("name", "position"),
    "projects.reformplan": ("year",),
    "projects.project": ("plan", "number"),
    "projects.meeting": ("sequence",),
    "projects.agendaitem": ("meeting", "position"),
    "projects.decision": ("meeting", "position"),
    "projects.leaderaction": ("plan", "meeting", "kind"),
}
PLAN_MODELS = list(NATURAL_KEYS)
BATCH = 1000
BROWSER_LIMIT = 2000  # projects a file may have to be loaded from the browser


def plan_fixtures():
    """The plan files an administrator may load: ``fixtures/plan_*.json``."""
    folder = Path(settings.BASE_DIR) / "fixtures"
    return sorted(p.stem for p in folder.glob("plan_*.json"))


def fixture_path(name):
    for folder in settings.FIXTURE_DIRS:
        path = Path(folder) / f"{name}.json"
        if path.is_file():
            return path
    raise ValidationError(_("找不到计划文件 %(name)s.json。") % {"name": name})


def _refuse(index, message, **values):
    raise ValidationError(_("第 %(n)s 条记录：") % {"n": index} + message % values)


def read_plan_file(path):
    """The file's records, checked as a whole before anything is written: valid JSON, a
    list of records of the plan's own models only (never users, groups or permissions),
    no project number twice, every project with a title and a valid domain. Raises
    ValidationError naming the record."""
    try:
        records = json.loads(Path(path).read_text(encoding="utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise ValidationError(_("文件不是有效的 JSON：%(error)s") % {"error": exc}) from exc
    if not isinstance(records, list):
        raise ValidationError(_("文件内容应为记录列表。"))
    seen = set()
    for index, record in enumerate(records, start=1):
        if not (isinstance(record, dict) and isinstance(record.get("fields"), dict)):
            raise ValidationError(_("第 %(n)s 条记录格式不对。") % {"n": index})
        if record.get("model") not in PLAN_MODELS:
            _refuse(
                index,
                _("计划文件只能包含计划、项目、单位和区领导，不能包含“%(model)s”。"),
                model=record.get("model"),
            )
        if record["model"] != "projects.project":
            continue
        fields = record["fields"]
        key = (json.dumps(fields.get("plan")), fields.get("number"))
        if key in seen:
            _refuse(index, _("项目序号 %(number)s 在文件中重复。"), number=fields.get("number"))
        seen.add(key)
        if not str(fields.get("title") or "").strip():
            _refuse(index, _("缺少项目名称。"))
        if fields.get("domain") not in Domain.values:
            _refuse(index, _("领域“%(domain)s”无效。"), domain=fields.get("domain"))
    return records


def count_projects(records):
    return sum(1 for r in records if r["model"] == "projects.project")


@dataclass
class Keys:
    """Natural key → primary key of every row a file may name, read once per model (and
    back: primary key → natural key, to make a key that includes a related row's)."""

    by_model: dict = field(default_factory=dict)
    by_pk: dict = field(default_factory=dict)

    @classmethod
    def load(cls, years):
        keys = cls()
        for label in PLAN_MODELS:
            model = apps.get_model(label)
            rows = model._default_manager.all()
            if model is Project:
                rows = rows.filter(plan__year__in=years)
            names = [_key_path(model, name) for name in NATURAL_KEYS[label]]
            keys.by_model[model], keys.by_pk[model] = {}, {}
            for pk, *values in rows.values_list("pk", *names):
                keys.note(model, tuple(values), pk)
        return keys

    def note(self, model, key, pk):
        self.by_model[model][key] = pk
        self.by_pk[model][pk] = key

    def resolve(self, model, key, index):
        key = tuple(key) if isinstance(key, list | tuple) else (key,)
        try:
            return self.by_model[model][key]
        except (KeyError, TypeError):
            _refuse(
                index,
                _("找不到%(model)s %(key)s。"),
                model=model._meta.verbose_name,
                key=list(key),
            )

    def key_of(self, obj):
        """``obj``'s natural key; a related row in it by that row's own key, flattened."""
        key = []
        for name in NATURAL_KEYS[obj._meta.label_lower]:
            model_field = obj._meta.get_field(name)
            if model_field.is_relation:
                related = self.by_pk[model_field.related_model]
                pk = getattr(obj, model_field.attname)
                key.extend(related[pk] if pk is not None else (None,))
            else:
                key.append(getattr(obj, name))
        return tuple(key)


def _key_path(model, name):
    """The lookup that reads a natural-key field: a related row's own natural key."""
    model_field = model._meta.get_field(name)
    if not model_field.is_relation:
        return name
    (inner,) = NATURAL_KEYS[model_field.related_model._meta.label_lower]
    return f"{name}__{inner}"


@dataclass
class NewRow:
    obj: object
    index: int
    m2m: dict = field(default_factory=dict)  # field name -> related pks
    parent_key: object = None  # a unit's parent, resolved once all units exist


def _build(model, record, index, keys):
    """An unsaved row from a record; related rows resolved by natural key."""
    obj = model()
    row = NewRow(obj, index)
    for name, value in record["fields"].items():
        try:
            model_field = model._meta.get_field(name)
        except FieldDoesNotExist:
            _refuse(index, _("未知字段 %(field)s。"), field=name)
        if model_field.many_to_many:
            related = model_field.related_model
            row.m2m[name] = [keys.resolve(related, key, index) for key in value or ()]
        elif model_field.is_relation:
            if value is not None and model_field.related_model is model:
                row.parent_key = value  # a unit under a unit that may come later
            elif value is not None:
                pk = keys.resolve(model_field.related_model, value, index)
                setattr(obj, model_field.attname, pk)
        else:
            try:
                setattr(obj, model_field.attname, model_field.to_python(value))
            except ValidationError as exc:
                _refuse(index, "%(error)s", error=" ".join(exc.messages))
    exclude = [f.name for f in model._meta.fields if f.is_relation]
    try:
        obj.clean_fields(exclude=exclude)
    except ValidationError as exc:
        errors = "；".join(f"{k}：{' '.join(v)}" for k, v in exc.message_dict.items())
        _refuse(index, "%(error)s", error=errors)
    return row


def _insert(model, rows, keys):
    """Write the new rows in bulk, note their keys, and link their many-to-many rows."""
    for batch in batched([r.obj for r in rows], BATCH):
        model.objects.bulk_create(batch)
    for row in rows:
        keys.note(model, keys.key_of(row.obj), row.obj.pk)
    for model_field in model._meta.many_to_many:
        through = model_field.remote_field.through
        own, other = model_field.m2m_field_name(), model_field.m2m_reverse_field_name()
        links = [
            through(**{f"{own}_id": row.obj.pk, f"{other}_id": related})
            for row in rows
            for related in row.m2m.get(model_field.name, ())
        ]
        through.objects.bulk_create(links, batch_size=BATCH)


def _link_parents(rows, keys):
    Unit = apps.get_model("units", "Unit")
    for row in rows:
        if row.parent_key is not None:
            row.obj.parent_id = keys.resolve(Unit, row.parent_key, row.index)
    with_parent = [r.obj for r in rows if r.parent_key is not None]
    Unit.objects.bulk_update(with_parent, ["parent"], batch_size=BATCH)


def _finish_projects(rows):
    """The three checkpoints and the first history rows (with the participating units)."""
    through = Project.participating_units.through
    links = list(through.objects.filter(project__in=[row.obj for row in rows]))
    projects = [row.obj for row in rows]
    history = Project.history.bulk_history_create(
        projects, batch_size=BATCH, default_change_reason=Record.LOADED
    )
    recorded = Project.history.model.__dict__["participating_units"].model
    by_project = {h.id: h for h in history}
    recorded.objects.bulk_create(
        [
            recorded(
                id=link.pk,
                history=by_project[link.project_id],
                project_id=link.project_id,
                unit_id=link.unit_id,
            )
            for link in links
        ],
        batch_size=BATCH,
    )
    checkpoints = [
        Checkpoint(project=p, kind=kind) for p in projects for kind in CheckpointKind.values
    ]
    for batch in batched(checkpoints, BATCH):
        Checkpoint.objects.bulk_create(batch)
    Checkpoint.history.bulk_history_create(
        checkpoints, batch_size=BATCH, default_change_reason=Record.LOADED
    )


def load_records(records):
    """Add the records' rows that the database lacks; call inside a transaction."""
    years = {r["fields"].get("year") for r in records if r["model"] == "projects.reformplan"} | {
        (r["fields"].get("plan") or [None])[0]
        for r in records
        if r["model"] == "projects.project" and isinstance(r["fields"].get("plan"), list)
    }
    keys = Keys.load(years)
    for label in PLAN_MODELS:
        model = apps.get_model(label)
        new, in_file = [], set()
        for index, record in enumerate(records, start=1):
            if record["model"] != label:
                continue
            row = _build(model, record, index, keys)
            key = keys.key_of(row.obj)
            if key in in_file:
                _refuse(index, _("%(key)s 在文件中重复。"), key=list(key))
            in_file.add(key)
            if key not in keys.by_model[model]:
                new.append(row)
        _insert(model, new, keys)
        if label == "units.unit":
            _link_parents(new, keys)
        if model is Project:
            _finish_projects(new)


def _reason(exc):
    """The first non-empty message along the exception's causes."""
    while exc is not None:
        text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        if text.strip():
            return text.strip()
        exc = exc.__cause__ or exc.__context__
    return _("未知错误")


def load_plan_fixture(name, *, project_limit=None):
    """Check a plan file, then add what it has that the database lacks, in one
    transaction; returns the plans now present. A file with more than ``project_limit``
    projects is refused before anything is written (the browser's limit).

    A malformed or partial file raises ValidationError with the reason, and leaves the
    database as it was. (``manage.py loaddata`` would instead overwrite existing rows.)
    """
    try:
        path = fixture_path(name)
        records = read_plan_file(path)
        if project_limit is not None and count_projects(records) > project_limit:
            raise ValidationError(
                _(
                    "该计划有 %(count)s 个项目，超过网页载入的上限 %(limit)s 个。"
                    "请在服务器上运行：python manage.py load_plan %(name)s"
                )
                % {"count": count_projects(records), "limit": project_limit, "name": name}
            )
        with transaction.atomic():
            load_records(records)
            current.refresh()  # reports written without save(): each project's status
    except Exception as exc:  # database errors carry the constraint's name
        raise ValidationError(
            _("改革计划载入失败，数据库未作任何改动。原因：%(reason)s") % {"reason": _reason(exc)}
        ) from exc
    return list(ReformPlan.objects.all())
