from django.contrib import admin
from django.utils.translation import gettext_lazy as _

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


class PublishableAdmin(admin.ModelAdmin):
    """Shared set-up for content with a draft/published state."""

    list_filter = ["state"]
    save_on_top = True
    publication_fieldset = (_("Publication"), {"fields": ["state", "publish_at"]})


class WithPartnersAdmin(PublishableAdmin):
    """Activities and milestones: records that name the partners involved."""

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("partners")

    @admin.display(description=_("partners"))
    def partner_names(self, obj):
        return ", ".join(partner.name for partner in obj.partners.all()) or "—"


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["title", "publisher", "confidence", "published", "url"]
    list_filter = ["confidence", "publisher"]
    search_fields = ["title", "publisher", "url"]
    date_hierarchy = "published"


@admin.register(CooperationArea)
class CooperationAreaAdmin(admin.ModelAdmin):
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
