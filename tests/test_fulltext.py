"""The "Words" filter reads a full-text index that every write keeps up to date."""

import pytest
from django.db import connection

from partners import fulltext
from partners.models import Activity

from .conftest import make_activity

pytestmark = pytest.mark.django_db


def found(text):
    return list(Activity.objects.public().search(text))


def test_every_word_must_match_the_start_of_a_word_in_any_field():
    course = make_activity(
        title="Harbour protection course", location="Kuwait City", body="Divers."
    )
    make_activity(title="Maritime conference", summary="Ports and harbours.")
    assert found("harbour protection") == [course]
    assert found("HARB kuwait") == [course]  # prefixes, any case, any field
    assert found("divers") == [course]
    assert found("harbour zeppelin") == []
    assert len(found("harbour")) == 2


def test_punctuation_alone_matches_nothing():
    make_activity(title="Course")
    assert found("%_ '*' -- ?!") == []


def test_edits_and_deletions_reach_the_index():
    activity = make_activity(title="Harbour protection course")
    activity.title = "Border security seminar"
    activity.save()
    assert found("harbour") == []
    assert found("border seminar") == [activity]
    Activity.objects.filter(pk=activity.pk).update(summary="Coastguard training.")
    assert found("coastguard") == [activity]
    activity.delete()
    assert found("border") == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5 table")
def test_the_sqlite_index_triggers_survive_every_migration():
    # A later migration that rebuilds the activity table would drop them silently.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
            [fulltext.TABLE],
        )
        triggers = {name for (name,) in cursor.fetchall()}
    assert {
        f"{fulltext.FTS_TABLE}_{action}" for action in ("insert", "delete", "update")
    } <= triggers


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's index")
def test_postgresql_searches_through_the_gin_index():
    with connection.cursor() as cursor:
        # A GIN index is read by bitmap scans only; a few test rows would be read
        # sequentially.
        cursor.execute("SET LOCAL enable_seqscan = off")
    assert fulltext.GIN_INDEX in Activity.objects.search("harbour course").explain()
