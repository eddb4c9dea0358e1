"""What the site shows at a glance: the map of the Gulf, the charts and their
downloads, the folded filters, and the share previews of record pages."""

import csv
import datetime
import io
import re
import xml.etree.ElementTree as ET

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from PIL import Image

from content.dates import DatePrecision
from partners import cards, charts
from partners.models import Activity, Partner

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def gulf(make_partner, make_area, make_activity):
    """Four of the six states with their real codes, a dialogue state, a draft."""
    kuwait = make_partner(
        name="Kuwait",
        slug="kuwait",
        iso_alpha2="KW",
        iso_alpha3="KWT",
        joined=datetime.date(2004, 1, 1),
        joined_precision=DatePrecision.YEAR,
    )
    qatar = make_partner(name="Qatar", slug="qatar", iso_alpha2="QA", iso_alpha3="QAT")
    oman = make_partner(
        name="Oman",
        slug="oman",
        iso_alpha2="OM",
        iso_alpha3="OMN",
        status=Partner.Status.DIALOGUE,
        joined=None,
    )
    make_partner(
        name="Bahrain",
        slug="bahrain",
        iso_alpha2="BH",
        iso_alpha3="BHR",
        state=Partner.State.DRAFT,
    )
    area = make_area(
        name="Defence reform and military cooperation with a long name",
        slug="reform",
    )
    make_activity(
        slug="course-2010",
        title="Course at the regional centre",
        partners=[kuwait],
        areas=[area],
        start_date=datetime.date(2010, 5, 1),
        location="NATO-ICI Regional Centre, Kuwait City",
    )
    make_activity(
        slug="talks-2012",
        partners=[kuwait, qatar],
        start_date=datetime.date(2012, 3, 1),
    )
    make_activity(
        slug="visit-2012", partners=[qatar], start_date=datetime.date(2012, 9, 1)
    )
    make_activity(
        slug="draft-2012",
        partners=[kuwait],
        start_date=datetime.date(2012, 1, 1),
        state=Activity.State.DRAFT,
    )
    return {"kuwait": kuwait, "qatar": qatar, "oman": oman}


def map_links(html):
    """{aria-label: href} of the states linked on the map."""
    found = re.findall(
        r'<a href="([^"]+)" aria-label="([^"]+)" class="gulf-map__link" '
        r'data-iso3="([A-Z]{3})">',
        html,
    )
    return {label: (href, code) for href, label, code in found}


# The map


@pytest.mark.parametrize("url", ["/", "/partners/"])
def test_map_links_each_public_state_to_its_profile_named_from_its_record(
    client, gulf, url, uncached_pages
):
    html = client.get(url).content.decode()
    assert map_links(html) == {
        "Kuwait, ICI partner since 2004": ("/partners/kuwait/", "KWT"),
        "Qatar, ICI partner since 16 February 2005": ("/partners/qatar/", "QAT"),
        "Oman, in dialogue, not a member": ("/partners/oman/", "OMN"),
    }
    # Partners hatched, dialogue dotted: told apart by pattern, not colour alone.
    assert re.search(
        r'gulf-map__state--member" d="M[^"]+" fill="url\(#map-pattern-member\)"', html
    )
    assert re.search(
        r'gulf-map__state--dialogue" d="M[^"]+" fill="url\(#map-pattern-dialogue\)"',
        html,
    )
    assert (
        "ICI partner (hatched)" in html and "In dialogue, not a member (dotted)" in html
    )
    # The draft partner's country is drawn, never linked or named.
    assert "/partners/bahrain/" not in html
    # The same facts as a table.
    table = html[html.index("The Gulf states on the map") :]
    assert '<th scope="row">Kuwait</th><td>ICI partner, joined 2004</td>' in table
    assert '<th scope="row">Oman</th><td>In dialogue, not a member</td>' in table
    assert "<script" not in html


def test_map_follows_the_records_when_a_partner_changes(client, gulf, uncached_pages):
    kuwait = gulf["kuwait"]
    kuwait.joined, kuwait.joined_precision = datetime.date(2006, 3, 1), "month"
    kuwait.save()
    assert "Kuwait, ICI partner since March 2006" in map_links(
        client.get("/partners/").content.decode()
    )


def test_map_marks_the_regional_centre_in_kuwait_city_linking_its_activities(
    client, gulf, uncached_pages
):
    html = client.get("/").content.decode()
    link = re.search(
        r'<a href="([^"]+)" class="gulf-map__centre" aria-label="([^"]+)">', html
    )
    assert link.group(2).startswith("NATO-ICI Regional Centre, Kuwait City")
    href = link.group(1).replace("&amp;", "&")
    listed = client.get(href)
    assert [a.slug for a in listed.context["activities"]] == ["course-2010"]
    # Kuwait City lies inside Kuwait's outline on the map: right of its west edge,
    # left of its coast.
    x = float(
        re.search(r'class="gulf-map__centre"[^>]*>\s*<rect x="([\d.]+)"', html)[1]
    )
    kuwait = re.search(r'data-iso3="KWT"><path [^>]*d="([^"]+)"', html)[1]
    xs = [float(value) for value in re.findall(r"[ML](-?[\d.]+),", kuwait)]
    assert min(xs) < x + 6 < max(xs)


