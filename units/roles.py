"""The four roles, as Django groups. A data migration creates them with their permissions."""

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
    ],
    UNIT_LIAISON: [
        *_VIEW,
        "projects.report_unit_progress",
        "projects.submit_unit_checkpoint",
        "projects.follow_up_unit_instruction",
    ],
    LEADERSHIP: [
        *_VIEW,
        "projects.add_instruction",
        "projects.write_instruction",
    ],
    # Administrators also get every model permission of both apps and of auth (see
    # the migration); they work in the admin site, so their accounts are staff.
    ADMINISTRATOR: [*_VIEW, "projects.load_plan"],
}
