"""Word search over any content model that declares ``search_fields``.

One index and one tokenizer serve every search box: the site search and the activity
list's "Words" filter find the same records for the same words. Each word matches words
that start with it (stemmed, accents ignored), in any of the fields, and every word must
match. The index is made by each model's migrations: on PostgreSQL a GIN index of the
English text vector of the fields; on SQLite an FTS5 table named after the model's table
with ``_fts``, kept in step by triggers.

``search_fields`` maps each field to its weight, the title first: "A" (title), "B"
(short text) or "C" (long text).
"""

import re

from django.db import connection
from django.db.models import F, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import mark_safe

MAX_WORDS = 12
# Private-use characters mark matches in the database's highlights; the text is escaped
# first and only then are they turned into <mark>, so editor text never becomes HTML.
START, STOP = "\ue000", "\ue001"
PG_WEIGHTS = [0.1, 0.2, 0.4, 1.0]  # D, C, B, A, as ts_rank takes them
FTS_WEIGHTS = {"A": 10.0, "B": 4.0, "C": 2.0}


def words_of(text):
    """Letters and digits only: punctuation has no meaning in these searches."""
    return re.findall(r"[^\W_]+", text or "")[:MAX_WORDS]


def matching(queryset, text):
    """The records of the queryset whose text holds every word of `text`."""
    words = words_of(text)
    if not words:
        return queryset.none()
    if connection.vendor == "postgresql":
        return queryset.alias(words=_vector(queryset.model)).filter(words=_query(words))
    return queryset.filter(pk__in=RawSQL(*_fts_match(queryset.model, words)))


def ranked(queryset, text, limit):
    """The best `limit` matches, best first, each with ``search_rank`` and its title
    and a snippet of its text with the words marked (``marked_title``,
    ``marked_snippet``: escaped HTML)."""
    words = words_of(text)
    if not words:
        return []
    if connection.vendor == "postgresql":
        rows = _pg_ranked(queryset, words, limit)
    else:
        rows = _fts_ranked(queryset, words, limit)
    for row in rows:
        row.marked_title = _marked(row.marked_title)
        row.marked_snippet = _marked(row.marked_snippet)
    return rows


def _vector(model, weighted=False):
    # Imported here: the module needs the PostgreSQL driver, which SQLite runs lack.
    from django.contrib.postgres.search import SearchVector

    if not weighted:  # the very expression the GIN index holds
        return SearchVector(*model.search_fields, config="english")
    parts = [
        SearchVector(name, weight=weight, config="english")
        for name, weight in model.search_fields.items()
    ]
    vector = parts[0]
    for part in parts[1:]:
        vector = vector + part
    return vector


def _query(words):
    from django.contrib.postgres.search import SearchQuery

    # Words are letters and digits only, so they cannot carry tsquery operators.
    raw = " & ".join(f"{word}:*" for word in words)
    return SearchQuery(raw, search_type="raw", config="english")


def _pg_ranked(queryset, words, limit):
    from django.contrib.postgres.search import SearchHeadline, SearchRank

    model, query = queryset.model, _query(words)
    title, *texts = model.search_fields
    body = Concat(
        *[piece for name in texts for piece in (F(name), Value(" "))],
        output_field=TextField(),
    )
    options = {"start_sel": START, "stop_sel": STOP, "config": "english"}
    return list(
        matching(queryset, " ".join(words))
        .annotate(
            search_rank=SearchRank(_vector(model, weighted=True), query, PG_WEIGHTS),
            marked_title=SearchHeadline(title, query, highlight_all=True, **options),
            marked_snippet=SearchHeadline(
                body, query, max_words=35, min_words=15, **options
            ),
        )
        .order_by("-search_rank", title)[:limit]
    )


def _fts_table(model):
    return f"{model._meta.db_table}_fts"


def _phrase(words):
    return " ".join(f'"{word}"*' for word in words)


def _fts_match(model, words):
    table = _fts_table(model)
    return f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [_phrase(words)]


def _fts_ranked(queryset, words, limit):
    model, table = queryset.model, _fts_table(queryset.model)
    weights = ", ".join(str(FTS_WEIGHTS[w]) for w in model.search_fields.values())
    public_sql, public_params = queryset.values("pk").query.sql_with_params()
    sql = (
        f"SELECT r.*, -bm25({table}, {weights}) AS search_rank, "
        f"highlight({table}, 0, %s, %s) AS marked_title, "
        f"snippet({table}, -1, %s, %s, '…', 30) AS marked_snippet "
        f"FROM {table} JOIN {model._meta.db_table} r ON r.id = {table}.rowid "
        f"WHERE {table} MATCH %s AND r.id IN ({public_sql}) "
        "ORDER BY search_rank DESC LIMIT %s"
    )
    params = [START, STOP, START, STOP, _phrase(words), *public_params, limit]
    return list(model._default_manager.raw(sql, params))


def _marked(text):
    html = escape(text or "").replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(html)  # escaped above: the only tags are our own <mark>s
