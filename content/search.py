"""Word search over any content model that declares ``search_fields``.

One index and one tokenizer serve every search box: the site search and the activity
list's "Words" filter find the same records for the same words. Each word matches words
that start with it (stemmed, accents ignored), in any of the fields, and every word must
match. The index is made by each model's migrations: on PostgreSQL a GIN index of the
English text vector of the fields; on SQLite an FTS5 table named after the model's table
with ``_fts``, kept in step by triggers.

Translated fields (modeltranslation's ``<field>_ar``, ``<field>_fr``) are indexed too,
so a record is found by its text in any language, whatever the page's language:
PostgreSQL has a French and an Arabic GIN index beside the English one (the
multilingual_search migrations); SQLite's FTS5 table holds the translated columns after
the English ones. Arabic letter forms and diacritics, and French accents, are
normalised alike in the indexed text and in the query (``fold``).

``search_fields`` maps each field to its weight, the title first: "A" (title), "B"
(short text) or "C" (long text).
"""

import re

from django.db import connection
from django.db.models import F, FloatField, TextField, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from .models import translated_fields

MAX_WORDS = 12
# Private-use characters mark matches in the database's highlights; the text is escaped
# first and only then are they turned into <mark>, so editor text never becomes HTML.
START, STOP = "\ue000", "\ue001"
PG_WEIGHTS = [0.1, 0.2, 0.4, 1.0]  # D, C, B, A, as ts_rank takes them
FTS_WEIGHTS = {"A": 10.0, "B": 4.0, "C": 2.0}
LANGUAGES = ["ar", "fr"]  # the translated columns, in the FTS tables' order
PG_CONFIGS = {"en": "english", "fr": "french", "ar": "arabic"}
# As the migrations normalise the indexed text: Arabic alef variants to alef, taa
# marbuta to haa, alef maqsura to yaa, tatweel and diacritics dropped; French accents.
ARABIC_FROM = "\u0623\u0625\u0622\u0671\u0629\u0649"
ARABIC_TO = "\u0627\u0627\u0627\u0627\u0647\u064a"
ARABIC_DROP = "\u0640\u064b\u064c\u064d\u064e\u064f\u0650\u0651\u0652\u0670"
FRENCH_FROM = "àâäáãåçéèêëíìîïñóòôöõúùûüýÿ"
FRENCH_TO = "aaaaaaceeeeiiiinooooouuuuyy"
ARABIC = str.maketrans(ARABIC_FROM, ARABIC_TO, ARABIC_DROP)
FRENCH = str.maketrans(FRENCH_FROM, FRENCH_TO)


def fold(word):
    """A word as the indexes hold it: lower case, Arabic letters unified, no accents."""
    return word.lower().translate(ARABIC).translate(FRENCH)


def words_of(text):
    """Letters and digits only: punctuation has no meaning in these searches."""
    # Arabic diacritics are marks (not letters): dropped first, so a word stays whole.
    text = (text or "").translate(ARABIC)
    return re.findall(r"[^\W_]+", text)[:MAX_WORDS]


def _translated(model):
    return [name for name in model.search_fields if name in translated_fields(model)]


def english_fields(model):
    """The columns of the English text: modeltranslation keeps it in <field>_en."""
    translated = _translated(model)
    return [f"{n}_en" if n in translated else n for n in model.search_fields]


def fts_columns(model):
    """The FTS5 table's columns: the English fields, then each language's."""
    names = english_fields(model)
    for language in LANGUAGES:
        names += [f"{name}_{language}" for name in _translated(model)]
    return names


def matching(queryset, text):
    """The records of the queryset whose text holds every word of `text`."""
    words = words_of(text)
    if not words:
        return queryset.none()
    if connection.vendor == "postgresql":
        return queryset.filter(pk__in=RawSQL(*_pg_match(queryset.model, words)))
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
    language = translation.get_language() or "en"
    for row in rows:
        if language != "en" and language in LANGUAGES:
            # The database marks its own copy of the text (English, or Arabic
            # normalised): in another language the words are marked here.
            row.marked_title, row.marked_snippet = _marked_in_python(row, words)
        row.marked_title = _marked(row.marked_title)
        row.marked_snippet = _marked(row.marked_snippet)
    return rows


