"""The map of the Gulf, drawn on the server from the outlines in data/gulf_map.json.

scripts/gulf_map.py writes that file from Natural Earth (public domain) by way of
world-atlas (ISC); the file says so in its ``licence``. Who is a partner, and since
when, comes from the Partner records, never from the file.
"""

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

from django.urls import reverse

OUTLINES = Path(__file__).resolve().parent / "data" / "gulf_map.json"

# Where the NATO-ICI Regional Centre is (Kuwait City), and the words its activities
# are found by in the activity list.
REGIONAL_CENTRE = {
    "name": "NATO-ICI Regional Centre",
    "place": "Kuwait City",
    "lon": 47.9774,
    "lat": 29.3759,
    "search": "NATO-ICI Regional Centre",
}


@lru_cache(maxsize=1)
def outlines():
    return json.loads(OUTLINES.read_text())


def place(lon, lat):
    """(x, y) of a point on the map, by the projection the outlines were drawn with."""
    projection = outlines()["projection"]
    scale = projection["scale"]
    x = (lon - projection["west"]) * projection["middle_cos"] * scale
    y = (projection["north"] - lat) * scale
    return round(x, 1), round(y, 1)


def standing(partner):
    """'ICI partner since 2004', or 'in dialogue, not a member': from the record."""
    if partner.is_member:
        since = f" since {partner.joined_display}" if partner.joined else ""
        return f"{partner.get_status_display()}{since}"
    status = partner.get_status_display()
    return status[:1].lower() + status[1:]


@dataclass
class State:
    iso3: str
    label: str
    path: str
    label_x: float
    label_y: float
    leader: tuple | None
    partner: object = None

    @property
    def name(self):
        return f"{self.partner.name}, {standing(self.partner)}" if self.partner else ""

    @property
    def kind(self):
        if self.partner is None:
            return "other"
        return "member" if self.partner.is_member else "dialogue"


def gulf_map(partners, highlight=None):
    """The map's parts: each of the six states with its public Partner record (by
    ISO alpha-3), the neighbours' outlines, the Regional Centre; `highlight` is the
    partner a locator map shows."""
    data = outlines()
    by_code = {partner.iso_alpha3: partner for partner in partners}
    if highlight is not None:
        by_code.setdefault(highlight.iso_alpha3, highlight)
    states = []
    for state in data["states"]:
        leader = None
        if state["leader_from"]:
            leader = (*state["leader_from"], *state["label_at"])
        states.append(
            State(
                iso3=state["iso3"],
                label=state["label"],
                path=state["path"],
                label_x=state["label_at"][0],
                label_y=state["label_at"][1],
                leader=leader,
                partner=by_code.get(state["iso3"]),
            )
        )
    x, y = place(REGIONAL_CENTRE["lon"], REGIONAL_CENTRE["lat"])
    centre = {
        **REGIONAL_CENTRE,
        "x": x,
        "y": y,
        "url": reverse("partners:activity-list")
        + "?"
        + urlencode({"q": REGIONAL_CENTRE["search"]}),
    }
    linked = [state for state in states if state.partner]
    return {
        "width": data["width"],
        "height": data["height"],
        "states": states,
        "partners": sorted(linked, key=lambda s: (s.kind != "member", s.partner.name)),
        "context": data["context"],
        "centre": centre,
        "highlight": highlight,
        "licence": data["licence"],
    }
