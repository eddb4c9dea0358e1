from django import template

from partners.maps import gulf_map

register = template.Library()


@register.inclusion_tag("includes/gulf_map.html")
def gulf_map_of(*partner_lists, heading_level=2):
    """The map of the Gulf, each state linked to its profile: `{% gulf_map_of
    partners %}` with the public partners the page already has (no query)."""
    partners = [partner for partners in partner_lists for partner in partners]
    return {"map": gulf_map(partners), "heading_level": heading_level}


@register.inclusion_tag("includes/locator_map.html")
def locator_map(partner):
    """A small map with `partner`'s country highlighted."""
    return {"map": gulf_map([], highlight=partner), "partner": partner}
