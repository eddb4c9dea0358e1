"""Share images (Open Graph, Twitter cards): a record's key facts beside the map of
the Gulf with its countries highlighted, drawn with Pillow as a 1200 x 630 PNG.

Pillow ships its own font (``ImageFont.load_default(size=...)``), so nothing is read
from outside the site. Each image is drawn at its first request and kept under the
content version (content.version.cached), so a change to the record draws it anew.
"""

import hashlib
import io
import re

from django.conf import settings
from django.http import HttpResponse
from django.utils.cache import patch_cache_control
from django.utils.http import quote_etag
from PIL import Image, ImageDraw, ImageFont

from content.version import cached

from .maps import outlines

WIDTH, HEIGHT = 1200, 630
MARGIN = 60
NAVY, INK, MUTED, PAPER = "#13294b", "#1b1f24", "#4a535e", "#ffffff"
SEA, LAND, GULF_LAND, HERE = "#e3eef7", "#efede8", "#dcd8cf", "#0b6e4f"
# Browsers may keep an image a day; the page names it with its record's last change,
# so a changed record is a new address.
MAX_AGE = 60 * 60 * 24

_POINT = re.compile(r"(-?[\d.]+),(-?[\d.]+)")


def font(size):
    return ImageFont.load_default(size=size)


def wrap(draw, text, typeface, width, most):
    """`text` in lines no wider than `width` pixels, at most `most` of them."""
    lines, line = [], ""
    for word in text.split():
        trial = f"{line} {word}".strip()
        if draw.textlength(trial, font=typeface) <= width or not line:
            line = trial
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    if len(lines) > most:
        lines = lines[:most]
        while draw.textlength(lines[-1] + "…", font=typeface) > width:
            lines[-1] = lines[-1].rsplit(" ", 1)[0]
        lines[-1] += "…"
    return lines


def rings(path):
    """The rings of an SVG path made of M, L and Z, as lists of (x, y)."""
    return [
        [(float(x), float(y)) for x, y in _POINT.findall(part)]
        for part in path.split("M")
        if part
    ]


def draw_map(image, box, highlight):
    """The map of the Gulf fitted into `box`, the states in `highlight` (ISO alpha-3
    codes) filled, the other Gulf states a shade darker than their neighbours."""
    data = outlines()
    left, top, right, bottom = box
    scale = min((right - left) / data["width"], (bottom - top) / data["height"])
    draw = ImageDraw.Draw(image)
    width, height = data["width"] * scale, data["height"] * scale
    draw.rectangle([left, top, left + width, top + height], fill=SEA, outline=MUTED)

    def shape(path, fill, outline, line):
        for points in rings(path):
            at = [(left + x * scale, top + y * scale) for x, y in points]
            at = [
                (min(max(x, left), left + width), min(max(y, top), top + height))
                for x, y in at
            ]
            draw.polygon(at, fill=fill, outline=outline, width=line)

    for country in data["context"]:
        shape(country["path"], LAND, "#a39e93", 1)
    for state in data["states"]:
        if state["iso3"] not in highlight:
            shape(state["path"], GULF_LAND, "#8c877c", 1)
    for state in data["states"]:
        if state["iso3"] in highlight:
            shape(state["path"], HERE, INK, 2)
            if state["leader_from"]:  # too small to see: ring it
                x, y = state["leader_from"]
                x, y, r = left + x * scale, top + y * scale, 12
                draw.ellipse([x - r, y - r, x + r, y + r], outline=INK, width=3)


def render(heading, facts, highlight):
    """The PNG bytes of a card: the site's name, `heading`, a few `facts` lines and
    the map with `highlight` countries filled."""
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    draw.rectangle([0, 0, WIDTH, 84], fill=NAVY)
    draw.text((MARGIN, 24), settings.SITE_NAME, font=font(34), fill=PAPER)
    map_box = (WIDTH - MARGIN - 440, 130, WIDTH - MARGIN, HEIGHT - MARGIN)
    draw_map(image, map_box, set(highlight))
    text_width = map_box[0] - MARGIN * 2
    y = 130
    title = font(56)
    for line in wrap(draw, heading, title, text_width, 3):
        draw.text((MARGIN, y), line, font=title, fill=NAVY)
        y += 66
    y += 24
    body = font(30)
    for fact in facts:
        for line in wrap(draw, fact, body, text_width, 2):
            if y > HEIGHT - MARGIN - 36:
                break
            draw.text((MARGIN, y), line, font=body, fill=INK)
            y += 40
        y += 10
    draw.text(
        (MARGIN, HEIGHT - MARGIN - 8),
        "Map: Natural Earth",
        font=font(20),
        fill=MUTED,
    )
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def response(record, heading, facts, highlight):
    """The card of `record` as a PNG response, drawn once per change of content."""
    key = (
        "card",
        record._meta.label,
        record.pk,
        record.updated_at.isoformat(),
    )
    png = cached(key, lambda: render(heading, facts, highlight))
    answer = HttpResponse(png, content_type="image/png")
    answer["ETag"] = quote_etag(hashlib.md5(png, usedforsecurity=False).hexdigest())
    patch_cache_control(answer, public=True, max_age=MAX_AGE)
    return answer
