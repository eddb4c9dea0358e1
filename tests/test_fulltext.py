"""Every search box reads one full-text index that every write keeps up to date."""

import pytest
from django.db import connection

from content import search
from partners.models import Activity, CooperationArea, Partner
from timeline.models import Milestone

pytestmark = pytest.mark.django_db


def found(text):
    return list(Activity.objects.public().search(text))


def test_every_word_must_match_the_start_of_a_word_in_any_field(make_activity):
    course = make_activity(
        title="Harbour protection course", location="Kuwait City", body="Divers."
    )
    make_activity(title="Maritime conference", summary="Ports and harbours.")
    assert found("harbour protection") == [course]
    assert found("HARB kuwait") == [course]  # prefixes, any case, any field
    assert found("divers") == [course]
    assert found("harbour zeppelin") == []
    assert len(found("harbour")) == 2


def test_punctuation_alone_matches_nothing(make_activity):
    make_activity(title="Course")
    assert found("%_ '*' -- ?!") == []


def test_edits_and_deletions_reach_the_index(make_activity):
    activity = make_activity(title="Harbour protection course")
    activity.title = "Border security seminar"
    activity.save()
    assert found("harbour") == []
    assert found("border seminar") == [activity]
    Activity.objects.filter(pk=activity.pk).update(summary="Coastguard training.")
    assert found("coastguard") == [activity]
    activity.delete()
    assert found("border") == []


SEARCHABLE = [Activity, Partner, CooperationArea, Milestone]


def test_the_site_search_and_the_words_filter_find_the_same_activities(
    client, make_activity
):
    exercise = make_activity(title="Naval exercises in the Gulf")
    make_activity(title="Cyber defence course")
    make_activity(title="Exercise draft", state=Activity.State.DRAFT)
    for words in ("exercise", "NAVAL gulf", "exercis"):
        listed = client.get("/activities/", {"q": words}).context["activities"]
        hits = client.get("/search/", {"q": words, "kind": "activity"})
        found = [hit.object for hit in hits.context["hits"]]
        assert list(listed) == found == [exercise], words


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 tables")
@pytest.mark.parametrize("model", SEARCHABLE)
def test_the_sqlite_index_triggers_survive_every_migration(model):
    # A later migration that rebuilds a searchable table would drop them silently.
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
            [table],
        )
        triggers = {name for (name,) in cursor.fetchall()}
    assert {f"{table}_fts_{action}" for action in ("insert", "delete", "update")} <= (
        triggers
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's indexes")
@pytest.mark.parametrize("model", SEARCHABLE)
def test_postgresql_searches_through_the_gin_index(model):
    with connection.cursor() as cursor:
        # A GIN index is read by bitmap scans only; a few test rows would be read
        # sequentially, or along the primary key.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    plan = search.matching(model.objects.all(), "harbour course").explain()
    assert "_search" in plan and "Bitmap Index Scan" in plan
