"""Admin machinery both apps' content shares: history, publication, sources."""

import reversion
from django import forms
from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from reversion_compare.admin import CompareVersionAdmin

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
