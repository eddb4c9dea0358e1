"""The site in English (unprefixed), Arabic (/ar/) and French (/fr/): addresses,
lang and dir, the switcher and alternates, the page cache, the catalogues."""

import datetime
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from content import dates

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)
LANGUAGES = {"en": "ltr", "ar": "rtl", "fr": "ltr"}
# The content helper owns these three templates (prose kept as translatable records).
NOT_OURS = set()


def public_pages(records):
    """Every public page type, English address."""
    return [
        "/",
        "/partners/",
        records["partner"].get_absolute_url(),
        "/areas/",
        records["area"].get_absolute_url(),
        "/activities/",
        "/activities/?kind=course&year_from=2000",
        records["activity"].get_absolute_url(),
        "/timeline/",
        records["milestone"].get_absolute_url(),
        "/sources/",
        "/compare/",
        "/charts/",
        "/search/",
        "/search/?q=course",
        "/data/",
        "/changes/",
        "/report/",
        "/about/",
        "/methodology/",
    ]


def prefixed(language, url):
    return url if language == "en" else f"/{language}{url}"


def html_tag(html):
    return re.search(r"<html[^>]*>", html).group(0)


# Catalogues ------------------------------------------------------------------


def catalogue(language):
    """{msgid: [msgstr, ...]} of a committed catalogue, header left out; a fuzzy
    entry (a guess of msgmerge's, which gettext does not use) counts as empty."""
    text = (ROOT / "locale" / language / "LC_MESSAGES" / "django.po").read_text()
    entries = {}
    for block in text.split("\n\n"):
        body = "\n".join(
            line for line in block.splitlines() if not line.startswith("#")
        )
        if not (match := re.match(r'msgid ((?:".*"\n?)+)', body)):
            continue
        msgid = unquote(match.group(1).split("msgid_plural")[0])
        strings = re.findall(r'msgstr(?:\[\d\])? ((?:".*"\n?)+)', body)
        if msgid:
            fuzzy = re.search(r"^#,.*\bfuzzy\b", block, re.M)
            entries[msgid] = [""] if fuzzy else [unquote(s) for s in strings]
    return entries


def unquote(block):
    joined = "".join(re.findall(r'"((?:[^"\\]|\\.)*)"', block))
    return joined.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")


def interface_msgids():
    """The msgids marked in templates/ and in the Python that public pages show
    (not the admin's help texts, which stay English)."""
    public = set()
    marked = re.compile(r"""\{%\s*(?:translate|trans)\s+(["'])(.*?)\1""", re.S)
    for template in (ROOT / "templates").rglob("*.html"):
        if template.name in NOT_OURS or "admin" in template.parts:
            continue
        public.update(match.group(2) for match in marked.finditer(template.read_text()))
    return public


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_every_interface_string_has_a_translation(language):
    entries = catalogue(language)
    used = interface_msgids()
    assert used, "no {% translate %} found: the scan is broken"
    missing = sorted(msgid for msgid in used if not all(entries.get(msgid, [""])))
    assert missing == []
    # blocktranslate strings too: every msgid from a template is translated.
    from_templates = template_msgids()
    untranslated = sorted(m for m in from_templates if not all(entries.get(m, [""])))
    assert untranslated == []


def template_msgids():
    """Every msgid makemessages takes from our templates (locations kept)."""
    from django.utils.translation.template import templatize

    msgids = set()
    call = re.compile(r"""(?:gettext|ngettext|pgettext)\(\s*r?'((?:[^'\\]|\\.)*)'""")
    for template in (ROOT / "templates").rglob("*.html"):
        if template.name in NOT_OURS or "admin" in template.parts:
            continue
        code = templatize(template.read_text())
        for match in call.finditer(code):
            msgids.add(match.group(1).replace("\\'", "'").replace("\\\\", "\\"))
    return msgids


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_catalogues_pass_msgfmt_check(language):
    po = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(po)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def test_arabic_catalogue_has_six_plural_forms():
    header = (ROOT / "locale/ar/LC_MESSAGES/django.po").read_text()
    assert "nplurals=6;" in header
    plural = [msgstrs for msgstrs in catalogue("ar").values() if len(msgstrs) > 1]
    assert plural and all(len(forms) == 6 for forms in plural)
    # A plural the interface uses is translated in all six forms.
    assert all(all(forms) for forms in plural if forms[0])


