"""Admin machinery both apps' content shares: history, publication, sources."""

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TranslationAdmin
from reversion_compare.admin import CompareVersionAdmin

from .models import Change, Page, ProblemReport

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


# The largest key a database column holds: SQLite cannot even be asked for more.
MAX_KEY = 2**63 - 1


def can_be(field, value):
    """Whether `value`, as submitted, can be a value of the model `field` (a key)."""
    try:
        value = field.to_python(value)
    except ValidationError:
        return False
    return not isinstance(value, int) or abs(value) <= MAX_KEY


def key_field(form_field):
    model = form_field.queryset.model
    name = form_field.to_field_name
    return model._meta.get_field(name) if name else model._meta.pk


class KeyChoiceField(forms.ModelChoiceField):
    """A choice of a record by key, where a key that cannot be one (``abc``, or past
    what the column holds) is an invalid choice, not a failing query."""

    def to_python(self, value):
        if value not in self.empty_values and not can_be(key_field(self), value):
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class KeyMultipleChoiceField(forms.ModelMultipleChoiceField):
    """As KeyChoiceField, for several records (partners, areas)."""

    def _check_values(self, value):
        for pk in value:
            if not can_be(key_field(self), pk):
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class SubmittedKeysMixin:
    """Django's autocomplete widgets look up the submitted keys to show them again:
    the ones that cannot be keys (the form names them as errors) are left out."""

    def optgroups(self, name, value, attr=None):
        key = self.field.target_field
        return super().optgroups(name, [v for v in value if can_be(key, v)], attr)


class SafeAutocompleteSelect(SubmittedKeysMixin, AutocompleteSelect):
    pass


class SafeAutocompleteSelectMultiple(SubmittedKeysMixin, AutocompleteSelectMultiple):
    pass


