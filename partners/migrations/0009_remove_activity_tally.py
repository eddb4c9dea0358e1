"""Counts now come from aggregates cached under the content version: the trigger-kept
tally goes, triggers first."""

from django.db import migrations

TABLES = {
    "activity": "partners_activity",
    "partner_link": "partners_activity_partners",
    "area_link": "partners_activity_areas",
}
SQLITE = [
    f"DROP TRIGGER IF EXISTS partners_activitytally_{name}_{action}"
    for name in TABLES
    for action in ("insert", "delete", "update")
]
POSTGRESQL = [
    statement
    for name, table in TABLES.items()
    for statement in (
        f"DROP TRIGGER IF EXISTS partners_activitytally_{name} ON {table}",
        f"DROP FUNCTION IF EXISTS partners_activitytally_{name}()",
    )
]


def drop_triggers(apps, schema_editor):
    statements = {"sqlite": SQLITE, "postgresql": POSTGRESQL}
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("partners", "0008_activity_tally")]

    operations = [
        migrations.RunPython(drop_triggers, migrations.RunPython.noop),
        migrations.DeleteModel(name="ActivityTally"),
    ]