def test_map_is_drawn_without_a_query(gulf, django_assert_num_queries):
    partners = list(Partner.objects.public())
    template = Template("{% load maps %}{% gulf_map_of partners %}")
    with django_assert_num_queries(0):
        html = template.render(Context({"partners": partners}))
    assert len(map_links(html)) == 3


def test_profile_has_a_locator_map_with_its_country_highlighted(
    client, gulf, uncached_pages
):
    html = client.get("/partners/oman/").content.decode()
    assert "Oman, highlighted on a map of the Gulf" in html
    here = re.findall(r'class="([^"]*locator-map__here)" data-iso3="([A-Z]{3})"', html)
    assert here == [
        ("gulf-map__state gulf-map__state--dialogue locator-map__here", "OMN")
    ]


# Charts


def test_long_labels_wrap_above_their_bars_within_the_chart_width():
    bars = [
        charts.Bar("Maritime security and counterterrorism cooperation", 3, "/"),
        charts.Bar("Education", 1, "/"),
    ]
    chart = charts.BarChart("areas", "By area", "Area", bars)
    assert not chart.labels_left and chart.label_width == 0
    for bar in chart.bars:
        for line in bar.lines:
            assert len(line) * chart.font_size * charts.CHAR_WIDTH <= chart.width
    first, second = chart.bars
    assert first.bar_y > first.text_y  # the label sits above its bar
    assert second.text_y > first.bar_y + chart.bar_height
    assert chart.height == second.bar_y + chart.bar_height


def test_short_labels_sit_left_of_bars_in_room_made_for_them():
    chart = charts.BarChart(
        "years",
        "Per year",
        "Year",
        [charts.Bar("2012", 3, "/"), charts.Bar("2013", 1, "/")],
    )
    assert chart.labels_left
    assert chart.label_width >= 4 * chart.font_size * charts.CHAR_WIDTH
    assert chart.bars[0].width == chart.bar_space
    assert (
        chart.bars[0].count_x + 3 * chart.font_size * charts.CHAR_WIDTH <= chart.width
    )


def test_activities_per_year_by_partner_match_the_database(
    client, gulf, uncached_pages
):
    response = client.get("/charts/")
    multiples = response.context["charts"][3]
    assert multiples.years == [2010, 2011, 2012]
    assert [panel.label for panel in multiples.panels] == ["Kuwait", "Qatar"]
    for partner, panel in zip(
        (gulf["kuwait"], gulf["qatar"]), multiples.panels, strict=True
    ):
        for column in panel.columns:
            assert (
                column["count"]
                == Activity.objects.public()
                .filter(partners=partner, start_date__year=column["year"])
                .count()
            )
    html = response.content.decode()
    # Its table links each number to the activities it counts.
    assert (
        'href="/activities/?partner=kuwait&amp;year_from=2012&amp;year_to=2012">1</a>'
        in html
    )


@pytest.mark.parametrize(
    "chart", ["per-year", "per-area", "per-partner", "per-partner-year"]
)
def test_every_chart_downloads_as_svg_with_the_page_filters(
    client, gulf, chart, uncached_pages
):
    response = client.get(f"/charts/{chart}.svg", {"partner": "qatar"})
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert f'filename="{chart}-' in response["Content-Disposition"]
    root = ET.fromstring(response.content)
    assert root.tag == f"{SVG}svg"
    assert root.find(f"{SVG}title").text
    page = client.get("/charts/", {"partner": "qatar"}).content.decode()
    assert f'href="/charts/{chart}.svg?partner=qatar"' in page
    inline = re.search(
        rf'<svg class="chart__svg" role="img" aria-labelledby="{chart}-svg-title"'
        r".*?</svg>",
        page,
        re.S,
    )
    assert len(root.findall(f".//{SVG}rect")) == inline.group(0).count("<rect")


