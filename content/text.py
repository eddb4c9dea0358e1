"""Editor text: Markdown in, sanitised HTML out."""

from functools import lru_cache

import markdown
import nh3
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

MARKDOWN_HELP = _(
    "Markdown: a blank line starts a paragraph; **bold**, *italic*, "
    "[link text](https://example.org), lists start with '- ', headings with '## '. "
    "HTML tags are removed."
)

ALLOWED_TAGS = {
    "a", "abbr", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li", "ol",
    "p", "pre", "strong", "sub", "sup", "ul",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}}


# Rendering is pure, and the same texts are shown on every request.
@lru_cache(maxsize=4096)
def render_markdown(text):
    """Public-safe HTML: no script, no event handler, no javascript: URL."""
    html = markdown.markdown(
        text or "", extensions=["sane_lists"], output_format="html"
    )
    return mark_safe(  # noqa: S308 - nh3 has just removed everything unsafe
        nh3.clean(
            html,
            tags=ALLOWED_TAGS,
            attributes=ALLOWED_ATTRIBUTES,
            url_schemes={"http", "https", "mailto"},
            link_rel="noopener",
        )
    )
