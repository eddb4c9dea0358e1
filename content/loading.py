"""Checking content files (fixtures, backups) before anything is loaded from them."""

from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from . import sourcing
from .models import Link, content_models


def content_fixture_paths():
    """The site's content files (settings.CONTENT_FIXTURES), in load order."""
    paths = []
    for name in settings.CONTENT_FIXTURES:
        found = [Path(d) / f"{name}.json" for d in settings.FIXTURE_DIRS]
        paths.append(next((path for path in found if path.exists()), found[0]))
    return paths


def has_content():
    return any(model._base_manager.exists() for model in content_models())


def delete_content():
    for model in reversed(content_models()):  # most dependent first
        model._base_manager.all().delete()


class Rollback(Exception):
    pass


def check_content(paths, replace=False, notes=None):
    """Problems found loading these files, each naming its file and record.

    Everything is loaded for real, validated and then rolled back, so the database
    is untouched whatever the files hold. With replace, the files are checked as if
    loaded into a database emptied of content first. A `notes` list receives what the
    sourcing checks point to, which does not stop a load.
    """
    problems = []
    try:
        with transaction.atomic():
            if replace:
                delete_content()
            loaded = []
            for path in paths:
                loaded += load_file(Path(path), problems)
            for where, obj, links in loaded:
                problems += [f"{where}: {p}" for p in reference_problems(obj, links)]
            if notes is not None:
                notes += sourcing.notes()
            raise Rollback
    except Rollback:
        pass
    return problems


def load_file(path, problems):
    """Save each record of one file; return (where, object, links) for those saved."""
    # A file's `title` is the English text (modeltranslation reads a field without
    # its language suffix as the active language's), `title_ar` the Arabic.
    with translation.override(settings.LANGUAGE_CODE):
        return _load_file(path, problems)


def _load_file(path, problems):
    saved = []
    try:
        text = path.read_text(encoding="utf-8")
        records = serializers.deserialize("json", text, handle_forward_references=True)
        for number, record in enumerate(records, start=1):
            where = f"{path.name}, record {number} ({record.object._meta.label}"
            where += f" pk={record.object.pk})"
            links = record.m2m_data or {}  # saving the record clears it
            if problem := save_problem(record):
                problems.append(f"{where}: {problem}")
            else:
                saved.append((where, record.object, links))
    except FileNotFoundError:
        problems.append(f"{path}: no such file")
    except serializers.base.DeserializationError as error:
        # Raised at the first unreadable record; the message names its model and pk.
        problems.append(f"{path.name}, record {len(saved) + 1}: {error}")
    return saved


def save_problem(record):
    obj = record.object
    # A record with a key updates the row with that key (as loaddata does), so
    # uniqueness is checked against the other rows only.
    obj._state.adding = obj.pk is None
    try:
        obj.full_clean()
    except ValidationError as error:
        return "; ".join(
            f"{field}: {' '.join(messages)}"
            for field, messages in error.message_dict.items()
        )
    try:
        with transaction.atomic():
            record.save()
    except (IntegrityError, ValueError) as error:
        return str(error)
    return None


def reference_problems(obj, links):
    """Links to records that exist nowhere, and published facts without a source."""
    for name, pks in links.items():
        target = obj._meta.get_field(name).related_model
        missing = set(pks) - set(
            target._base_manager.filter(pk__in=pks).values_list("pk", flat=True)
        )
        if missing:
            yield (
                f"{name}: no {target._meta.verbose_name} with pk "
                f"{', '.join(str(pk) for pk in sorted(missing))}"
            )
    for field in obj._meta.concrete_fields:
        key = getattr(obj, field.attname)
        target = field.related_model
        if field.is_relation and not target._base_manager.filter(pk=key).exists():
            yield f"{field.name}: no {target._meta.verbose_name} with pk {key}"
    yield from citation_problems(obj)


def citation_problems(obj):
    """No source, no publish: a published record with citations cites at least one
    source, each with the passage that supports it."""
    if isinstance(obj, Link) and not obj.passage.strip():
        records = [
            getattr(obj, f.name) for f in obj._meta.concrete_fields if f.is_relation
        ]
        if any(getattr(record, "state", None) == "published" for record in records):
            yield "passage: every source of a published record needs its passage"
    elif getattr(obj, "state", None) == "published" and hasattr(obj, "citations"):
        if not obj.citations.exists():
            yield "sources: a published record must cite at least one source"
