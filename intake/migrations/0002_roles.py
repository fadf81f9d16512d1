"""Create the role 评审专家 (outside expert) and give the four roles the intake's permissions.

The lists are frozen here as they were when this migration was written: later changes to
``intake.roles`` come with a migration of their own, never a rewrite of this one. 评审专家
gets nothing but ``intake.review_assigned``: no ``projects.view_project``, so the pages over
the plan refuse it.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READ = ["view_call", "view_proposal", "view_review", "view_fieldvisit"]
GRANTS = {
    "改革办": [*READ, "manage_intake", "view_suggestion", "change_suggestion"],
    "牵头单位联络员": ["view_call", "propose_for_unit"],
    "区领导": READ,
    "管理员": [*READ, "manage_intake"],
    "评审专家": ["review_assigned"],
}


def forwards(apps, schema_editor):
    for label in ("auth", "contenttypes", "intake"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = {p.codename: p for p in Permission.objects.filter(content_type__app_label="intake")}
    for role, codenames in GRANTS.items():
        missing = [c for c in codenames if c not in perms]
        if missing:
            raise RuntimeError(f"permissions missing: {missing}")
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(*(perms[c] for c in codenames))
    # administrators work in the admin site: every model permission of the app
    Group.objects.get(name="管理员").permissions.add(*perms.values())


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="评审专家").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("projects", "0011_plan_setup_data"),
        ("intake", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
