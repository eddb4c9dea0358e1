"""Tags for taking the data away: export links and 'cite this'."""

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from content import citations
from content.serializers import Serializer

register = template.Library()


@register.simple_tag(takes_context=True)
def export_url(context, fmt, url_name="", name="", value=""):
    """This list (or ``url_name`` filtered by ``name=value``) in another format.

    The current page's filters are kept and its page number dropped: an export holds
    every matching record.
    """
    if url_name:
        query = {name: value} if name else {}
        return reverse(url_name) + "?" + urlencode({**query, "format": fmt})
    request = context["request"]
    query = request.GET.copy()
    query.pop("page", None)
    query["format"] = fmt
    return request.path + "?" + query.urlencode()


@register.simple_tag(takes_context=True)
def citation(context, title):
    return citations.for_request(context["request"], title)


@register.simple_tag
def api_url(obj):
    """The API address of a record, or '' for objects the API does not serve."""
    for serializer in Serializer.registry.values():
        if isinstance(obj, serializer.model):
            lookup = getattr(obj, serializer.lookup)
            return reverse(f"api:{serializer.name}-detail", args=[lookup])
    return ""
