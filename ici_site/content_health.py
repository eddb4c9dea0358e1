"""A staff page listing what needs an editor's attention."""

import datetime

from django.contrib import admin
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.db.models import Q
from django.utils import timezone
from django.views.generic import TemplateView

from content import sourcing
from partners.models import Activity, Partner, Source
from timeline.models import Milestone

# Each list is capped so the page stays fast however much is waiting.
LIMIT = 100
REVIEW_INTERVAL = datetime.timedelta(days=365)


class ContentHealthView(PermissionRequiredMixin, TemplateView):
    template_name = "admin/content_health.html"
    # It lists drafts by title: staff who may not view content get a 403.
    permission_required = [
        "partners.view_activity",
        "partners.view_partner",
        "partners.view_source",
        "timeline.view_milestone",
    ]

    def get_context_data(self, **kwargs):
        now = timezone.now()
        waiting = Q(state="draft") | Q(publish_at__gt=now)
        stale = Q(last_reviewed__isnull=True) | Q(
            last_reviewed__lt=now.date() - REVIEW_INTERVAL
        )
        sections = [
            ("Activities not yet public", Activity.objects.filter(waiting)),
            ("Milestones not yet public", Milestone.objects.filter(waiting)),
            ("Partner profiles not yet public", Partner.objects.filter(waiting)),
            ("Activities without a source", Activity.objects.filter(sources=None)),
            ("Milestones without a source", Milestone.objects.filter(sources=None)),
            ("Partner profiles without a source", Partner.objects.filter(sources=None)),
            ("Profiles not reviewed for 12 months", Partner.objects.filter(stale)),
            (
                "Sources not on https",
                Source.objects.exclude(url__istartswith="https://"),
            ),
            *((title, records.distinct()) for title, records in sourcing.checks()),
        ]
        return super().get_context_data(
            **admin.site.each_context(self.request),
            title="Content health",
            sections=[
                {
                    "title": title,
                    "opts": queryset.model._meta,
                    "items": list(queryset[:LIMIT]),
                }
                for title, queryset in sections
            ],
            limit=LIMIT,
            **kwargs,
        )
