"""Content in and out: validate, load, back up and restore, all or nothing."""

import io
import json
import os
import shutil
import subprocess
import sys

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from content.loading import content_fixture_paths, delete_content
from content.models import content_models
from partners.models import Activity, Source

from .servers import ROOT

pytestmark = pytest.mark.django_db


def content_counts():
    return {model.__name__: model._base_manager.count() for model in content_models()}


def dump():
    out = io.StringIO()
    labels = [model._meta.label for model in content_models()]
    call_command("dumpdata", *labels, stdout=out)
    return json.loads(out.getvalue())


@pytest.fixture
def fixture_copy(tmp_path, settings):
    """A copy of the real fixtures to spoil, used as the site's fixtures."""
    for path in content_fixture_paths():
        shutil.copy(path, tmp_path)
    settings.FIXTURE_DIRS = [tmp_path]

    def spoil(name, index, **fields):
        path = tmp_path / f"{name}.json"
        records = json.loads(path.read_text())
        records[index]["fields"].update(fields)
        path.write_text(json.dumps(records))
        return records[index]["pk"]

    return spoil


def test_the_site_fixtures_are_valid_and_checking_writes_nothing(settings):
    out = io.StringIO()
    call_command("validate_content", stdout=out)
    assert f"{len(settings.CONTENT_FIXTURES)} content file(s) valid." in out.getvalue()
    assert set(content_counts().values()) == {0}


@pytest.mark.parametrize(
    "name, fields, problem",
    [
        ("milestones", {"date": "2005-02-30"}, "it is an invalid date"),
        (
            "activities",
            {"start_date": "2010-05-01", "end_date": "2009-01-01"},
            "end_date: The end date is before the start date.",
        ),
        ("activities", {"partners": [999]}, "partners: no partner with pk 999"),
        ("milestones", {"sources": [4242]}, "sources: no source with pk 4242"),
        ("citations", {"passage": ""}, "every source of a published record needs"),
        ("activities", {"kind": "rumour"}, "kind: Value 'rumour' is not a valid"),
        ("sources", {"url": "ftp://ftp.example.org/x"}, "url: "),
    ],
)
def test_a_bad_record_is_named_and_nothing_is_loaded(
    fixture_copy, name, fields, problem
):
    pk = fixture_copy(name, 1, **fields)
    with pytest.raises(CommandError) as error:
        call_command("validate_content")
    assert f"{name}.json, record 2" in str(error.value)
    assert problem in str(error.value)
    if "invalid date" not in problem:  # Django names unreadable records itself
        assert f"pk={pk})" in str(error.value)

    with pytest.raises(CommandError, match="Nothing loaded"):
        call_command("load_content", stdout=io.StringIO())
    assert set(content_counts().values()) == {0}


def test_load_content_loads_valid_fixtures_in_full(fixture_copy, tmp_path):
    call_command("load_content", stdout=io.StringIO())
    activities = json.loads((tmp_path / "activities.json").read_text())
    assert Activity.objects.count() == len(activities)


# Once on each database (DATABASE_URL chooses it): the same records come back.
@pytest.mark.parametrize(
    "vendor",
    [
        pytest.param(
            vendor,
            marks=pytest.mark.skipif(
                connection.vendor != vendor, reason=f"this run does not use {vendor}"
            ),
        )
        for vendor in ("sqlite", "postgresql")
    ],
)
def test_backup_restores_every_record_and_relation(
    tmp_path, make_source, make_activity, vendor
):
    call_command("loaddata", *content_fixture_paths(), verbosity=0)
    draft = make_activity(
        title="Draft with links",
        state=Activity.State.DRAFT,
        partners=[1, 2],
        areas=[3],
        sources=[make_source(publisher="Gulf News")],
    )
    before = dump()
    backup = tmp_path / "backup.json"
    call_command("backup_content", str(backup), stdout=io.StringIO())

    delete_content()
    assert set(content_counts().values()) == {0}
    call_command("restore_content", str(backup), stdout=io.StringIO())

    assert dump() == before  # every record, field and relation
    restored = Activity.objects.get(pk=draft.pk)
    assert sorted(restored.partners.values_list("pk", flat=True)) == [1, 2]
    # The database goes on numbering after the restored records.
    assert make_source().pk > max(record["pk"] for record in before)
    sources = [record for record in before if record["model"] == "partners.source"]
    assert Source.objects.count() == len(sources) + 1


def test_restore_refuses_to_mix_with_existing_content(tmp_path, make_source):
    make_source(title="Kept")
    backup = tmp_path / "backup.json"
    call_command("backup_content", str(backup), stdout=io.StringIO())
    with pytest.raises(CommandError, match="already has content"):
        call_command("restore_content", str(backup))
    Source.objects.update(title="Changed after the backup")
    call_command("restore_content", str(backup), replace=True, stdout=io.StringIO())
    assert list(Source.objects.values_list("title", flat=True)) == ["Kept"]


def test_a_damaged_backup_changes_nothing(tmp_path, make_source):
    source = make_source(title="Kept")
    backup = tmp_path / "backup.json"
    call_command("backup_content", str(backup), stdout=io.StringIO())
    records = json.loads(backup.read_text())
    records[0]["fields"]["url"] = "javascript:alert(1)"
    backup.write_text(json.dumps(records))
    with pytest.raises(CommandError, match=r"backup.json, record 1 .*url"):
        call_command("restore_content", str(backup), replace=True)
    assert list(Source.objects.all()) == [source]


def test_migrations_reverse_to_zero_and_apply_again(tmp_path):
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'migrations.sqlite3'}",
        "DJANGO_SECRET_KEY": "migration-test-secret",
    }
    for args in [[], ["timeline", "zero"], ["partners", "zero"], []]:
        result = subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v0", *args],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, result.stderr


def test_fixtures_already_loaded_validate_as_updates():
    call_command("loaddata", *content_fixture_paths(), verbosity=0)
    call_command("validate_content", stdout=io.StringIO())
