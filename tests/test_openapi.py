"""The OpenAPI description of /api/v1/, and schemathesis run against it: generated
requests to every operation, each answer without a 5xx and as described."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import settings as hypothesis_settings
from schemathesis.config import SchemathesisConfig

from ici_site.wsgi import application

pytestmark = pytest.mark.django_db

# Few examples an operation: CI runs this suite twice, within its time limit.
EXAMPLES = 15
CONFIG = SchemathesisConfig.from_dict(
    {
        # A request can fit the description and still name nothing (a slug of no
        # partner) or ask the impossible (year_from after year_to): the API answers
        # those with the 400 or 404 the description lists.
        "checks": {
            "positive_data_acceptance": {"expected-statuses": ["2xx", "400", "404"]}
        }
    }
)


@pytest.fixture
def api_schema(db, one_of_each, make_activity, make_milestone, settings):
    # Answers carry absolute URLs of the host the test client names.
    settings.ALLOWED_HOSTS = ["localhost", "testserver"]
    for _ in range(3):
        make_activity(
            partners=[one_of_each["partner"]], sources=[one_of_each["source"]]
        )
        make_milestone(areas=[one_of_each["area"]])
    # As Django's test client does: the end of a request must not close the
    # connection that holds the test's transaction.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi(
        "/api/v1/openapi.json", application, config=CONFIG
    )
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


schema = schemathesis.pytest.from_fixture("api_schema")


@schema.parametrize()
@hypothesis_settings(max_examples=EXAMPLES)
def test_every_api_answer_conforms_to_the_description(case):
    case.call_and_validate()


def test_the_description_is_openapi_3_1_built_from_the_published_schemas(client):
    description = client.get("/api/v1/openapi.json").json()
    assert description["openapi"] == "3.1.0"
    published = client.get("/api/v1/schemas/activity.json").json()
    described = description["components"]["schemas"]["Activity"]
    assert described["properties"] == published["properties"]
    assert set(description["paths"]) >= {
        "/activities/",
        "/activities/{key}/",
        "/sources/{key}/",
        "/milestones/",
    }
    names = {
        p["name"] for p in description["paths"]["/activities/"]["get"]["parameters"]
    }
    assert names == {
        "page",
        "lang",
        "q",
        "partner",
        "area",
        "kind",
        "year_from",
        "year_to",
        "sort",
    }


def test_the_data_page_links_to_the_description(client):
    assert 'href="/api/v1/openapi.json"' in client.get("/data/").content.decode()


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing/", "/api/v1/sources/-1/", "/api/v1/activities/a%0Ab/"]
)
def test_an_api_address_that_matches_nothing_answers_json(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert "No such address in the API" in response.json()["error"]


def test_other_methods_on_the_api_answer_405_not_a_csrf_403(client, one_of_each):
    assert client.post("/api/v1/activities/").status_code == 405
    assert client.generic("QUERY", "/api/v1/").status_code == 405


def test_an_over_long_api_query_is_refused_in_json(client):
    response = client.get("/api/v1/activities/", {"q": "x" * 5000})
    assert response.status_code == 400
    assert "too long" in response.json()["error"]


def test_an_api_address_lacking_its_final_slash_is_sent_to_it(client, one_of_each):
    response = client.get("/api/v1/activities", {"kind": "course"})
    assert response.status_code == 301
    assert response["Location"] == "/api/v1/activities/?kind=course"