def test_catalogues_are_up_to_date(tmp_path):
    """makemessages on a copy of the code changes nothing but the creation date."""
    copy = tmp_path / "site"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv",
            ".git",
            "staticfiles",
            "test-artifacts",
            "*.mo",
            "__pycache__",
            "db.sqlite3",
            ".pytest_cache",
            ".ruff_cache",
        ),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "update_catalogues", "--verbosity", "0"],
        cwd=copy,
        capture_output=True,
        text=True,
        check=False,
        env={"DJANGO_SECRET_KEY": "x", "PATH": "/usr/bin:/bin"},
    )
    assert result.returncode == 0, result.stderr
    for language in ("ar", "fr"):
        path = Path("locale") / language / "LC_MESSAGES" / "django.po"
        committed, regenerated = (
            re.sub(r'"POT-Creation-Date: .*\n', "", (base / path).read_text())
            for base in (ROOT, copy)
        )
        assert regenerated == committed, (
            f"{path} is out of date: run `manage.py update_catalogues` and translate"
        )


# Unmarked template text --------------------------------------------------------

# Words that read the same in every language: formats, standards, proper names.
SAME_IN_EVERY_LANGUAGE = {
    "CSV",
    "JSON",
    "SVG",
    "API",
    "ISO",
    "Atom",
    "iCalendar",
    "APA",
    "Chicago",
    "BibTeX",
    "RIS",
    "UTF",
    "NATO",
    "ICI",
    "PNG",
}
TRANSLATED_ATTRIBUTES = {"title", "alt", "aria-label", "placeholder", "content"}


class TextCollector(HTMLParser):
    """Text nodes and human-read attribute values outside code, pre and styles."""

    SKIP = {"code", "pre", "script", "style"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skipping = 0
        self.in_language = []  # open elements that name their own language
        self.found = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.skipping += 1
        # A literal lang (an English title kept English); a variable one is the page's.
        if (dict(attrs).get("lang") or "").strip():
            self.in_language.append(tag)
            self.skipping += 1
        for name, value in attrs:
            if name in TRANSLATED_ATTRIBUTES and value and name != "content":
                self.found.append(value)
            if name == "content" and dict(attrs).get("name") == "description":
                self.found.append(value or "")

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.skipping:
            self.skipping -= 1
        if self.in_language and self.in_language[-1] == tag:
            self.in_language.pop()
            self.skipping -= 1

    def handle_data(self, data):
        if not self.skipping:
            self.found.append(data)


def unmarked_text(source):
    """Words a reader sees in a template that no translation tag covers."""
    for pattern in (
        r"\{%\s*blocktranslate.*?\{%\s*endblocktranslate\s*%\}",
        r"\{%\s*comment\s*%\}.*?\{%\s*endcomment\s*%\}",
        r"\{#.*?#\}",
        r"\{%.*?%\}",
        r"\{\{.*?\}\}",
    ):
        source = re.sub(pattern, " ", source, flags=re.S)
    collector = TextCollector()
    collector.feed(source)
    words = []
    for text in collector.found:
        for word in re.findall(r"[A-Za-z][A-Za-z'’-]+", text):
            if word not in SAME_IN_EVERY_LANGUAGE:
                words.append(word)
    return words


def test_the_unmarked_text_scan_finds_plain_words():
    assert unmarked_text("<p>Hello {{ name }}</p>") == ["Hello"]


def test_the_unmarked_text_scan_leaves_text_that_names_its_language():
    assert unmarked_text('<p>Read <a lang="en">NATO topics</a> now</p>') == [
        "Read",
        "now",
    ]
    assert unmarked_text('<a aria-label="Close">×</a>') == ["Close"]
    assert (
        unmarked_text('<p>{% translate "Hello" %} <code>?format=csv</code></p>') == []
    )
    assert unmarked_text("{% blocktranslate %}Hi {{ x }}{% endblocktranslate %}") == []


@pytest.mark.parametrize(
    "template",
    sorted(
        str(path.relative_to(ROOT / "templates"))
        for path in (ROOT / "templates").rglob("*.html")
        if path.name not in NOT_OURS and "admin" not in path.parts
    ),
)
def test_no_template_text_is_left_unmarked(template):
    assert unmarked_text((ROOT / "templates" / template).read_text()) == []


# Pages in three languages ------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_public_page_type_renders_in_each_language(
    client, one_of_each, uncached_pages, language
):
    for url in public_pages(one_of_each):
        response = client.get(prefixed(language, url))
        assert response.status_code == 200, url
        html = response.content.decode()
        assert html_tag(html) == (
            f'<html lang="{language}" dir="{LANGUAGES[language]}">'
        ), url
        assert response["Content-Language"] == language
        assert "Accept-Language" not in response.get("Vary", "")


