from django import template
from django.urls import reverse

register = template.Library()


@register.inclusion_tag("includes/share_meta.html", takes_context=True)
def share_meta(context, record, card, title, description, image_alt):
    """Open Graph and Twitter card tags for a record page, its image drawn by the
    `card` view. The image's address carries the record's last change, so a
    changed record is never previewed with an old image kept by a chat service."""
    request = context["request"]
    image = reverse(card, args=[record.slug])
    image += f"?v={int(record.updated_at.timestamp())}"
    return {
        "share_title": title,
        "share_description": description,
        "share_url": request.build_absolute_uri(record.get_absolute_url()),
        "share_image_url": request.build_absolute_uri(image),
        "share_image_alt": image_alt,
    }