def _marked_in_python(row, words):
    title, *texts = row.search_fields
    folded = [fold(word) for word in words]

    def mark(text):
        return re.sub(
            r"[^\W_]+",
            lambda m: (
                f"{START}{m[0]}{STOP}"
                if any(fold(m[0]).startswith(word) for word in folded)
                else m[0]
            ),
            text,
        )

    snippet = next((getattr(row, name) for name in texts if getattr(row, name)), "")
    cut = snippet.split()
    snippet = " ".join(cut[:35]) + (" …" if len(cut) > 35 else "")
    return mark(getattr(row, title) or ""), mark(snippet)


def _pg_vector_sql(model, language):
    """The SQL of a language's indexed vector, as the migrations wrote the index."""
    if language == "en":
        names = english_fields(model)
        text = " || ' ' || ".join(f"COALESCE({name}, '')" for name in names)
        return f"to_tsvector('english'::regconfig, {text})"
    text = " || ' ' || ".join(
        f"COALESCE({name}_{language}, '')" for name in _translated(model)
    )
    if language == "fr":
        from_, to = FRENCH_FROM, FRENCH_TO
        text = f"translate(lower({text}), '{from_}', '{to}')"
    else:
        text = f"translate({text}, '{ARABIC_FROM}{ARABIC_DROP}', '{ARABIC_TO}')"
    return f"to_tsvector('{PG_CONFIGS[language]}'::regconfig, {text})"


def _pg_raw(words):
    # Words are letters and digits only, so they cannot carry tsquery operators.
    return " & ".join(f"{fold(word)}:*" for word in words)


def _pg_match(model, words):
    tests = [
        f"{_pg_vector_sql(model, language)} @@ "
        f"to_tsquery('{PG_CONFIGS[language]}'::regconfig, %s)"
        for language in ["en", *LANGUAGES]
    ]
    sql = f"SELECT id FROM {model._meta.db_table} WHERE {' OR '.join(tests)}"
    return sql, [_pg_raw(words)] * len(tests)


def _weighted_vector(model):
    # Imported here: the module needs the PostgreSQL driver, which SQLite runs lack.
    from django.contrib.postgres.search import SearchVector

    names = english_fields(model)
    parts = [
        SearchVector(name, weight=weight, config="english")
        for name, weight in zip(names, model.search_fields.values(), strict=True)
    ]
    vector = parts[0]
    for part in parts[1:]:
        vector = vector + part
    return vector


def _query(words):
    from django.contrib.postgres.search import SearchQuery

    # Words are letters and digits only, so they cannot carry tsquery operators.
    return SearchQuery(_pg_raw(words), search_type="raw", config="english")


def _pg_ranked(queryset, words, limit):
    from django.contrib.postgres.search import SearchHeadline, SearchRank

    model, query = queryset.model, _query(words)
    language = translation.get_language()
    rank = SearchRank(_weighted_vector(model), query, PG_WEIGHTS)
    if language in LANGUAGES:  # how well the page's language matches counts too
        rank = rank + RawSQL(
            f"ts_rank({_pg_vector_sql(model, language)}, "
            f"to_tsquery('{PG_CONFIGS[language]}'::regconfig, %s))",
            [_pg_raw(words)],
            output_field=FloatField(),
        )
    title, *texts = english_fields(model)
    body = Concat(
        *[piece for name in texts for piece in (F(name), Value(" "))],
        output_field=TextField(),
    )
    options = {"start_sel": START, "stop_sel": STOP, "config": "english"}
    return list(
        matching(queryset, " ".join(words))
        .annotate(
            search_rank=rank,
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
    return " ".join(f'"{fold(word)}"*' for word in words)


def _fts_match(model, words):
    table = _fts_table(model)
    return f"SELECT rowid FROM {table} WHERE {table} MATCH %s", [_phrase(words)]


def _fts_ranked(queryset, words, limit):
    model, table = queryset.model, _fts_table(queryset.model)
    weights = ", ".join(
        str(
            FTS_WEIGHTS[
                model.search_fields.get(column)
                or model.search_fields[column.rsplit("_", 1)[0]]
            ]
        )
        for column in fts_columns(model)
    )
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
