from django import template
from django.urls import reverse
from django.utils.html import format_html

from content.text import render_markdown

register = template.Library()


@register.simple_tag(takes_context=True)
def nav_link(context, url_name, label):
    """A navigation link marked aria-current when the page is in its section."""
    url = reverse(url_name)
    request = context.get("request")
    path = request.path if request else ""
    current = path == url if url == "/" else path.startswith(url)
    if current:
        return format_html('<a href="{}" aria-current="page">{}</a>', url, label)
    return format_html('<a href="{}">{}</a>', url, label)


@register.filter
def lookup(mapping, key):
    """mapping[key] in a template, or None: `facets|lookup:field.name`."""
    try:
        return mapping[key]
    except (KeyError, TypeError):
        return None


@register.filter
def markdown(text):
    """Editor Markdown as sanitised HTML; the only way editor text reaches a page."""
    return render_markdown(text)
