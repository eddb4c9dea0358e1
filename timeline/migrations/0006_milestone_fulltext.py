"""The milestones' full-text index, as partners 0007 made for activities (content.search)."""

from django.db import migrations

SQLITE = [
    'CREATE VIRTUAL TABLE timeline_milestone_fts USING fts5(title, summary, '
    "content='timeline_milestone', content_rowid='id', tokenize='porter unicode61"
    " remove_diacritics 2')",
    'CREATE TRIGGER timeline_milestone_fts_insert AFTER INSERT ON '
    'timeline_milestone BEGIN INSERT INTO timeline_milestone_fts(rowid, title, '
    'summary) VALUES (new.id, new.title, new.summary); END',
    'CREATE TRIGGER timeline_milestone_fts_delete AFTER DELETE ON '
    'timeline_milestone BEGIN INSERT INTO '
    'timeline_milestone_fts(timeline_milestone_fts, rowid, title, summary) VALUES'
    " ('delete', old.id, old.title, old.summary); END",
    'CREATE TRIGGER timeline_milestone_fts_update AFTER UPDATE ON '
    'timeline_milestone BEGIN INSERT INTO '
    'timeline_milestone_fts(timeline_milestone_fts, rowid, title, summary) VALUES'
    " ('delete', old.id, old.title, old.summary); INSERT INTO "
    'timeline_milestone_fts(rowid, title, summary) VALUES (new.id, new.title, '
    'new.summary); END',
    'INSERT INTO timeline_milestone_fts(timeline_milestone_fts) VALUES '
    "('rebuild')",
]
SQLITE_REVERSE = [
    'DROP TRIGGER IF EXISTS timeline_milestone_fts_insert',
    'DROP TRIGGER IF EXISTS timeline_milestone_fts_delete',
    'DROP TRIGGER IF EXISTS timeline_milestone_fts_update',
    'DROP TABLE IF EXISTS timeline_milestone_fts',
]
# The expression Django writes for SearchVector(*search_fields, config="english"),
# so that queries of that vector use the index.
POSTGRESQL = [
    'CREATE INDEX milestone_search ON timeline_milestone USING gin '
    "(to_tsvector('english'::regconfig, COALESCE(title, '') || ' ' || "
    "COALESCE(summary, '')))",
]
POSTGRESQL_REVERSE = [
    'DROP INDEX IF EXISTS milestone_search',
]


def run(by_vendor):
    return lambda apps, editor: [
        editor.execute(sql) for sql in by_vendor.get(editor.connection.vendor, [])
    ]


class Migration(migrations.Migration):
    dependencies = [("timeline", "0005_change_and_kind_indexes")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
