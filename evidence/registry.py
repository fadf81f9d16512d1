"""Which models accept evidence files, and whom evidence asks who may read and attach.

A model accepts files when its label is in ``settings.EVIDENCE_MODELS`` (default:
``DEFAULT_MODELS``) and evidence knows its rules, from one of two places:

- ``RULES`` below, for models whose app must not change for this (``projects``): each
  rule names the object to ask and the need to ask it, through the object's own
  ``allows(user, need)`` / ``require(user, need)`` (``projects.models.guarded.Guarded``),
  so the answer and the refusal message stay the model's own. ``register()`` adds a rule
  from another app's ``AppConfig.ready()``.
- the model itself (the protocol): ``ACCESS`` rows for ``"read"`` and ``"attach"``
  (methods ``can_read(user)`` and ``can_attach(user)``), ``get_absolute_url()``, and
  optionally ``evidence_closed`` (True: files may no longer be added or removed) and
  ``evidence_scope`` (the key of the files one page lists, read in one query).

Evidence never imports the apps whose objects it holds files for.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.urls import reverse

DEFAULT_MODELS = [
    "projects.progressupdate",
    "projects.checkpoint",
    "projects.instruction",
    "projects.meeting",
    "projects.closeout",
]


@dataclass(frozen=True)
class Ask:
    """Ask ``whom(obj)`` whether the user may ``need``."""

    whom: Callable
    need: str

    def allows(self, obj, user):
        return self.whom(obj).allows(user, self.need)

    def require(self, obj, user):
        self.whom(obj).require(user, self.need)


@dataclass(frozen=True)
class Rules:
    """How evidence treats one attachable model.

    read: who may see the object and its files (an ask, or several that must all agree,
    asked in order: the first refusal gives the message); attach: who may add and remove
    files (any of the asks); closed: files may no longer be added or removed (still read);
    scope: the key grouping the files of one page (one query lists them all); page: where
    the object and its files are shown; related: ``select_related`` for loading one
    object."""

    read: Ask | tuple[Ask, ...]
    attach: tuple[Ask, ...]
    closed: Callable
    scope: Callable
    page: Callable
    related: tuple[str, ...] = ()

    @property
    def reads(self):
        return self.read if isinstance(self.read, tuple) else (self.read,)

    def may_read(self, obj, user):
        return all(ask.allows(obj, user) for ask in self.reads)

    def require_read(self, obj, user):
        for ask in self.reads:
            ask.require(obj, user)  # raises with the message of the first that refuses

    def may_attach(self, obj, user):
        return any(ask.allows(obj, user) for ask in self.attach)

    def require_attach(self, obj, user):
        if not self.may_attach(obj, user):
            self.attach[0].require(obj, user)  # raises with the object's own message


def _itself(obj):
    return obj


def _project(obj):
    return obj.project


def _plan_closed(obj):
    return obj.project.plan.is_closed


def _project_scope(obj):
    return f"projects.project:{obj.project_id}"


def _project_page(obj):
    return obj.project.get_absolute_url()


def _own_page(obj):
    return obj.get_absolute_url()


def _files_page(obj):
    """The object's files on their own page (for models whose page lists none yet)."""
    return reverse("evidence_list", args=[obj._meta.label_lower, obj.pk])


def _own_scope(obj):
    return getattr(obj, "evidence_scope", None) or f"{obj._meta.label_lower}:{obj.pk}"


def _own_closed(obj):
    return bool(getattr(obj, "evidence_closed", False))


RULES = {
    # a progress report: read by who reads its project, but a draft only by who may edit
    # it (as on the project page); files from its author (while reporting on the project)
    # and the reform office
    "projects.progressupdate": Rules(
        read=(Ask(_project, "read"), Ask(_itself, "read")),
        attach=(Ask(_itself, "edit"),),
        closed=_plan_closed,
        scope=_project_scope,
        page=_project_page,
        related=("project__plan", "project__lead_unit"),
    ),
    # a checkpoint: who may submit or decide on it, and the office, which sets its dates
    "projects.checkpoint": Rules(
        read=Ask(_itself, "read"),
        attach=(Ask(_itself, "decide"), Ask(_itself, "schedule")),
        closed=_plan_closed,
        scope=_project_scope,
        page=_own_page,
        related=("project__plan", "project__lead_unit"),
    ),
    # an instruction's follow-up: who may record how it was carried out
    "projects.instruction": Rules(
        read=Ask(_project, "read"),
        attach=(Ask(_itself, "follow_up"),),
        closed=_plan_closed,
        scope=_project_scope,
        page=_project_page,
        related=("project__plan", "project__lead_unit"),
    ),
    # a leading-group meeting: who may record meetings; not tied to one plan
    "projects.meeting": Rules(
        read=Ask(_itself, "read"),
        attach=(Ask(_itself, "manage"),),
        closed=lambda obj: False,
        scope=_own_scope,
        page=_files_page,
    ),
}


def protocol_rules(model):
    """The rules of a model that speaks the protocol itself."""
    return Rules(
        read=Ask(_itself, "read"),
        attach=(Ask(_itself, "attach"),),
        closed=_own_closed,
        scope=_own_scope,
        page=_own_page,
        related=tuple(getattr(model, "EVIDENCE_RELATED", ())),
    )


def register(label, rules):
    """Make ``label`` (``app.model``, lower case) attachable under ``rules``; for an app's
    ``AppConfig.ready()``. The label must also be listed in ``EVIDENCE_MODELS``."""
    RULES[label.lower()] = rules


def enabled_labels():
    return [label.lower() for label in getattr(settings, "EVIDENCE_MODELS", DEFAULT_MODELS)]


def speaks_protocol(model):
    access = getattr(model, "ACCESS", {})
    return "read" in access and "attach" in access and hasattr(model, "allows")


def rules_for_label(label):
    """The rules of an enabled model label, or None (not attachable)."""
    label = label.lower()
    if label not in enabled_labels():
        return None
    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        return None
    if label in RULES:
        return RULES[label]
    return protocol_rules(model) if speaks_protocol(model) else None


def rules_for(obj):
    return rules_for_label(obj._meta.label_lower)


def load(label, pk):
    """The object ``label`` #``pk`` with what its rules need joined, or None."""
    rules = rules_for_label(label)
    if rules is None:
        return None, None
    model = apps.get_model(label)
    queryset = model._default_manager.all()
    if rules.related:
        queryset = queryset.select_related(*rules.related)
    obj = queryset.filter(pk=pk).first()
    return obj, rules
