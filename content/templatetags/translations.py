"""Honest about what is not translated: a field shown in English on a page in
another language carries lang="en", and the record says it is not yet available."""

from django import template
from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from content.models import field_text

register = template.Library()


def shown_in_english(record, field):
    """True when the page's language lacks this field's text and English fills in."""
    language = get_language()
    if not record or language == settings.LANGUAGE_CODE:
        return False
    if not hasattr(record, f"{field}_{language}"):
        return False  # not a translated field: nothing to fall back from
    return not field_text(record, field, language) and bool(
        field_text(record, field, settings.LANGUAGE_CODE)
    )


@register.filter
def lang_of(record, field):
    """` lang="en"` for an element holding the field, when it falls back to English."""
    if shown_in_english(record, field):
        return mark_safe(f' lang="{settings.LANGUAGE_CODE}"')
    return ""


@register.inclusion_tag("includes/untranslated.html")
def untranslated(record, *fields):
    """The notice, in the page's language, when any of these fields is in English."""
    return {"missing": any(shown_in_english(record, field) for field in fields)}
