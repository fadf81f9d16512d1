"""Let the reform office keep the directory of units and officials in the app, and the
administrators the accounts: grant the permissions below (idempotent).

The lists are frozen here as they were when this migration was written (``units.roles``
holds the current ones); a later change needs a migration of its own. Groups come from
``projects`` 0004 (the roles), so this runs after it.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

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
GRANTS = {"改革办": DIRECTORY, "管理员": [*DIRECTORY, *ACCOUNTS]}
# what 改革办 did not have before: taken back when the migration is reversed
NEW_FOR_OFFICE = [
    "units.add_unit",
    "units.change_unit",
    "units.add_official",
    "units.change_official",
]


def _permissions(Permission, names):
    wanted = {tuple(name.split(".")) for name in names}
    found = [
        p
        for p in Permission.objects.select_related("content_type").filter(
            content_type__app_label__in={app for app, _ in wanted}
        )
        if (p.content_type.app_label, p.codename) in wanted
    ]
    missing = wanted - {(p.content_type.app_label, p.codename) for p in found}
    if missing:
        raise RuntimeError(f"permissions missing: {sorted(missing)}")
    return found


def grant(apps, schema_editor):
    app_config = apps.get_app_config("units")  # permissions are made after migrations
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group, Permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
    for role, names in GRANTS.items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(*_permissions(Permission, names))


def take_back(apps, schema_editor):
    Group, Permission = apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")
    office = Group.objects.filter(name="改革办").first()
    if office is not None:
        office.permissions.remove(*_permissions(Permission, NEW_FOR_OFFICE))


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0003_people_history"),
        ("projects", "0004_roles"),
    ]

    operations = [migrations.RunPython(grant, take_back)]
