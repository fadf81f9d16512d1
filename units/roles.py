"""Who keeps the directory and the accounts: permissions of ``units`` granted to roles.

Roles are Django groups, created by ``projects`` (its migration 0004); this module names
them only to grant the permissions below. Migration ``units/0004_directory_roles`` keeps a
frozen copy of this table; a change here needs a migration of its own.
"""

DIRECTORY = [
    "units.add_unit",
    "units.change_unit",
    "units.view_unit",
    "units.add_official",
    "units.change_official",
    "units.view_official",
]
ACCOUNTS = [
    "units.add_user",
    "units.change_user",
    "units.view_user",
    "units.view_rolechange",  # the record of roles given and taken (admin site)
]

GRANTS = {
    "改革办": DIRECTORY,  # the reform office keeps the units and the officials
    "管理员": [*DIRECTORY, *ACCOUNTS],  # administrators also manage the accounts
}


def grant_permissions(Group, Permission):
    """Give the roles their ``units`` permissions (idempotent). Takes the model classes so
    tests that flush the database can rebuild the groups."""
    for role, names in GRANTS.items():
        wanted = {tuple(name.split(".")) for name in names}
        perms = [
            p
            for p in Permission.objects.select_related("content_type").filter(
                content_type__app_label="units"
            )
            if (p.content_type.app_label, p.codename) in wanted
        ]
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(*perms)
