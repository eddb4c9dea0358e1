from django import template
from django.conf import settings
from django.core.exceptions import DisallowedHost
from django.utils.translation import get_language

from ici_site.languages import language_codes, path_in

# Each language named as its readers write it (Django's are "العربيّة", "français").
NATIVE_NAMES = {"en": "English", "ar": "العربية", "fr": "Français"}

register = template.Library()


def absolute(request, path):
    try:
        return request.build_absolute_uri(path)
    except DisallowedHost:  # the 400 page for a refused host still renders
        return path


@register.simple_tag(takes_context=True)
def language_links(context):
    """This page in each language: the switcher's links and the hreflang alternates.

    `page_languages` in the context (a detail view's translated languages) narrows
    the alternates; the switcher always offers every language.
    """
    request = context.get("request")
    if request is None:
        return {"switcher": [], "alternates": [], "x_default": None}
    query = request.META.get("QUERY_STRING", "")
    offered = context.get("page_languages") or language_codes()
    current = get_language()
    links = []
    for code in language_codes():
        path = path_in(code, request.path_info)
        if query:
            path += "?" + query
        links.append(
            {
                "code": code,
                "name": NATIVE_NAMES.get(code, code),
                "url": path,
                "absolute_url": absolute(request, path),
                "current": code == current,
                "offered": code in offered,
            }
        )
    default = next(link for link in links if link["code"] == settings.LANGUAGE_CODE)
    return {
        "switcher": links,
        "alternates": [link for link in links if link["offered"]],
        "x_default": default["absolute_url"] if default["offered"] else None,
    }
