from django.contrib import admin
from django.http import StreamingHttpResponse
from django.utils.translation import gettext_lazy as _

from content.admin import (
    ContentAdmin,
    PublishableAdmin,
    TranslatedAdmin,
    WithPartnersAdmin,
    citations_inline,
    year_filter,
)
from content.exports import CsvWriter

from .models import (
    Activity,
    ActivityCitation,
    AreaCitation,
    CooperationArea,
    Partner,
    PartnerCitation,
    Source,
)


@admin.register(Source)
class SourceAdmin(ContentAdmin):
    list_display = ["title", "publisher", "confidence", "language", "published", "url"]
    list_filter = ["confidence", "language", "publisher"]
    search_fields = ["title", "publisher", "url"]
    date_hierarchy = "published"


@admin.register(CooperationArea)
class CooperationAreaAdmin(TranslatedAdmin, ContentAdmin):
    list_display = ["name", "position", "summary"]
    list_editable = ["position"]
    search_fields = ["name", "summary", "description"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [citations_inline(AreaCitation)]


@admin.register(Partner)
class PartnerAdmin(TranslatedAdmin, PublishableAdmin):
    list_display = [
        "name",
        "status",
        "joined_display",
        "iso_alpha2",
        "last_reviewed",
        "state",
        "publish_at",
    ]
    list_filter = ["status", "state"]
    search_fields = ["name", "official_name", "iso_alpha2", "iso_alpha3", "summary"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [citations_inline(PartnerCitation)]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "official_name",
                    "slug",
                    "status",
                    "summary",
                    "profile",
                ]
            },
        ),
        (
            _("Facts"),
            {
                "fields": [
                    "iso_alpha2",
                    "iso_alpha3",
                    "capital",
                    "joined",
                    "joined_precision",
                    "last_reviewed",
                ]
            },
        ),
        PublishableAdmin.publication_fieldset,
    ]

    @admin.display(description=_("joined"), ordering="joined")
    def joined_display(self, partner):
        return partner.joined_display or "—"


@admin.register(Activity)
class ActivityAdmin(TranslatedAdmin, WithPartnersAdmin):
    actions = [*WithPartnersAdmin.actions, "export_csv"]
    list_display = ["title", "kind", "when", "partner_names", "state"]
    list_filter = ["kind", "partners", "areas", year_filter("start_date"), "state"]
    search_fields = ["title", "summary", "body", "location"]
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["partners", "areas"]
    inlines = [citations_inline(ActivityCitation, required=True)]
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", "summary", "body"]}),
        (
            _("When and where"),
            {
                "fields": [
                    ("start_date", "start_precision"),
                    ("end_date", "end_precision"),
                    "location",
                ]
            },
        ),
        (_("Who and what"), {"fields": ["partners", "areas"]}),
        PublishableAdmin.publication_fieldset,
    ]

    @admin.display(description=_("when"), ordering="start_date")
    def when(self, activity):
        return activity.when

    @admin.action(description=_("Export selected to CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        header = [
            "id", "slug", "title", "kind", "state", "publish_at", "start", "end",
            "location", "partners", "areas", "sources", "summary",
        ]  # fmt: skip
        rows = (
            [
                activity.pk,
                activity.slug,
                activity.title,
                activity.kind,
                activity.state,
                activity.publish_at.isoformat(),
                activity.iso_start,
                activity.iso_end,
                activity.location,
                "; ".join(partner.name for partner in activity.partners.all()),
                "; ".join(area.name for area in activity.areas.all()),
                " ".join(source.url for source in activity.sources.all()),
                activity.summary,
            ]
            for activity in queryset.prefetch_related(
                "partners", "areas", "sources"
            ).iterator(chunk_size=500)
        )
        writer = CsvWriter()
        response = StreamingHttpResponse(
            _csv_lines(writer, header, rows), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="activities.csv"'
        return response


def _csv_lines(writer, header, rows):
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)
