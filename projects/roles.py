"""The roles, as Django groups, and what each may do today.

Roles name ``projects`` permissions, so they live here, not in ``units``. The database gets
them from data migrations, each with its own frozen list (0004 created the roles; 0011,
0014 and 0016 granted what plan set-up, report periods and the year's end need). This
module is the current sum of those lists, used by ``build_groups`` when tests rebuild the
groups after flushing the database; a test checks it equals what the migrations made.
"""

REFORM_OFFICE = "改革办"
UNIT_LIAISON = "牵头单位联络员"
LEADERSHIP = "区领导"
ADMINISTRATOR = "管理员"

_VIEW = [
    "projects.view_reformplan",
    "projects.view_project",
    "projects.view_checkpoint",
    "projects.view_progressupdate",
    "projects.view_instruction",
    "projects.view_meeting",
    "projects.view_agendaitem",
    "projects.view_decision",
    "projects.view_planadjustment",
    "projects.view_reportperiod",
    "projects.view_leaderaction",
    "projects.view_closeout",
    "projects.view_assessment",
    "units.view_unit",
    "units.view_official",
]

ROLE_PERMISSIONS = {
    REFORM_OFFICE: [
        *_VIEW,
        "projects.change_project",
        "projects.change_checkpoint",
        "projects.add_progressupdate",
        "projects.change_progressupdate",
        "projects.change_instruction",
        "projects.report_any_progress",
        "projects.submit_any_checkpoint",
        "projects.review_checkpoint",
        "projects.follow_up_any_instruction",
        "projects.add_reformplan",
        "projects.change_reformplan",
        "projects.add_project",
        "projects.add_meeting",
        "projects.change_meeting",
        "projects.add_agendaitem",
        "projects.change_agendaitem",
        "projects.add_decision",
        "projects.add_planadjustment",
        "projects.add_reportperiod",
        "projects.change_reportperiod",
        "projects.add_leaderaction",
        "projects.change_leaderaction",
        "projects.add_closeout",
        "projects.change_closeout",
        "projects.add_assessment",
        "projects.change_assessment",
    ],
    UNIT_LIAISON: [
        *_VIEW,
        "projects.report_unit_progress",
        "projects.submit_unit_checkpoint",
        "projects.follow_up_unit_instruction",
        "projects.add_closeout",
    ],
    LEADERSHIP: [
        *_VIEW,
        "projects.add_instruction",
        "projects.write_instruction",
        "projects.add_leaderaction",
    ],
    # Administrators also get every model permission of both apps and of auth (see
    # the migration); they work in the admin site, so their accounts are staff.
    ADMINISTRATOR: [*_VIEW, "projects.load_plan"],
}


def build_groups(Group, Permission):
    """Create the role groups and grant their permissions (idempotent).

    Takes the model classes so the data migration can pass its historical models.
    """

    def lookup(names):
        wanted = {tuple(name.split(".")) for name in names}
        perms = Permission.objects.select_related("content_type").filter(
            content_type__app_label__in={app for app, _ in wanted}
        )
        found = [p for p in perms if (p.content_type.app_label, p.codename) in wanted]
        missing = wanted - {(p.content_type.app_label, p.codename) for p in found}
        if missing:
            raise RuntimeError(f"permissions missing: {sorted(missing)}")
        return found

    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(*lookup(names))
    Group.objects.get(name=ADMINISTRATOR).permissions.add(
        *Permission.objects.filter(content_type__app_label__in=["projects", "units", "auth"])
    )
    from units.roles import grant_permissions  # the directory and accounts

    grant_permissions(Group, Permission)


def has_own_projects(user):
    """A leader linked to an official, or a liaison of a unit: they have "my projects"."""
    if user.official_id:
        return True
    return bool(user.unit_id) and user.has_perm("projects.report_unit_progress")