def test_arabic_and_french_pages_run_the_same_queries_as_english(
    client, one_of_each, uncached_pages
):
    for url in public_pages(one_of_each):
        counts = {}
        for language in LANGUAGES:
            with CaptureQueriesContext(connection) as queries:
                client.get(prefixed(language, url))
            counts[language] = len(queries)
        assert counts["ar"] == counts["fr"] == counts["en"], url


def text_nodes(html):
    collector = TextCollector()
    collector.feed(html)
    return {text.strip() for text in collector.found if text.strip()}


@pytest.mark.parametrize("language", ["ar", "fr"])
def test_no_interface_string_is_left_in_english(
    client, one_of_each, uncached_pages, language
):
    """Each catalogue string an English page shows is replaced on the same page
    in Arabic and French (plain strings: the rest are checked in the catalogue)."""
    entries = catalogue(language)
    plain = {
        msgid: strings[0]
        for msgid, strings in entries.items()
        if len(strings) == 1
        and strings[0]
        and strings[0] != msgid
        and "%(" not in msgid
        and "<" not in msgid
        and len(msgid) > 3
    }
    checked = 0
    for url in public_pages(one_of_each):
        english = text_nodes(client.get(url).content.decode())
        translated = text_nodes(client.get(prefixed(language, url)).content.decode())
        shown = [msgid for msgid in plain if msgid in english]
        checked += len(shown)
        left = [msgid for msgid in shown if msgid in translated]
        assert left == [], url
    assert checked > 100


def test_an_unprefixed_page_stays_english_whatever_the_browser_asks(
    client, one_of_each, uncached_pages
):
    response = client.get("/partners/", HTTP_ACCEPT_LANGUAGE="ar,fr;q=0.9")
    assert response.status_code == 200
    assert html_tag(response.content.decode()) == '<html lang="en" dir="ltr">'
    assert "Accept-Language" not in response.get("Vary", "")
    # No redirect to /ar/, no language cookie.
    assert not response.cookies
    assert client.get("/ar/partners/", HTTP_ACCEPT_LANGUAGE="fr").status_code == 200


def test_english_addresses_are_unchanged(one_of_each):
    assert reverse("home") == "/"
    assert reverse("partners:partner-list") == "/partners/"
    assert one_of_each["partner"].get_absolute_url() == "/partners/kuwait/"
    assert reverse("timeline:milestone-list") == "/timeline/"
    assert reverse("api:index") == "/api/v1/"


def test_english_has_no_prefix_and_unknown_prefixes_are_not_found(client, db):
    assert client.get("/en/partners/").status_code == 404
    assert client.get("/de/partners/").status_code == 404
    assert client.get("/ar/api/v1/").status_code == 404
    assert client.get("/ar/healthz").status_code == 404


def test_after_an_arabic_page_the_next_request_is_english_again(client, db):
    client.get("/ar/partners/")
    assert reverse("partners:partner-list") == "/partners/"
    assert 'lang="en"' in client.get("/sources/").content.decode()


def switcher(html):
    """{language: address} of the switcher's links."""
    nav = re.search(r'<nav class="languages".*?</nav>', html, re.S).group(0)
    return {
        code: url for url, code in re.findall(r'<a href="([^"]*)" lang="([a-z]+)"', nav)
    }


def test_the_switcher_keeps_the_page_and_its_filters(
    client, one_of_each, uncached_pages
):
    query = "?kind=course&partner=kuwait"
    for current in LANGUAGES:
        html = client.get(prefixed(current, "/activities/") + query).content.decode()
        links = switcher(html)
        assert {code: url.replace("&amp;", "&") for code, url in links.items()} == {
            "en": "/activities/" + query,
            "ar": "/ar/activities/" + query,
            "fr": "/fr/activities/" + query,
        }
        assert f'lang="{current}" hreflang="{current}" aria-current="true"' in html


