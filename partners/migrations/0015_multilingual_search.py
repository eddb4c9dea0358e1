"""Full-text search in every language (content.search): the translated columns join
the index, Arabic text normalised the same way as the query.

SQLite: the FTS5 table holds its own copy of the text (no longer an external content
table), English columns first, then the French and then the Arabic ones; Arabic is
stored with its letter forms unified (alef variants to alef, taa marbuta to haa, alef
maqsura to yaa) and without tatweel and diacritics; French accents go in the
tokenizer (remove_diacritics). The English text is read from modeltranslation's
<field>_en columns. PostgreSQL: the English GIN index remade on those, and beside it
one on the French text vector (accents translated away) and one on the Arabic vector (letters
normalised as above). The SQL is written out here: a migration never imports code.
"""

from django.db import migrations

TABLES = [
    (
        "partners_partner",
        "partner_search",
        ["name", "official_name", "summary", "profile"],
        {"name", "official_name", "summary", "profile"},
    ),
    (
        "partners_cooperationarea",
        "area_search",
        ["name", "summary", "description"],
        {"name", "summary", "description"},
    ),
    (
        "partners_activity",
        "activity_search",
        ["title", "summary", "body", "location"],
        {"title", "summary"},
    ),
]
LANGUAGES = ["ar", "fr"]
ARABIC_FROM = "\u0623\u0625\u0622\u0671\u0629\u0649"
ARABIC_TO = "\u0627\u0627\u0627\u0627\u0647\u064a"
ARABIC_DROP = "\u0640\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670"
FRENCH_FROM = "àâäáãåçéèêëíìîïñóòôöõúùûüýÿ"
FRENCH_TO = "aaaaaaceeeeiiiinooooouuuuyy"


def arabic_sqlite(expression):
    for old, new in zip(ARABIC_FROM, ARABIC_TO, strict=True):
        expression = f"replace({expression}, '{old}', '{new}')"
    for old in ARABIC_DROP:
        expression = f"replace({expression}, '{old}', '')"
    return expression


def english(fields, translated):
    # modeltranslation keeps the English text in <field>_en (update() writes there).
    return [f"{name}_en" if name in translated else name for name in fields]


def columns(fields, translated):
    names = english(fields, translated)
    for language in LANGUAGES:
        names += [f"{name}_{language}" for name in fields if name in translated]
    return names


def values(prefix, fields, translated):
    out = [f"{prefix}{name}" for name in english(fields, translated)]
    for language in LANGUAGES:
        for name in fields:
            if name in translated:
                value = f"{prefix}{name}_{language}"
                out.append(arabic_sqlite(value) if language == "ar" else value)
    return out


def sqlite(table, fields, translated):
    fts, cols = f"{table}_fts", columns(fields, translated)
    insert = (
        f"INSERT INTO {fts}(rowid, {', '.join(cols)}) VALUES (new.id, "
        f"{', '.join(values('new.', fields, translated))});"
    )
    delete = f"DELETE FROM {fts} WHERE rowid = old.id;"
    return [
        f"DROP TRIGGER IF EXISTS {table}_fts_insert",
        f"DROP TRIGGER IF EXISTS {table}_fts_delete",
        f"DROP TRIGGER IF EXISTS {table}_fts_update",
        f"DROP TABLE IF EXISTS {fts}",
        f"CREATE VIRTUAL TABLE {fts} USING fts5({', '.join(cols)}, "
        "tokenize='porter unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER {table}_fts_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER {table}_fts_delete AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER {table}_fts_update AFTER UPDATE ON {table} "
        f"BEGIN {delete} {insert} END",
        f"INSERT INTO {fts}(rowid, {', '.join(cols)}) SELECT id, "
        f"{', '.join(values('', fields, translated))} FROM {table}",
    ]


def pg_text(fields, language):
    return " || ' ' || ".join(f"COALESCE({name}_{language}, '')" for name in fields)


def postgresql(table, index, fields, translated):
    names = [name for name in fields if name in translated]
    french = (
        f"translate(lower({pg_text(names, 'fr')}), '{FRENCH_FROM}', '{FRENCH_TO}')"
    )
    arabic = (
        f"translate({pg_text(names, 'ar')}, '{ARABIC_FROM}{ARABIC_DROP}', "
        f"'{ARABIC_TO}')"
    )
    text = " || ' ' || ".join(
        f"COALESCE({name}, '')" for name in english(fields, translated)
    )
    return [
        f"DROP INDEX IF EXISTS {index}",
        f"CREATE INDEX {index} ON {table} USING gin "
        f"(to_tsvector('english'::regconfig, {text}))",
        f"CREATE INDEX {index}_fr ON {table} USING gin "
        f"(to_tsvector('french'::regconfig, {french}))",
        f"CREATE INDEX {index}_ar ON {table} USING gin "
        f"(to_tsvector('arabic'::regconfig, {arabic}))",
    ]


def forwards(apps, editor):
    vendor = editor.connection.vendor
    for table, index, fields, translated in TABLES:
        if vendor == "sqlite":
            statements = sqlite(table, fields, translated)
        elif vendor == "postgresql":
            statements = postgresql(table, index, fields, translated)
        else:
            statements = []
        for sql in statements:
            editor.execute(sql)


def english_only_sqlite(table, fields):
    """The index as the earlier migrations made it: English columns only."""
    fts, cols = f"{table}_fts", ", ".join(fields)
    new = ", ".join(f"new.{name}" for name in fields)
    old = ", ".join(f"old.{name}" for name in fields)
    delete = f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old});"
    insert = f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new});"
    return [
        f"DROP TRIGGER IF EXISTS {table}_fts_insert",
        f"DROP TRIGGER IF EXISTS {table}_fts_delete",
        f"DROP TRIGGER IF EXISTS {table}_fts_update",
        f"DROP TABLE IF EXISTS {fts}",
        f"CREATE VIRTUAL TABLE {fts} USING fts5({cols}, content='{table}', "
        "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER {table}_fts_insert AFTER INSERT ON {table} BEGIN {insert} END",
        f"CREATE TRIGGER {table}_fts_delete AFTER DELETE ON {table} BEGIN {delete} END",
        f"CREATE TRIGGER {table}_fts_update AFTER UPDATE ON {table} "
        f"BEGIN {delete} {insert} END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",
    ]


def english_only_postgresql(table, index, fields):
    text = " || ' ' || ".join(f"COALESCE({name}, '')" for name in fields)
    return [
        f"DROP INDEX IF EXISTS {index}_fr",
        f"DROP INDEX IF EXISTS {index}_ar",
        f"DROP INDEX IF EXISTS {index}",
        f"CREATE INDEX {index} ON {table} USING gin "
        f"(to_tsvector('english'::regconfig, {text}))",
    ]


def backwards(apps, editor):
    vendor = editor.connection.vendor
    for table, index, fields, _translated in TABLES:
        if vendor == "sqlite":
            statements = english_only_sqlite(table, fields)
        elif vendor == "postgresql":
            statements = english_only_postgresql(table, index, fields)
        else:
            statements = []
        for sql in statements:
            editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("partners", "0014_language_changed")]

    operations = [migrations.RunPython(forwards, backwards)]
