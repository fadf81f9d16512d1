"""Create the four role groups with their permissions, so a fresh database has them.

The role list is frozen here as it was when this migration was written: later changes to
``projects.roles`` must come with a migration of their own, never rewrite this one.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

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
    "改革办": [
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
    "牵头单位联络员": [
        *_VIEW,
        "projects.report_unit_progress",
        "projects.submit_unit_checkpoint",
        "projects.follow_up_unit_instruction",
    ],
    "区领导": [*_VIEW, "projects.add_instruction", "projects.write_instruction"],
    "管理员": [*_VIEW, "projects.load_plan"],
}
ADMIN_APPS = ["projects", "units", "auth"]


def build_groups(Group, Permission):
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
    Group.objects.get(name="管理员").permissions.add(
        *Permission.objects.filter(content_type__app_label__in=ADMIN_APPS)
    )


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations (post_migrate); make them now.
    for label in ("auth", "contenttypes", "units", "projects"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    build_groups(apps.get_model("auth", "Group"), apps.get_model("auth", "Permission"))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=list(ROLE_PERMISSIONS)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("units", "0001_initial"),
        ("projects", "0003_workflow"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
