"""Editors may edit every kind of content made since the Editors group was (partners
0002): citations, changes and problem reports included."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

APPS = ["content", "partners", "timeline"]


def grant(apps, schema_editor):
    for label in APPS:
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
    Permission = apps.get_model("auth", "Permission")
    for editors in apps.get_model("auth", "Group").objects.filter(name="Editors"):
        editors.permissions.add(
            *Permission.objects.filter(content_type__app_label__in=APPS)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("content", "0001_changes_and_problem_reports"),
        ("partners", "0012_source_language"),
        ("timeline", "0007_citation_passages"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
