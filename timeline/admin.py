from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from content.admin import (
    PublishableAdmin,
    TranslatedAdmin,
    WithPartnersAdmin,
    citations_inline,
    year_filter,
)

from .models import Milestone, MilestoneCitation


@admin.register(Milestone)
class MilestoneAdmin(TranslatedAdmin, WithPartnersAdmin):
    list_display = ["title", "when", "partner_names", "is_key", "state"]
    list_filter = ["is_key", "partners", "areas", year_filter("date"), "state"]
    search_fields = ["title", "summary"]
    date_hierarchy = "date"
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["partners", "areas"]
    inlines = [citations_inline(MilestoneCitation, required=True)]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "title",
                    "slug",
                    ("date", "date_precision"),
                    "summary",
                    "is_key",
                ]
            },
        ),
        (_("Who and what"), {"fields": ["partners", "areas"]}),
        PublishableAdmin.publication_fieldset,
    ]

    @admin.display(description=_("when"), ordering="date")
    def when(self, milestone):
        return milestone.when
