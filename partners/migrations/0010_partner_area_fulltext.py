"""Full-text indexes of partners and areas, as 0007 made for activities, so the site
search reads one kind of index for every kind of record (content.search)."""

from django.db import migrations

SQLITE = [
    'CREATE VIRTUAL TABLE partners_partner_fts USING fts5(name, official_name, '
    "summary, profile, content='partners_partner', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    'CREATE TRIGGER partners_partner_fts_insert AFTER INSERT ON partners_partner '
    'BEGIN INSERT INTO partners_partner_fts(rowid, name, official_name, summary, '
    'profile) VALUES (new.id, new.name, new.official_name, new.summary, '
    'new.profile); END',
    'CREATE TRIGGER partners_partner_fts_delete AFTER DELETE ON partners_partner '
    'BEGIN INSERT INTO partners_partner_fts(partners_partner_fts, rowid, name, '
    "official_name, summary, profile) VALUES ('delete', old.id, old.name, "
    'old.official_name, old.summary, old.profile); END',
    'CREATE TRIGGER partners_partner_fts_update AFTER UPDATE ON partners_partner '
    'BEGIN INSERT INTO partners_partner_fts(partners_partner_fts, rowid, name, '
    "official_name, summary, profile) VALUES ('delete', old.id, old.name, "
    'old.official_name, old.summary, old.profile); INSERT INTO '
    'partners_partner_fts(rowid, name, official_name, summary, profile) VALUES '
    '(new.id, new.name, new.official_name, new.summary, new.profile); END',
    "INSERT INTO partners_partner_fts(partners_partner_fts) VALUES ('rebuild')",
    'CREATE VIRTUAL TABLE partners_cooperationarea_fts USING fts5(name, summary, '
    "description, content='partners_cooperationarea', content_rowid='id', "
    "tokenize='porter unicode61 remove_diacritics 2')",
    'CREATE TRIGGER partners_cooperationarea_fts_insert AFTER INSERT ON '
    'partners_cooperationarea BEGIN INSERT INTO '
    'partners_cooperationarea_fts(rowid, name, summary, description) VALUES '
    '(new.id, new.name, new.summary, new.description); END',
    'CREATE TRIGGER partners_cooperationarea_fts_delete AFTER DELETE ON '
    'partners_cooperationarea BEGIN INSERT INTO '
    'partners_cooperationarea_fts(partners_cooperationarea_fts, rowid, name, '
    "summary, description) VALUES ('delete', old.id, old.name, old.summary, "
    'old.description); END',
    'CREATE TRIGGER partners_cooperationarea_fts_update AFTER UPDATE ON '
    'partners_cooperationarea BEGIN INSERT INTO '
    'partners_cooperationarea_fts(partners_cooperationarea_fts, rowid, name, '
    "summary, description) VALUES ('delete', old.id, old.name, old.summary, "
    'old.description); INSERT INTO partners_cooperationarea_fts(rowid, name, '
    'summary, description) VALUES (new.id, new.name, new.summary, '
    'new.description); END',
    'INSERT INTO partners_cooperationarea_fts(partners_cooperationarea_fts) '
    "VALUES ('rebuild')",
]
SQLITE_REVERSE = [
    'DROP TRIGGER IF EXISTS partners_partner_fts_insert',
    'DROP TRIGGER IF EXISTS partners_partner_fts_delete',
    'DROP TRIGGER IF EXISTS partners_partner_fts_update',
    'DROP TABLE IF EXISTS partners_partner_fts',
    'DROP TRIGGER IF EXISTS partners_cooperationarea_fts_insert',
    'DROP TRIGGER IF EXISTS partners_cooperationarea_fts_delete',
    'DROP TRIGGER IF EXISTS partners_cooperationarea_fts_update',
    'DROP TABLE IF EXISTS partners_cooperationarea_fts',
]
# The expression Django writes for SearchVector(*search_fields, config="english"),
# so that queries of that vector use the index.
POSTGRESQL = [
    'CREATE INDEX partner_search ON partners_partner USING gin '
    "(to_tsvector('english'::regconfig, COALESCE(name, '') || ' ' || "
    "COALESCE(official_name, '') || ' ' || COALESCE(summary, '') || ' ' || "
    "COALESCE(profile, '')))",
    'CREATE INDEX area_search ON partners_cooperationarea USING gin '
    "(to_tsvector('english'::regconfig, COALESCE(name, '') || ' ' || "
    "COALESCE(summary, '') || ' ' || COALESCE(description, '')))",
]
POSTGRESQL_REVERSE = [
    'DROP INDEX IF EXISTS partner_search',
    'DROP INDEX IF EXISTS area_search',
]


def run(by_vendor):
    return lambda apps, editor: [
        editor.execute(sql) for sql in by_vendor.get(editor.connection.vendor, [])
    ]


class Migration(migrations.Migration):
    dependencies = [("partners", "0009_remove_activity_tally")]

    operations = [
        migrations.RunPython(
            run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
