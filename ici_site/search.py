"""Site search over partners, activities, milestones and areas.

PostgreSQL ranks with its full-text search (weighted vectors, websearch syntax,
highlighted headlines); other databases fall back to matching every word and ranking
by where the words occur. Both give the same kind of hit, so the page is one template.
"""

import re
from dataclasses import dataclass

from django import forms
from django.db import connection
from django.db.models import F, Q, TextField, Value
from django.db.models.functions import Concat
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from partners.models import Activity, CooperationArea, Partner
from timeline.models import Milestone

MAX_LENGTH = 200
MAX_WORDS = 12
PER_KIND = 25
# Private-use characters mark matches in the database's headline; the text is escaped
# first and only then are they turned into <mark>, so editor text never becomes HTML.
START, STOP = "\ue000", "\ue001"


@dataclass(frozen=True)
class Searchable:
    label: str
    plural: str
    queryset: callable
    title: str
    weighted: dict  # field name: weight "A" (title) to "C" (long text)

    @property
    def text_fields(self):
        return [name for name, weight in self.weighted.items() if weight != "A"]


KINDS = {  # in the order the page offers them
    "partner": Searchable(
        _("Partner"),
        _("Partners"),
        lambda: Partner.objects.public(),
        "name",
        {"name": "A", "official_name": "A", "summary": "B", "profile": "C"},
    ),
    "area": Searchable(
        _("Cooperation area"),
        _("Cooperation areas"),
        lambda: CooperationArea.objects.all(),
        "name",
        {"name": "A", "summary": "B", "description": "C"},
    ),
    "activity": Searchable(
        _("Activity"),
        _("Activities"),
        lambda: Activity.objects.public(),
        "title",
        {"title": "A", "summary": "B", "body": "C", "location": "B"},
    ),
    "milestone": Searchable(
        _("Milestone"),
        _("Milestones"),
        lambda: Milestone.objects.public(),
        "title",
        {"title": "A", "summary": "B"},
    ),
}
WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2}


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the site"),
        max_length=MAX_LENGTH,
        required=False,
        error_messages={
            "max_length": _(
                "Please use fewer words: a search can be at most %(limit_value)d "
                "characters long."
            )
        },
    )

    kind = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[("", _("All"))] + [(key, spec.plural) for key, spec in KINDS.items()],
    )

    def words(self):
        return words_of(self.cleaned_data.get("q", ""))


def words_of(text):
    """The words worth searching for: letters and digits, at most MAX_WORDS."""
    return re.findall(r"\w+", text)[:MAX_WORDS]


@dataclass
class Hit:
    kind: str
    label: str
    object: object
    title: str
    snippet: str
    rank: float

    @property
    def url(self):
        return self.object.get_absolute_url()


def search(text):
    """Ranked hits for the text, best first, at most PER_KIND of each kind."""
    words = words_of(text)
    if not words:
        return []
    if connection.vendor == "postgresql":
        # websearch_to_tsquery takes raw input safely: "quotes", -not, or.
        hits = [hit for kind in KINDS for hit in _postgres(kind, text)]
    else:
        hits = [hit for kind in KINDS for hit in _fallback(kind, words)]
    return sorted(hits, key=lambda hit: (-hit.rank, str(hit.object)))


def _postgres(kind, text):
    # Imported here: the module needs the PostgreSQL driver, which SQLite runs lack.
    from django.contrib.postgres.search import (
        SearchHeadline,
        SearchQuery,
        SearchRank,
        SearchVector,
    )

    spec = KINDS[kind]
    vector = None
    for name, weight in spec.weighted.items():
        part = SearchVector(name, weight=weight, config="english")
        vector = part if vector is None else vector + part
    query = SearchQuery(text, search_type="websearch", config="english")
    body = Concat(
        *[piece for name in spec.text_fields for piece in (F(name), Value(" "))],
        output_field=TextField(),
    )
    options = {"start_sel": START, "stop_sel": STOP, "config": "english"}
    rows = (
        spec.queryset()
        .annotate(
            search=vector,
            search_rank=SearchRank(vector, query),
            title_headline=SearchHeadline(
                spec.title, query, highlight_all=True, **options
            ),
            text_headline=SearchHeadline(
                body, query, max_words=35, min_words=15, **options
            ),
        )
        .filter(search=query)
        .order_by("-search_rank", spec.title)[:PER_KIND]
    )
    return [
        Hit(
            kind,
            spec.label,
            row,
            _marked(row.title_headline),
            _marked(row.text_headline),
            float(row.search_rank),
        )
        for row in rows
    ]


def _fallback(kind, words):
    """Every word must occur somewhere; a word in the title counts most."""
    spec = KINDS[kind]
    matches_all = Q()
    for word in words:
        anywhere = Q()
        for name in spec.weighted:
            anywhere |= Q(**{f"{name}__icontains": word})
        matches_all &= anywhere
    rows = spec.queryset().filter(matches_all)[: PER_KIND * 4]
    hits = []
    for row in rows:
        rank = 0.0
        for word in words:
            pattern = re.compile(re.escape(word), re.IGNORECASE)
            for name, weight in spec.weighted.items():
                rank += WEIGHTS[weight] * len(pattern.findall(getattr(row, name)))
        text = " ".join(getattr(row, name) for name in spec.text_fields)
        hits.append(
            Hit(
                kind,
                spec.label,
                row,
                highlight(getattr(row, spec.title), words),
                highlight(excerpt(text, words), words),
                rank,
            )
        )
    hits.sort(key=lambda hit: -hit.rank)
    return hits[:PER_KIND]


def excerpt(text, words, size=35):
    """About `size` words of the text around the first matched word."""
    tokens = text.split()
    lowered = [token.lower() for token in tokens]
    first = next(
        (
            index
            for index, token in enumerate(lowered)
            if any(word.lower() in token for word in words)
        ),
        0,
    )
    start = max(0, first - size // 3)
    chosen = " ".join(tokens[start : start + size])
    return (
        ("… " if start else "") + chosen + (" …" if start + size < len(tokens) else "")
    )


def highlight(text, words):
    """Escaped text with each word wrapped in <mark>."""
    pattern = re.compile(
        "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True)),
        re.IGNORECASE,
    )
    return _marked(pattern.sub(lambda match: START + match.group(0) + STOP, text))


def _marked(text):
    html = escape(text or "").replace(START, "<mark>").replace(STOP, "</mark>")
    return mark_safe(html)  # escaped above: the only tags are our own <mark>s
