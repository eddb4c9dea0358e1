"""The activities' full-text index (see content.search): an FTS5 table kept by
triggers on SQLite, a GIN index of the English text vector on PostgreSQL."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE partners_activity_fts USING fts5(title, summary, body, "
    "location, content='partners_activity', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    "CREATE TRIGGER partners_activity_fts_insert AFTER INSERT ON partners_activity "
    "BEGIN INSERT INTO partners_activity_fts(rowid, title, summary, body, location) "
    "VALUES (new.id, new.title, new.summary, new.body, new.location); END",
    "CREATE TRIGGER partners_activity_fts_delete AFTER DELETE ON partners_activity "
    "BEGIN INSERT INTO partners_activity_fts(partners_activity_fts, rowid, title, "
    "summary, body, location) VALUES ('delete', old.id, old.title, old.summary, "
    "old.body, old.location); END",
    "CREATE TRIGGER partners_activity_fts_update AFTER UPDATE ON partners_activity "
    "BEGIN INSERT INTO partners_activity_fts(partners_activity_fts, rowid, title, "
    "summary, body, location) VALUES ('delete', old.id, old.title, old.summary, "
    "old.body, old.location); INSERT INTO partners_activity_fts(rowid, title, "
    "summary, body, location) VALUES (new.id, new.title, new.summary, new.body, "
    "new.location); END",
    "INSERT INTO partners_activity_fts(partners_activity_fts) VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS partners_activity_fts_insert",
    "DROP TRIGGER IF EXISTS partners_activity_fts_delete",
    "DROP TRIGGER IF EXISTS partners_activity_fts_update",
    "DROP TABLE IF EXISTS partners_activity_fts",
]
# The expression Django writes for SearchVector(title, summary, body, location,
# config="english"), so that queries of that vector use the index.
POSTGRESQL = [
    "CREATE INDEX activity_search ON partners_activity USING gin "
    "(to_tsvector('english'::regconfig, COALESCE(title, '') || ' ' || "
    "COALESCE(summary, '') || ' ' || COALESCE(body, '') || ' ' || "
    "COALESCE(location, '')))"
]
POSTGRESQL_REVERSE = ["DROP INDEX IF EXISTS activity_search"]


def run(by_vendor):
    return lambda apps, editor: [
        editor.execute(sql) for sql in by_vendor.get(editor.connection.vendor, [])
    ]


class Migration(migrations.Migration):
    dependencies = [("partners", "0006_change_and_kind_indexes")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
