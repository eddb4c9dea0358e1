import csv
import datetime
import io
import json
import xml.etree.ElementTree as ET

import icalendar
import jsonschema
import pytest
from django.http import QueryDict
from django.utils import timezone
from referencing import Registry, Resource

from content.serializers import Serializer
from partners.filters import ActivityFilter
from partners.models import Activity, CooperationArea, Partner, Source
from timeline.models import Milestone

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def world(make_source, make_area, make_partner, make_activity, make_milestone):
    """Two partners, two areas, activities over several years and kinds, milestones,
    and records the public may not see: drafts and items scheduled for the future."""
    source = make_source(title="NATO ICI topic page")
    kuwait = make_partner(name="Kuwait", slug="kuwait")
    qatar = make_partner(name="Qatar", slug="qatar")
    hidden_partner = make_partner(
        name="Hidden", slug="hidden", state=Partner.State.DRAFT
    )
    dialogue = make_area(name="Political dialogue", slug="political-dialogue")
    education = make_area(name="Education and training", slug="education")
    later = timezone.now() + datetime.timedelta(days=3)
    activities = [
        make_activity(
            title="Course in Kuwait",
            slug="course-kuwait",
            kind=Activity.Kind.COURSE,
            start_date=datetime.date(2019, 4, 8),
            partners=[kuwait, hidden_partner],
            areas=[education],
            sources=[source],
        ),
        make_activity(
            title="Qatar conference",
            slug="qatar-conference",
            kind=Activity.Kind.CONFERENCE,
            start_date=datetime.date(2021, 1, 1),
            start_precision="year",
            partners=[qatar],
            areas=[dialogue],
        ),
        make_activity(
            title="Joint dialogue, with a comma",
            slug="joint-dialogue",
            kind=Activity.Kind.DIALOGUE,
            start_date=datetime.date(2021, 6, 1),
            start_precision="month",
            end_date=datetime.date(2021, 7, 1),
            end_precision="month",
            partners=[kuwait, qatar],
            areas=[dialogue, education],
            summary='Quotes "and" commas, and a line\nbreak.',
        ),
        make_activity(title="Unattached seminar", slug="unattached"),
    ]
    make_activity(
        title="Draft activity",
        slug="draft-activity",
        state=Activity.State.DRAFT,
        partners=[kuwait],
        areas=[dialogue],
    )
    make_activity(
        title="Future activity",
        slug="future-activity",
        publish_at=later,
        partners=[kuwait],
        areas=[dialogue],
    )
    milestones = [
        make_milestone(
            title="Istanbul Summit",
            slug="istanbul-summit",
            date=datetime.date(2004, 6, 28),
            partners=[],
            sources=[source],
            is_key=True,
        ),
        make_milestone(
            title="Kuwait joins",
            slug="kuwait-joins",
            date=datetime.date(2005, 2, 1),
            date_precision="month",
            partners=[kuwait],
            areas=[dialogue],
        ),
    ]
    make_milestone(title="Draft milestone", slug="draft-milestone", state="draft")
    make_milestone(
        title="Future milestone",
        slug="future-milestone",
        publish_at=later,
        partners=[kuwait],
    )
    return {
        "kuwait": kuwait,
        "qatar": qatar,
        "dialogue": dialogue,
        "education": education,
        "activities": activities,
        "milestones": milestones,
        "source": source,
    }


HIDDEN_TITLES = [
    "Draft activity",
    "Future activity",
    "Draft milestone",
    "Future milestone",
]

ACTIVITY_FILTERS = [
    {},
    {"partner": "kuwait"},
    {"partner": ["kuwait", "qatar"]},
    {"area": "political-dialogue", "year_from": "2020"},
    {"kind": "course"},
    {"q": "comma"},
    {"partner": "qatar", "area": "education"},
    {"year_from": "2030"},
]


def expected_slugs(**filters):
    filterset = ActivityFilter(
        _query(filters), queryset=Activity.objects.public().for_listing()
    )
    assert filterset.is_valid()
    return [activity.slug for activity in filterset.qs]


def _query(filters):
    query = QueryDict(mutable=True)
    for name, value in filters.items():
        query.setlist(name, value if isinstance(value, list) else [value])
    return query


def read_csv(response):
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text, newline="")))


