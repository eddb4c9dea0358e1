import csv

import reversion
from django import forms
from django.contrib import admin, messages
from django.http import StreamingHttpResponse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from reversion_compare.admin import CompareVersionAdmin

from .exports import Echo
from .models import Activity, CooperationArea, Partner, Source

admin.site.site_header = _("ICI Reference: editors")
admin.site.site_title = _("ICI Reference admin")
admin.site.index_title = _("Content")


def year_filter(field_name):
    """A list filter by the year of a date field, offering only years that occur."""

    class YearListFilter(admin.SimpleListFilter):
        title = _("year")
        parameter_name = "year"

        def lookups(self, request, model_admin):
            years = model_admin.get_queryset(request).dates(
                field_name, "year", order="DESC"
            )
            return [(str(day.year), str(day.year)) for day in years]

        def queryset(self, request, queryset):
            if self.value() and self.value().isdigit() and len(self.value()) == 4:
                return queryset.filter(**{f"{field_name}__year": int(self.value())})
            return queryset

    return YearListFilter


class ContentAdmin(CompareVersionAdmin):
    """Every content change is kept as a revision: history, compare, restore."""

    save_on_top = True
    history_latest_first = True


class PublishableAdmin(ContentAdmin):
    """Shared set-up for content with a draft/published state."""

    list_filter = ["state"]
    actions = ["publish", "unpublish"]
    publication_fieldset = (_("Publication"), {"fields": ["state", "publish_at"]})
    requires_sources = False

    @admin.action(description=_("Publish selected items"), permissions=["change"])
    def publish(self, request, queryset):
        if self.requires_sources:
            unsourced = queryset.filter(sources__isnull=True)
            if unsourced.exists():
                names = ", ".join(str(obj) for obj in unsourced[:5])
                self.message_user(
                    request,
                    _("Not published, no source yet: %(names)s. Add a source first.")
                    % {"names": names},
                    messages.ERROR,
                )
                queryset = queryset.exclude(pk__in=unsourced.values("pk"))
        self._set_state(request, queryset, self.model.State.PUBLISHED)

    @admin.action(description=_("Unpublish selected items"), permissions=["change"])
    def unpublish(self, request, queryset):
        self._set_state(request, queryset, self.model.State.DRAFT)

    def _set_state(self, request, queryset, state):
        changed = 0
        # Save one by one so each change is a revision and signals (caches) see it.
        for obj in queryset.exclude(state=state):
            with reversion.create_revision():
                obj.state = state
                obj.save()
                reversion.set_user(request.user)
                reversion.set_comment(f"State set to {obj.get_state_display()}.")
            changed += 1
        if changed:
            self.message_user(
                request,
                ngettext(
                    "%(count)d item is now %(state)s.",
                    "%(count)d items are now %(state)s.",
                    changed,
                )
                % {"count": changed, "state": self.model.State(state).label.lower()},
                messages.SUCCESS,
            )


class SourcedContentForm(forms.ModelForm):
    """Activities and milestones: nothing is published without a source."""

    def clean(self):
        data = super().clean()
        published = data.get("state") == self._meta.model.State.PUBLISHED
        if published and not data.get("sources"):
            self.add_error(
                "sources",
                _("Add at least one source before publishing, or save as a draft."),
            )
        return data


class WithPartnersAdmin(PublishableAdmin):
    """Activities and milestones: sourced records that name the partners involved."""

    form = SourcedContentForm
    requires_sources = True

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("partners")

    @admin.display(description=_("partners"))
    def partner_names(self, obj):
        return ", ".join(partner.name for partner in obj.partners.all()) or "—"


@admin.register(Source)
class SourceAdmin(ContentAdmin):
    list_display = ["title", "publisher", "confidence", "published", "url"]
    list_filter = ["confidence", "publisher"]
    search_fields = ["title", "publisher", "url"]
    date_hierarchy = "published"


@admin.register(CooperationArea)
class CooperationAreaAdmin(ContentAdmin):
    list_display = ["name", "position", "summary"]
    list_editable = ["position"]
    search_fields = ["name", "summary", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["sources"]


@admin.register(Partner)
class PartnerAdmin(PublishableAdmin):
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
    autocomplete_fields = ["sources"]
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
        (_("Sources"), {"fields": ["sources"]}),
        PublishableAdmin.publication_fieldset,
    ]

    @admin.display(description=_("joined"), ordering="joined")
    def joined_display(self, partner):
        return partner.joined_display or "—"


@admin.register(Activity)
class ActivityAdmin(WithPartnersAdmin):
    actions = [*WithPartnersAdmin.actions, "export_csv"]
    list_display = ["title", "kind", "when", "partner_names", "state"]
    list_filter = ["kind", "partners", "areas", year_filter("start_date"), "state"]
    search_fields = ["title", "summary", "body", "location"]
    date_hierarchy = "start_date"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["partners", "areas", "sources"]
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
        (_("Sources"), {"fields": ["sources"]}),
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
        writer = csv.writer(Echo())
        response = StreamingHttpResponse(
            _csv_lines(writer, header, rows), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = 'attachment; filename="activities.csv"'
        return response


def _csv_lines(writer, header, rows):
    yield writer.writerow(header)
    for row in rows:
        yield writer.writerow(row)