def test_chart_csv_holds_the_chart_numbers(client, gulf, uncached_pages):
    response = client.get("/charts/per-year.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["X-Dataset-Version"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [["Year", "Activities"], ["2010", "1"], ["2011", "0"], ["2012", "2"]]
    rows = list(
        csv.reader(
            io.StringIO(client.get("/charts/per-partner-year.csv").content.decode())
        )
    )
    assert rows == [
        ["Year", "Kuwait", "Qatar"],
        ["2010", "1", "0"],
        ["2011", "0", "0"],
        ["2012", "1", "2"],
    ]


@pytest.mark.parametrize(
    ("url", "status", "field"),
    [
        ("/charts/no-such-chart.svg", 404, None),
        ("/charts/per-year.png", 404, None),
        ("/charts/per-year.svg?year_from=abc", 400, "year_from"),
        ("/charts/per-year.csv?partner=nowhere", 400, "partner"),
    ],
)
def test_chart_downloads_refuse_unknown_charts_and_bad_filters(
    client, gulf, url, status, field
):
    response = client.get(url)
    assert response.status_code == status
    if field:
        assert list(response.json()["errors"]) == [field]


def test_chart_download_queries_do_not_grow_with_rows(
    client, gulf, make_activity, django_assert_max_num_queries, uncached_pages
):
    with CaptureQueriesContext(connection) as few:
        client.get("/charts/per-partner-year.csv")
    for year in range(1990, 2000):
        make_activity(
            partners=[gulf["kuwait"], gulf["oman"]],
            start_date=datetime.date(year, 1, 1),
        )
    with django_assert_max_num_queries(len(few)):
        assert client.get("/charts/per-partner-year.csv").status_code == 200


# Filters folded on a phone


@pytest.mark.parametrize("url", ["/activities/", "/timeline/", "/charts/"])
def test_filters_fold_behind_one_control_counting_the_active_filters(
    client, gulf, url, uncached_pages
):
    html = client.get(url).content.decode()
    assert '<details class="filters-fold">' in html
    assert '<summary class="filters-fold__summary">Filters</summary>' in html
    html = client.get(url, {"partner": ["kuwait", "qatar"]}).content.decode()
    assert '<summary class="filters-fold__summary">Filters (2 active)</summary>' in html
    # The form lives inside the fold, which opens by itself to show an error.
    fold = html[html.index("<details") : html.index("</details>")]
    assert '<form class="filters"' in fold
    html = client.get(url, {"partner": "nowhere"}).content.decode()
    assert '<details class="filters-fold" open>' in html


# Share previews


@pytest.mark.parametrize(
    ("url", "card", "title"),
    [
        ("/partners/kuwait/", "/partners/kuwait/card.png", "Kuwait"),
        ("/activities/talks-2012/", "/activities/talks-2012/card.png", None),
    ],
)
def test_record_pages_carry_open_graph_and_twitter_card_tags(
    client, gulf, url, card, title, uncached_pages
):
    html = client.get(url).content.decode()
    meta = dict(
        re.findall(
            r'<meta (?:property|name)="((?:og|twitter):[a-z:_]+)" content="([^"]*)">',
            html,
        )
    )
    assert meta["og:url"] == f"http://testserver{url}"
    assert meta["og:image"].startswith(f"http://testserver{card}?v=")
    assert meta["twitter:card"] == "summary_large_image"
    assert meta["og:title"] == (title or Activity.objects.get(slug="talks-2012").title)
    assert meta["og:description"]
    assert meta["twitter:image"] == meta["og:image"]
    image = client.get(meta["og:image"].removeprefix("http://testserver"))
    assert image.status_code == 200
    assert image["Content-Type"] == "image/png"
    assert (
        "public" in image["Cache-Control"] and "max-age=86400" in image["Cache-Control"]
    )
    assert image["ETag"]
    assert Image.open(io.BytesIO(image.content)).size == (1200, 630)


def test_milestone_page_has_a_share_image(client, gulf, make_milestone, uncached_pages):
    milestone = make_milestone(partners=[gulf["kuwait"]], slug="centre-opens")
    html = client.get(milestone.get_absolute_url()).content.decode()
    assert (
        'property="og:image" content="http://testserver/timeline/centre-opens/card.png?v='
        in html
    )
    image = client.get("/timeline/centre-opens/card.png")
    assert image.status_code == 200 and image["Content-Type"] == "image/png"


def test_share_images_of_hidden_records_are_not_found(client, gulf, make_milestone):
    assert client.get("/partners/bahrain/card.png").status_code == 404
    assert client.get("/activities/draft-2012/card.png").status_code == 404
    make_milestone(slug="draft-milestone", state="draft")
    assert client.get("/timeline/draft-milestone/card.png").status_code == 404


def test_share_image_is_drawn_once_per_content_version(
    client, gulf, settings, monkeypatch
):
    settings.CONTENT_VERSION_SECONDS = 600
    settings.PAGE_CACHE_SECONDS = 0
    drawn = []
    render = cards.render
    monkeypatch.setattr(
        cards, "render", lambda *args: drawn.append(args) or render(*args)
    )
    first = client.get("/partners/kuwait/card.png")
    second = client.get("/partners/kuwait/card.png")
    assert first.content == second.content and len(drawn) == 1
    gulf["kuwait"].capital = "Kuwait City"
    gulf["kuwait"].save()
    client.get("/partners/kuwait/card.png")
    assert len(drawn) == 2
    assert "Capital: Kuwait City." in drawn[1][1]


def test_activity_share_image_shows_its_date_kind_partners_and_their_countries(
    client, gulf, monkeypatch
):
    drawn = []
    render = cards.render
    monkeypatch.setattr(
        cards, "render", lambda *args: drawn.append(args) or render(*args)
    )
    assert client.get("/activities/talks-2012/card.png").status_code == 200
    heading, facts, highlight = drawn[0]
    assert heading == Activity.objects.get(slug="talks-2012").title
    assert facts == ["1 March 2012 · Course", "With Kuwait, Qatar"]
    assert sorted(highlight) == ["KWT", "QAT"]
