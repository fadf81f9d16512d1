"""The intake's share of the roles, and the outside expert's role (评审专家).

Roles are groups (see ``projects.roles``). This list adds the intake's permissions to the
four roles and creates 评审专家, who has nothing but the review of proposals assigned to
them: not ``projects.view_project``, so every page over the plan refuses them (403).
Migration ``intake/migrations/0002_roles.py`` keeps its own frozen copy of this list; a
change here needs a new data migration.
"""

from projects import roles as project_roles

EXPERT = "评审专家"

_READ = ["intake.view_call", "intake.view_proposal", "intake.view_review", "intake.view_fieldvisit"]

INTAKE_PERMISSIONS = {
    project_roles.REFORM_OFFICE: [
        *_READ,
        "intake.manage_intake",
        "intake.view_suggestion",
        "intake.change_suggestion",
    ],
    project_roles.UNIT_LIAISON: ["intake.view_call", "intake.propose_for_unit"],
    project_roles.LEADERSHIP: _READ,
    project_roles.ADMINISTRATOR: [*_READ, "intake.manage_intake"],
    EXPERT: ["intake.review_assigned"],
}


def build_groups(Group, Permission):
    """Grant the intake's permissions (creating 评审专家); administrators also get every
    model permission of the app (the admin site). Idempotent; takes the model classes so
    tests that flush the database can call it like the migration."""
    perms = {p.codename: p for p in Permission.objects.filter(content_type__app_label="intake")}
    for role, names in INTAKE_PERMISSIONS.items():
        codenames = [name.split(".")[1] for name in names]
        missing = [c for c in codenames if c not in perms]
        if missing:
            raise RuntimeError(f"permissions missing: {missing}")
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(*(perms[c] for c in codenames))
    Group.objects.get(name=project_roles.ADMINISTRATOR).permissions.add(*perms.values())


def may_open_calls(user):
    """The reform office opens calls for proposals."""
    return user.has_perm("intake.manage_intake")


def is_outside_expert(user):
    """An expert's account: reviews, and reads nothing of the plan."""
    return user.has_perm("intake.review_assigned") and not user.has_perm("projects.view_project")