class KeyCheckedAdminMixin:
    """Links to other records (partners, areas, sources) whose bad keys are form
    errors: Django's own fields and autocomplete widgets answer them with a 500."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", KeyChoiceField)
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget", SafeAutocompleteSelect(db_field, self.admin_site)
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("form_class", KeyMultipleChoiceField)
        if db_field.name in self.get_autocomplete_fields(request):
            kwargs.setdefault(
                "widget", SafeAutocompleteSelectMultiple(db_field, self.admin_site)
            )
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ContentForm(forms.ModelForm):
    change_note = forms.CharField(
        label=_("Note for readers"),
        max_length=200,
        required=False,
        help_text=_(
            "When you correct a published record, say in one line what changed and "
            "why: it is listed on the public Changes page (your name is not)."
        ),
    )


class ContentAdmin(KeyCheckedAdminMixin, CompareVersionAdmin):
    """Every content change is kept as a revision: history, compare, restore; a
    correction of a published record with a note is listed on the Changes page."""

    form = ContentForm
    save_on_top = True
    history_latest_first = True

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            return fieldsets
        rest = [
            (
                name,
                {**opts, "fields": [f for f in opts["fields"] if f != "change_note"]},
            )
            for name, opts in fieldsets
        ]
        return [*rest, (_("Correction"), {"fields": ["change_note"]})]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        note = form.cleaned_data.get("change_note", "").strip()
        if change and note and getattr(obj, "state", "published") == "published":
            Change.objects.create(record=obj, note=note)


class TranslatedAdmin(TranslationAdmin):
    """Every language of a record on one form, in tabs (modeltranslation), so one
    save is one revision. Put before the content admin class it is mixed into."""

    class Media:
        # modeltranslation's tabbed admin loads jQuery UI from a CDN; the CSP allows
        # nothing from outside the site, so its tabs widget is vendored (npm).
        js = (
            "admin/js/jquery.init.js",
            "modeltranslation/js/force_jquery.js",
            "vendor/jquery-ui/jquery-ui.tabs.js",
            "modeltranslation/js/tabbed_translation_fields.js",
        )
        css = {"all": ("modeltranslation/css/tabbed_translation_fields.css",)}

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None and db_field.name.endswith("_ar"):
            field.widget.attrs.update(dir="rtl", lang="ar")
        elif field is not None and db_field.name.endswith(("_en", "_fr")):
            field.widget.attrs.update(lang=db_field.name.rsplit("_", 1)[1])
        return field


@admin.register(Page)
class PageAdmin(TranslatedAdmin, ContentAdmin):
    list_display = ["title", "slug", "updated_at"]
    fields = ["slug", "title", "lead", "body"]
    readonly_fields = ["slug"]

    def has_add_permission(self, request):
        return False  # the site draws three pages, each from its slug

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Change)
class ChangeAdmin(admin.ModelAdmin):
    list_display = ["note", "record", "changed_at"]
    readonly_fields = ["content_type", "object_id", "changed_at"]
    fields = ["note", "content_type", "object_id", "changed_at"]

    def has_add_permission(self, request):
        return False


@admin.register(ProblemReport)
class ProblemReportAdmin(admin.ModelAdmin):
    list_display = ["page", "short_message", "reported_at", "status"]
    list_filter = ["status"]
    readonly_fields = ["page", "message", "reported_at"]
    fields = ["page", "message", "reported_at", "status"]
    actions = ["close"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("message"))
    def short_message(self, report):
        return report.message[:80]  # the admin escapes it, as every value

    @admin.action(description=_("Close selected reports"), permissions=["change"])
    def close(self, request, queryset):
        closed = queryset.update(status=ProblemReport.Status.CLOSED)
        self.message_user(request, _("%(count)d report(s) closed.") % {"count": closed})


class CitationFormSet(forms.BaseInlineFormSet):
    """No source, no publish: a published record cites at least one source (where
    the inline requires it), each with the passage that supports the record."""

    def clean(self):
        super().clean()
        if getattr(self.instance, "state", None) != "published":
            return
        kept = [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data.get("source") and not form.cleaned_data.get("DELETE")
        ]
        if self.required and not kept:
            raise forms.ValidationError(
                _("Add at least one source before publishing, or save as a draft.")
            )
        if any(not citation.get("passage", "").strip() for citation in kept):
            raise forms.ValidationError(
                _(
                    "Give every source the passage that supports this record before "
                    "publishing, or save as a draft."
                )
            )


class CitationInline(KeyCheckedAdminMixin, admin.TabularInline):
    """A record's sources, each with its supporting passage."""

    formset = CitationFormSet
    fields = ["source", "passage", "passage_en"]
    autocomplete_fields = ["source"]
    extra = 1
    required = False  # at least one source before publishing

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.required = self.required
        return formset


def citations_inline(model, required=False):
    """The inline of a record's citations (`model`); `required`: at least one source
    before publishing."""
    attrs = {"model": model, "required": required}
    return type(f"{model.__name__}Inline", (CitationInline,), attrs)


def unsupported(queryset, required):
    """The records of `queryset` that may not be published: a source without its
    passage, or (`required`) no source at all."""
    missing = Q(citations__passage="")
    if required:
        missing |= Q(citations__isnull=True)
    return queryset.filter(missing).distinct()


class PublishableAdmin(ContentAdmin):
    """Shared set-up for content with a draft/published state."""

    list_filter = ["state"]
    actions = ["publish", "unpublish"]
    publication_fieldset = (_("Publication"), {"fields": ["state", "publish_at"]})
    requires_sources = False

    @admin.action(description=_("Publish selected items"), permissions=["change"])
    def publish(self, request, queryset):
        blocked = unsupported(queryset, self.requires_sources)
        if blocked.exists():
            names = ", ".join(str(obj) for obj in blocked[:5])
            self.message_user(
                request,
                _(
                    "Not published, a source or its passage is missing: %(names)s. "
                    "Add them first."
                )
                % {"names": names},
                messages.ERROR,
            )
            queryset = queryset.exclude(pk__in=blocked.values("pk"))
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


class WithPartnersAdmin(PublishableAdmin):
    """Activities and milestones: sourced records that name the partners involved."""

    requires_sources = True

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("partners")

    @admin.display(description=_("partners"))
    def partner_names(self, obj):
        return ", ".join(partner.name for partner in obj.partners.all()) or "—"
