"""How published records are sourced: what validate_content and the content-health
page point editors to (see the citing rules on the methodology page)."""

from django.conf import settings
from django.db.models import Q

from .models import Publishable, content_models


def excluded(field):
    """Q of URLs in `field` on a host the citing rules exclude (or a subdomain)."""
    hosts = Q(pk__in=[])
    for host in settings.EXCLUDED_SOURCE_HOSTS:
        hosts |= Q(**{f"{field}__icontains": f"//{host}/"})
        hosts |= Q(**{f"{field}__icontains": f".{host}/"})
    return hosts


def checks():
    """(title, queryset) pairs: published records whose sourcing needs an editor."""
    for model in content_models():
        if not hasattr(model, "citations"):
            continue
        records = model._default_manager.all()
        if issubclass(model, Publishable):
            records = records.filter(state=Publishable.State.PUBLISHED)
        name = model._meta.verbose_name_plural
        yield (
            f"Published {name} with a source lacking its passage",
            records.filter(citations__passage=""),
        )
        yield (
            f"Published {name} citing an excluded host (aggregator or reprint)",
            records.filter(excluded("citations__source__url")),
        )
        yield (
            f"Published {name} citing a source over http",
            records.filter(citations__source__url__startswith="http://"),
        )
        yield (
            f"Published {name} whose every source is of medium or low confidence",
            records.filter(citations__isnull=False).exclude(
                citations__source__confidence="high"
            ),
        )


def notes(limit=None):
    """The checks as lines naming each record, for the command line."""
    lines = []
    for title, records in checks():
        for record in records.distinct()[:limit]:
            lines.append(f"{title}: {record._meta.label} pk={record.pk} ({record})")
    return lines