def test_hreflang_alternates_and_x_default_in_the_head(
    client, one_of_each, uncached_pages
):
    # A list is in every language; a record's alternates are the languages it is
    # translated into (tests/test_translations.py).
    html = client.get("/fr/activities/?partner=kuwait").content.decode()
    head = html.split("</head>")[0]
    alternates = dict(
        re.findall(r'<link rel="alternate" hreflang="([a-z-]+)" href="([^"]+)">', head)
    )
    assert {code: url.replace("&amp;", "&") for code, url in alternates.items()} == {
        "en": "http://testserver/activities/?partner=kuwait",
        "ar": "http://testserver/ar/activities/?partner=kuwait",
        "fr": "http://testserver/fr/activities/?partner=kuwait",
        "x-default": "http://testserver/activities/?partner=kuwait",
    }


def test_page_languages_narrows_the_alternates_not_the_switcher(rf):
    request = rf.get("/ar/partners/kuwait/")
    template = Template(
        "{% load languages %}{% language_links as links %}"
        "{% for l in links.alternates %}{{ l.code }} {% endfor %}|"
        "{% for l in links.switcher %}{{ l.code }} {% endfor %}|"
        "{{ links.x_default|default:'' }}"
    )
    narrowed = template.render(Context({"request": request, "page_languages": ["en"]}))
    assert narrowed == "en |en ar fr |http://testserver/partners/kuwait/"
    no_english = template.render(
        Context({"request": request, "page_languages": ["ar", "fr"]})
    )
    assert no_english.endswith("|")  # no x-default without the English page


def test_arabic_and_french_pages_are_served_from_the_page_cache(
    client, one_of_each, page_cache, django_assert_num_queries
):
    for url in ("/ar/partners/", "/fr/partners/", "/partners/"):
        first = client.get(url)
        assert first.status_code == 200
        assert "Accept-Language" not in first.get("Vary", "")
        with django_assert_num_queries(0):
            again = client.get(url)
        assert again.content == first.content
    assert 'lang="ar"' in client.get("/ar/partners/").content.decode()
    assert 'lang="fr"' in client.get("/fr/partners/").content.decode()


def test_the_sitemap_lists_every_language_with_alternates(client, one_of_each):
    pages = client.get("/sitemap-partners.xml").content.decode()
    for address in (
        "/partners/kuwait/",
        "/ar/partners/kuwait/",
        "/fr/partners/kuwait/",
    ):
        assert f"<loc>http://testserver{address}</loc>" in pages
    assert 'hreflang="x-default" href="http://testserver/partners/kuwait/"' in pages
    static = client.get("/sitemap-pages.xml").content.decode()
    assert "<loc>http://testserver/ar/activities/</loc>" in static
    assert "<loc>http://testserver/fr/</loc>" in static


@pytest.mark.parametrize(
    ("language", "expected"),
    [("en", "February 2005"), ("fr", "février 2005"), ("ar", "فبراير 2005")],
)
def test_dates_at_their_precision_in_the_page_language(language, expected):
    with translation.override(language):
        assert dates.display(datetime.date(2005, 2, 1), "month") == expected


def test_arabic_pages_name_their_english_titles_in_bdi(
    client, one_of_each, uncached_pages
):
    html = client.get("/ar/activities/").content.decode()
    title = one_of_each["activity"].title
    assert f"<bdi>{title}</bdi>" in html
    assert "الأنشطة" in html
    # Links stay in Arabic, and the English page after it keeps English links.
    assert 'href="/ar/partners/kuwait/"' in html
    assert 'href="/partners/kuwait/"' in client.get("/activities/").content.decode()


def test_the_stylesheet_mirrors_with_logical_properties():
    css = re.sub(
        r"/\*.*?\*/", "", (ROOT / "static/css/site.css").read_text(), flags=re.S
    )
    physical = re.findall(
        r"(?:margin|padding|border)-(?:left|right)\b|[\s;{](?:left|right)\s*:"
        r"|text-align:\s*(?:left|right)|float:\s*(?:left|right)",
        css,
    )
    assert physical == []
    assert '[dir="rtl"] .breadcrumbs li + li::before' in css


def test_the_arabic_font_is_shipped_with_its_licence(client):
    css = (ROOT / "static/css/site.css").read_text()
    fonts = re.findall(r'url\("\.\./(fonts/[^"]+\.woff2)"\)', css)
    assert len(fonts) == 2
    for font in fonts:
        assert (ROOT / "static" / font).read_bytes()[:4] == b"wOF2"
    licence = (ROOT / "static/fonts/noto-sans-arabic/OFL.txt").read_text()
    assert "SIL Open Font License, Version 1.1" in licence