def read_json(response):
    if response.streaming:
        return json.loads(b"".join(response.streaming_content))
    return json.loads(response.content)


def schema_for(client, name):
    response = client.get(f"/api/v1/schemas/{name}.json")
    assert response.status_code == 200
    schema = json.loads(response.content)
    jsonschema.Draft202012Validator.check_schema(schema)
    return schema


def document_validator(client, name):
    """Validates a whole document, resolving its $ref to the record schema."""
    record = schema_for(client, name)
    response = client.get(f"/api/v1/schemas/{name}-document.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    jsonschema.Draft202012Validator.check_schema(document)
    registry = Registry().with_resource(record["$id"], Resource.from_contents(record))
    return jsonschema.Draft202012Validator(
        document, registry=registry, format_checker=jsonschema.FormatChecker()
    )


# CSV


@pytest.mark.parametrize("filters", ACTIVITY_FILTERS)
def test_activity_csv_has_one_row_per_filtered_public_activity(client, world, filters):
    response = client.get("/activities/", {**filters, "format": "csv"})
    assert response.status_code == 200
    rows = read_csv(response)
    assert [row["slug"] for row in rows] == expected_slugs(**filters)


def test_activity_csv_rows_match_the_database(client, world):
    rows = {row["slug"]: row for row in read_csv(client.get("/activities/?format=csv"))}
    joint = rows["joint-dialogue"]
    assert joint["title"] == "Joint dialogue, with a comma"
    assert joint["summary"] == 'Quotes "and" commas, and a line\nbreak.'
    assert joint["start"] == "2021-06"
    assert joint["end"] == "2021-07"
    assert joint["partners"] == "Kuwait; Qatar"
    assert joint["areas"] == "Political dialogue; Education and training"
    assert joint["html_url"] == "http://testserver/activities/joint-dialogue/"
    # A draft partner never shows, even beside a public one.
    assert rows["course-kuwait"]["partners"] == "Kuwait"
    passage = '"The words of the source that support the record."'
    assert rows["course-kuwait"]["sources"] == f"{world['source'].url} {passage}"
    assert rows["qatar-conference"]["start"] == "2021"


def test_large_exports_stream_in_batches_with_their_relations(
    client, world, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr("content.exports.CHUNK_SIZE", 2)
    response = client.get("/activities/?format=csv")
    assert response.streaming
    # Per batch of two: the rows, then partners, areas and sources: 4 queries.
    with django_assert_max_num_queries(2 * 4 + 2):
        rows = read_csv(response)
    assert [row["slug"] for row in rows] == expected_slugs()
    partners = {row["slug"]: row["partners"] for row in rows}
    assert partners["joint-dialogue"] == "Kuwait; Qatar"


def test_csv_points_to_its_provenance_in_headers(client, world):
    response = client.get("/activities/", {"partner": "kuwait", "format": "csv"})
    assert 'rel="describedby"' in response["Link"]
    meta_url = response["Link"].split(">")[0].lstrip("<")
    assert "format=metadata" in meta_url and "partner=kuwait" in meta_url
    assert (
        response["X-Dataset-Version"] == client.get(meta_url).json()["dataset_version"]
    )
    assert "attachment" in response["Content-Disposition"]


def test_metadata_names_filters_version_site_and_citation(client, world):
    meta = client.get(
        "/activities/", {"partner": "kuwait", "kind": "course", "format": "metadata"}
    ).json()
    latest = max(
        Activity.objects.public().latest("updated_at").updated_at,
        Milestone.objects.public().latest("updated_at").updated_at,
        Partner.objects.public().latest("updated_at").updated_at,
        CooperationArea.objects.latest("updated_at").updated_at,
        Source.objects.latest("updated_at").updated_at,
    )
    assert meta["dataset_version"] == latest.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert meta["filters"] == {"partner": ["kuwait"], "kind": ["course"]}
    assert meta["count"] == 1
    assert meta["site"] == "http://testserver/"
    assert meta["url"] == "http://testserver/activities/?partner=kuwait&kind=course"
    assert meta["dataset_version"] in meta["citation"]
    assert meta["url"] in meta["citation"]


@pytest.mark.parametrize(
    "url",
    ["/partners/", "/areas/", "/sources/", "/timeline/", "/timeline/?partner=kuwait"],
)
def test_every_list_exports_csv_with_one_row_per_public_record(client, world, url):
    joiner = "&" if "?" in url else "?"
    response = client.get(f"{url}{joiner}format=csv")
    assert response.status_code == 200
    rows = read_csv(response)
    html = client.get(url)
    # The timeline lists activities among its milestones; it exports the milestones.
    listed = html.context["milestones" if "timeline" in url else "object_list"]
    assert len(rows) == len(listed)


# JSON


@pytest.mark.parametrize("filters", ACTIVITY_FILTERS)
def test_activity_json_export_validates_and_matches_the_database(
    client, world, filters
):
    document = read_json(client.get("/activities/", {**filters, "format": "json"}))
    document_validator(client, "activity").validate(document)
    assert [record["slug"] for record in document["data"]] == expected_slugs(**filters)
    assert document["meta"]["count"] == len(document["data"])


@pytest.mark.parametrize(
    "damage",
    [
        lambda doc: doc["meta"].pop("dataset_version"),
        lambda doc: doc["data"][0].update(start="June 2021"),
        lambda doc: doc["data"][0]["partners"].append({"slug": "x"}),
        lambda doc: doc["data"][0].update(secret="draft"),
    ],
)
def test_schemas_reject_documents_that_break_them(client, world, damage):
    document = read_json(client.get("/activities/?format=json"))
    validator = document_validator(client, "activity")
    validator.validate(document)
    damage(document)
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(document)


def test_json_record_carries_partial_dates_and_references(client, world):
    document = read_json(client.get("/activities/?format=json&q=comma"))
    (record,) = document["data"]
    assert record["start"] == "2021-06"
    assert record["start_precision"] == "month"
    assert record["partners"] == [
        {"slug": "kuwait", "name": "Kuwait"},
        {"slug": "qatar", "name": "Qatar"},
    ]
    assert record["api_url"] == "http://testserver/api/v1/activities/joint-dialogue/"


@pytest.mark.parametrize(
    "url, name",
    [
        ("/partners/", "partner"),
        ("/areas/", "area"),
        ("/sources/", "source"),
        ("/timeline/", "milestone"),
    ],
)
def test_every_list_json_validates_against_its_schema(client, world, url, name):
    document = read_json(client.get(url, {"format": "json"}))
    assert document["data"]
    document_validator(client, name).validate(document)
    schema = schema_for(client, name)
    for record in document["data"]:
        jsonschema.validate(record, schema, format_checker=jsonschema.FormatChecker())


# Atom


def parse_atom(response):
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return root


@pytest.mark.parametrize("filters", ACTIVITY_FILTERS)
def test_activity_feed_parses_as_atom_and_lists_filtered_activities(
    client, world, filters
):
    root = parse_atom(client.get("/activities/", {**filters, "format": "atom"}))
    links = {
        entry.find(f"{ATOM}link").get("href").rsplit("/", 2)[-2]
        for entry in root.iter(f"{ATOM}entry")
    }
    assert links == set(expected_slugs(**filters))


def test_feeds_list_newest_published_first(client, world):
    first, second = world["activities"][:2]
    Activity.objects.filter(pk=first.pk).update(
        publish_at=timezone.now() - datetime.timedelta(hours=1)
    )
    Activity.objects.filter(pk=second.pk).update(
        publish_at=timezone.now() - datetime.timedelta(days=9)
    )
    root = parse_atom(client.get("/activities/?format=atom"))
    titles = [entry.find(f"{ATOM}title").text for entry in root.iter(f"{ATOM}entry")]
    assert titles.index(first.title) < titles.index(second.title)


@pytest.mark.parametrize("url", ["/partners/", "/areas/", "/sources/", "/timeline/"])
def test_every_list_has_a_feed(client, world, url):
    root = parse_atom(client.get(url, {"format": "atom"}))
    entries = list(root.iter(f"{ATOM}entry"))
    context = client.get(url).context
    listed = context["milestones" if "timeline" in url else "object_list"]
    assert len(entries) == len(listed)


def test_feed_summaries_are_escaped_text_or_sanitised_markdown(
    client, world, make_activity, make_milestone
):
    make_activity(title="Tagged", summary="Fish <b>& chips</b>")
    make_milestone(title="Marked", summary="**Bold** step <script>alert(1)</script>")
    entries = {
        entry.find(f"{ATOM}title").text: entry.find(f"{ATOM}summary").text
        for url in ["/activities/?format=atom", "/timeline/?format=atom"]
        for entry in parse_atom(client.get(url)).iter(f"{ATOM}entry")
    }
    assert entries["Tagged"] == "Fish &lt;b&gt;&amp; chips&lt;/b&gt;"
    assert "<strong>Bold</strong> step" in entries["Marked"]
    assert "<script" not in entries["Marked"]


def test_timeline_feed_per_partner(client, world):
    root = parse_atom(client.get("/timeline/?partner=kuwait&format=atom"))
    titles = [entry.find(f"{ATOM}title").text for entry in root.iter(f"{ATOM}entry")]
    assert titles == ["Kuwait joins"]


# iCalendar


def test_timeline_calendar_parses_with_one_event_per_public_milestone(client, world):
    response = client.get("/timeline/?format=ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(b"".join(response.streaming_content))
    events = {str(event["summary"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {"Istanbul Summit", "Kuwait joins"}
    summit = events["Istanbul Summit"]
    assert summit.decoded("dtstart") == datetime.date(2004, 6, 28)
    assert summit.decoded("dtend") == datetime.date(2004, 6, 29)
    # A month-precise date spans the month and says so.
    joins = events["Kuwait joins"]
    assert joins.decoded("dtstart") == datetime.date(2005, 2, 1)
    assert joins.decoded("dtend") == datetime.date(2005, 3, 1)
    assert "to the month" in str(joins["description"])


def test_activity_calendar_spans_each_activity_and_answers_filters(client, world):
    response = client.get("/activities/?format=ics&partner=qatar")
    assert response.streaming
    calendar = icalendar.Calendar.from_ical(b"".join(response.streaming_content))
    events = {str(event["summary"]): event for event in calendar.walk("VEVENT")}
    assert set(events) == {"Qatar conference", "Joint dialogue, with a comma"}
    # June to July 2021, known to the month: from 1 June to the end of July.
    joint = events["Joint dialogue, with a comma"]
    assert joint.decoded("dtstart") == datetime.date(2021, 6, 1)
    assert joint.decoded("dtend") == datetime.date(2021, 8, 1)
    conference = events["Qatar conference"]
    assert conference.decoded("dtend") == datetime.date(2022, 1, 1)
    assert "only to the year" in str(conference["description"])
    assert str(calendar["x-dataset-version"]) == response["X-Dataset-Version"]


def test_timeline_calendar_answers_filters(client, world):
    response = client.get("/timeline/?format=ics&partner=kuwait")
    calendar = icalendar.Calendar.from_ical(b"".join(response.streaming_content))
    assert [str(e["summary"]) for e in calendar.walk("VEVENT")] == ["Kuwait joins"]


# Only what the public may see


@pytest.mark.parametrize(
    "url",
    [
        "/activities/?format=csv",
        "/activities/?format=json",
        "/activities/?format=atom",
        "/activities/?format=csv&partner=kuwait",
        "/activities/?format=atom&area=political-dialogue",
        "/timeline/?format=csv",
        "/timeline/?format=json",
        "/timeline/?format=atom",
        "/timeline/?format=ics",
        "/partners/?format=csv",
        "/partners/?format=json",
        "/api/v1/activities/",
        "/api/v1/activities/?partner=kuwait",
        "/api/v1/milestones/",
        "/api/v1/partners/",
    ],
)
def test_drafts_and_future_items_absent_from_every_format(client, world, url):
    response = client.get(url)
    assert response.status_code == 200
    body = (
        b"".join(response.streaming_content) if response.streaming else response.content
    ).decode()
    for title in [*HIDDEN_TITLES, "Hidden"]:
        assert title not in body
    assert "hidden" not in body


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/activities/draft-activity/",
        "/api/v1/activities/future-activity/",
        "/api/v1/milestones/draft-milestone/",
        "/api/v1/milestones/future-milestone/",
        "/api/v1/partners/hidden/",
    ],
)
def test_api_detail_of_hidden_records_is_404(client, world, url):
    assert client.get(url).status_code == 404


# Bad input


@pytest.mark.parametrize(
    "url",
    [
        "/activities/?format=xml",
        "/activities/?format=CSV",
        "/partners/?format=ics",
        "/partners/?format=%00",
        "/timeline/?format=pdf",
        "/activities/?format=csv&year_from=abc",
        "/activities/?format=json&year_from=99999999999999999999999",
        "/activities/?format=atom&partner=nowhere",
        "/activities/?format=metadata&kind=nonsense",
        "/timeline/?format=ics&area=nowhere",
        "/api/v1/activities/?year_to=1",
        "/api/v1/activities/?page=abc",
        "/api/v1/activities/?page=-1",
        "/api/v1/activities/?page=" + str(2**64),
        "/api/v1/milestones/?partner=%F0%9F%92%A5",
    ],
)
def test_bad_format_or_filter_values_give_400(client, world, url):
    response = client.get(url)
    assert response.status_code == 400
    assert "error" in response.json()


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/activities/?page=999",
        "/api/v1/activities/?page=0",
        "/api/v1/sources/99999999999999999999999/",
        "/api/v1/sources/123456/",
        "/api/v1/partners/nowhere/",
        "/api/v1/schemas/nothing.json",
    ],
)
def test_missing_records_pages_and_schemas_give_json_404(client, world, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "error" in response.json()


# The API


@pytest.mark.parametrize("filters", ACTIVITY_FILTERS)
def test_api_activity_list_answers_the_html_filters(client, world, filters):
    document = client.get("/api/v1/activities/", filters).json()
    assert [record["slug"] for record in document["data"]] == expected_slugs(**filters)
    assert document["meta"]["count"] == len(document["data"])


@pytest.mark.parametrize("name", list(Serializer.registry))
def test_api_lists_and_details_validate_against_published_schemas(client, world, name):
    record_type = Serializer.registry[name]
    schema = schema_for(client, name)
    validator = document_validator(client, name)
    document = client.get(f"/api/v1/{record_type.plural}/").json()
    validator.validate(document)
    assert document["meta"]["count"] == record_type.queryset().count()
    for record in document["data"]:
        jsonschema.validate(record, schema, format_checker=jsonschema.FormatChecker())
        detail = client.get(record["api_url"])
        assert detail.status_code == 200
        validator.validate(detail.json())
        assert detail.json()["data"] == record


@pytest.mark.parametrize(
    "url", ["/api/v1/", "/api/v1/activities/", "/api/v1/activities/?page=x"]
)
def test_api_may_be_read_from_any_web_page(client, url):
    assert client.get(url)["Access-Control-Allow-Origin"] == "*"


def test_api_index_lists_every_endpoint_and_schema(client):
    index = client.get("/api/v1/").json()
    assert set(index["endpoints"]) == {
        "partners",
        "areas",
        "activities",
        "sources",
        "milestones",
    }
    for endpoint in index["endpoints"].values():
        assert client.get(endpoint["list"]).status_code == 200
        assert client.get(endpoint["schema"]).status_code == 200
        assert client.get(endpoint["document_schema"]).status_code == 200


def test_api_pages_link_to_each_other_keeping_filters(client, world, make_activity):
    kuwait = world["kuwait"]
    for n in range(105):
        make_activity(slug=f"bulk-{n}", partners=[kuwait])
    first = client.get("/api/v1/activities/?partner=kuwait").json()
    assert first["meta"]["count"] == 107
    assert len(first["data"]) == 100
    assert first["meta"]["previous"] is None
    second = client.get(first["meta"]["next"]).json()
    assert "partner=kuwait" in first["meta"]["next"]
    assert len(second["data"]) == 7
    assert second["meta"]["next"] is None


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/activities/",
        "/api/v1/activities/?partner=kuwait&area=political-dialogue",
        "/api/v1/milestones/",
        "/api/v1/partners/",
        "/api/v1/areas/",
        "/api/v1/sources/",
        "/activities/?format=json",
    ],
)
def test_api_list_queries_do_not_grow_with_rows(
    client,
    world,
    url,
    django_assert_max_num_queries,
    uncached_pages,
    make_source,
    make_activity,
    make_milestone,
):
    kuwait, area = world["kuwait"], world["dialogue"]
    for _ in range(30):
        make_activity(partners=[kuwait], areas=[area], sources=[make_source()])
        make_milestone(partners=[kuwait], areas=[area], sources=[make_source()])
    # Filters, count, rows, a query per relation, the dataset version (five).
    with django_assert_max_num_queries(12):
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200
