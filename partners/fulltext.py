"""An index of activities' words, so the "Words" filter never reads every activity.

SQLite keeps an FTS5 table beside the activities, filled and kept in step by
triggers, so every write (admin, fixtures, bulk inserts, raw SQL) reaches it.
PostgreSQL indexes the same text in a GIN index of its own full-text vector. Each
word of a search matches words that start with it, in any of the fields, and every
word must match.
"""

import re

from django.db import connection
from django.db.models.expressions import RawSQL

FIELDS = ("title", "summary", "body", "location")
MAX_WORDS = 12
TABLE = "partners_activity"
FTS_TABLE = "partners_activity_fts"
GIN_INDEX = "activity_search"


def words_of(text):
    """Letters and digits only: punctuation has no meaning in these searches."""
    return re.findall(r"[^\W_]+", text)[:MAX_WORDS]


def matching(queryset, text):
    """The activities of the queryset whose text holds every word of `text`."""
    words = words_of(text)
    if not words:
        return queryset.none()
    if connection.vendor == "postgresql":
        return queryset.alias(words=_vector()).filter(words=_query(words))
    fts_query = " ".join(f'"{word}"*' for word in words)
    matches = RawSQL(
        f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [fts_query]
    )
    return queryset.filter(pk__in=matches)


def _vector():
    # Imported here: the module needs the PostgreSQL driver, which SQLite runs lack.
    from django.contrib.postgres.search import SearchVector

    return SearchVector(*FIELDS, config="english")


def _query(words):
    from django.contrib.postgres.search import SearchQuery

    # Words are letters and digits only, so they cannot carry tsquery operators.
    raw = " & ".join(f"{word}:*" for word in words)
    return SearchQuery(raw, search_type="raw", config="english")


def _sqlite_statements():
    columns = ", ".join(FIELDS)
    new = ", ".join(f"new.{field}" for field in FIELDS)
    old = ", ".join(f"old.{field}" for field in FIELDS)
    insert = f"INSERT INTO {FTS_TABLE}(rowid, {columns}) VALUES (new.id, {new});"
    delete = (
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {columns}) "
        f"VALUES ('delete', old.id, {old});"
    )
    return [
        f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5({columns}, content='{TABLE}', "
        "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
        f"CREATE TRIGGER {FTS_TABLE}_insert AFTER INSERT ON {TABLE} BEGIN {insert} END",
        f"CREATE TRIGGER {FTS_TABLE}_delete AFTER DELETE ON {TABLE} BEGIN {delete} END",
        f"CREATE TRIGGER {FTS_TABLE}_update AFTER UPDATE ON {TABLE} "
        f"BEGIN {delete} {insert} END",
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
    ]


def install(apps, schema_editor):
    """Migration step: build the index on the backend in use."""
    if schema_editor.connection.vendor == "postgresql":
        from django.contrib.postgres.indexes import GinIndex

        activity = apps.get_model("partners", "Activity")
        schema_editor.add_index(activity, GinIndex(_vector(), name=GIN_INDEX))
    elif schema_editor.connection.vendor == "sqlite":
        for statement in _sqlite_statements():
            schema_editor.execute(statement)


def uninstall(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")
    elif schema_editor.connection.vendor == "sqlite":
        for action in ("insert", "delete", "update"):
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{action}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
