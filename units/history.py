"""The 变更记录 of a unit, an official or an account: each recorded change with who made
it, when, and the old and new values; for accounts also the roles given and taken.

A fixed number of queries whatever the length of the history: the object's history rows
(with their authors), one query per related model to name the ids they mention, and for
an account its role changes."""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from .services import BASELINE

KIND_LABELS = {"+": _("新建"), "~": _("修改"), "-": _("删除")}
# reasons stored with a history row (as written in Chinese), shown in the reader's language
REASONS = {
    "设置临时密码": _("设置临时密码"),
    "停用账号": _("停用账号"),
    "重新启用账号": _("重新启用账号"),
}
SKIP_FIELDS = {"id", "password", "last_login", "date_joined"}
# names as the app's forms call these fields (the app keeps a person's whole name in
# last_name)
FIELD_LABELS = {
    "last_name": _("姓名"),
    "is_active": _("账号启用"),
    "is_staff": _("可进入管理后台"),
    "is_superuser": _("超级用户"),
    "email": _("电子邮箱"),
    "username": _("用户名"),
}


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class Entry:
    when: object
    user: object
    kind: str
    reason: str = ""
    changes: list = field(default_factory=list)

    @property
    def kind_label(self):
        return KIND_LABELS.get(self.kind, "")


def _fields(model):
    recorded = {f.attname for f in model.history.model._meta.concrete_fields}
    return [
        f
        for f in model._meta.concrete_fields
        if f.name not in SKIP_FIELDS and f.attname in recorded
    ]


def _labels(fields, rows):
    """For each foreign key, id → what to show: one query per related model."""
    labels = {}
    for f in fields:
        if f.is_relation:
            ids = {getattr(row, f.attname) for row in rows} - {None}
            related = f.related_model._default_manager.filter(pk__in=ids)
            labels[f.attname] = {obj.pk: str(obj) for obj in related}
    return labels


def _display(f, value, labels):
    if value in (None, ""):
        return "—"
    if f.is_relation:
        return labels[f.attname].get(value, f"#{value}")
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("是") if value else _("否"))
    return str(value)


def _changes(fields, previous, row, labels):
    changes = []
    for f in fields:
        new = getattr(row, f.attname)
        old = getattr(previous, f.attname) if previous is not None else None
        if previous is None and new in (None, "", False):
            continue  # a new row: list what was filled in
        if previous is None or old != new:
            old_text = "—" if previous is None else _display(f, old, labels)
            name = str(FIELD_LABELS.get(f.name, f.verbose_name))
            changes.append(Change(name, old_text, _display(f, new, labels)))
    return changes


def history_of(instance):
    """Newest first."""
    model = type(instance)
    rows = list(
        model.history.filter(id=instance.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    )
    fields = _fields(model)
    labels = _labels(fields, rows)
    entries, previous = [], None
    for row in rows:
        reason = row.history_change_reason or ""
        if reason != BASELINE:
            changes = _changes(fields, previous, row, labels)
            if changes or reason or row.history_type != "~":
                entries.append(
                    Entry(
                        row.history_date,
                        row.history_user,
                        row.history_type,
                        str(REASONS.get(reason, reason)),
                        changes,
                    )
                )
        previous = row
    if hasattr(instance, "role_changes"):
        entries += _role_entries(instance)
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries


def _role_entries(account):
    role = str(_("角色"))
    return [
        Entry(
            change.changed_at,
            change.changed_by,
            "role",
            str(_("授予角色") if change.added else _("取消角色")),
            [Change(role, "—", change.role) if change.added else Change(role, change.role, "—")],
        )
        for change in account.role_changes.select_related("changed_by")
    ]
