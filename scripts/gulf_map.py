"""Reduce Natural Earth's country outlines to the Gulf and project them to SVG paths.

The site draws its map of the six Gulf states on the server from the file this script
writes, partners/data/gulf_map.json; nothing is fetched when a page is served. The
input is world-atlas (Natural Earth 1:50m admin-0 countries as TopoJSON, from the npm
registry):

    cd /tmp && npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python3.11 scripts/gulf_map.py /tmp/package/countries-50m.json

Natural Earth is in the public domain; world-atlas, which repackages it, is under the
ISC licence. The output says both.

Every country whose outline reaches the frame is kept, clipped to it: the six states
(by ISO 3166-1 numeric code, as world-atlas names them) to link, the rest for context.
The projection is equirectangular, scaled by the cosine of the frame's middle latitude,
which keeps shapes true enough over a region this size; the projection's parameters are
written too, so the site can place a point (the NATO-ICI Regional Centre) on the map.
"""

import argparse
import json
import math
from pathlib import Path

OUTPUT = Path(__file__).resolve().parent.parent / "partners" / "data" / "gulf_map.json"

# The frame, in degrees: the Arabian Peninsula from the Gulf of Aqaba to the Strait of
# Hormuz, with the Gulf in the middle.
WEST, EAST, SOUTH, NORTH = 34.4, 60.0, 15.4, 32.6
WIDTH = 560  # SVG user units across; the height follows from the projection
PRECISION = 1  # decimals kept in the path data
TOLERANCE = 0.35  # simplification, in user units: below what a screen shows

# world-atlas ids (ISO 3166-1 numeric) of the six states, with the ISO alpha-3 code the
# site's Partner records carry, and where each name is written (longitude, latitude,
# and the point its leader line starts from when the label sits off the country).
STATES = {
    "048": {
        "iso3": "BHR",
        "label": "Bahrain",
        "at": (50.3, 27.75),
        "from": (50.55, 26.1),
    },
    "414": {
        "iso3": "KWT",
        "label": "Kuwait",
        "at": (46.2, 29.75),
        "from": (47.4, 29.3),
    },
    "634": {"iso3": "QAT", "label": "Qatar", "at": (52.6, 25.7), "from": (51.25, 25.3)},
    "784": {"iso3": "ARE", "label": "UAE", "at": (54.4, 23.35), "from": None},
    "682": {"iso3": "SAU", "label": "Saudi Arabia", "at": (44.6, 23.8), "from": None},
    "512": {"iso3": "OMN", "label": "Oman", "at": (56.6, 20.4), "from": None},
}

MIDDLE = math.cos(math.radians((SOUTH + NORTH) / 2))
SCALE = WIDTH / ((EAST - WEST) * MIDDLE)
HEIGHT = round((NORTH - SOUTH) * SCALE)


def project(lon, lat):
    return ((lon - WEST) * MIDDLE * SCALE, (NORTH - lat) * SCALE)


def decode_arcs(topology):
    """TopoJSON's delta-encoded, quantized arcs as lists of (lon, lat)."""
    (sx, sy), (tx, ty) = (
        topology["transform"]["scale"],
        topology["transform"]["translate"],
    )
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring(arcs, indexes):
    points = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def polygons(arcs, geometry):
    if geometry["type"] == "Polygon":
        return [[ring(arcs, r) for r in geometry["arcs"]]]
    if geometry["type"] == "MultiPolygon":
        return [[ring(arcs, r) for r in polygon] for polygon in geometry["arcs"]]
    return []


def clip(points, margin=1.0):
    """Sutherland-Hodgman against the frame plus a margin, so that the cut edges fall
    outside what is shown."""
    edges = [
        (lambda p: p[0] >= WEST - margin, 0, WEST - margin),
        (lambda p: p[0] <= EAST + margin, 0, EAST + margin),
        (lambda p: p[1] >= SOUTH - margin, 1, SOUTH - margin),
        (lambda p: p[1] <= NORTH + margin, 1, NORTH + margin),
    ]
    for inside, axis, value in edges:
        if not points:
            break
        result = []
        for i, current in enumerate(points):
            previous = points[i - 1]
            if inside(current):
                if not inside(previous):
                    result.append(cross(previous, current, axis, value))
                result.append(current)
            elif inside(previous):
                result.append(cross(previous, current, axis, value))
        points = result
    return points


def cross(a, b, axis, value):
    t = (value - a[axis]) / (b[axis] - a[axis])
    return tuple(a[i] + t * (b[i] - a[i]) for i in range(2))


def simplify_ring(points):
    """A closed ring in two open halves, split at the point farthest from its start
    (Douglas-Peucker needs two distinct ends)."""
    if len(points) < 4:
        return points
    x0, y0 = points[0]
    far = max(range(len(points)), key=lambda i: math.dist(points[i], (x0, y0)))
    return simplify(points[: far + 1]) + simplify(points[far:])[1:]


def simplify(points, tolerance=TOLERANCE):
    """Douglas-Peucker, iteratively."""
    if len(points) < 3:
        return points
    keep = {0, len(points) - 1}
    stack = [(0, len(points) - 1)]
    while stack:
        start, end = stack.pop()
        (ax, ay), (bx, by) = points[start], points[end]
        length = math.hypot(bx - ax, by - ay) or 1e-9
        far, far_index = 0.0, None
        for i in range(start + 1, end):
            px, py = points[i]
            distance = abs((bx - ax) * (ay - py) - (ax - px) * (by - ay)) / length
            if distance > far:
                far, far_index = distance, i
        if far_index is not None and far > tolerance:
            keep.add(far_index)
            stack.extend([(start, far_index), (far_index, end)])
    return [points[i] for i in sorted(keep)]


def path_data(geometry, arcs):
    parts = []
    for polygon in polygons(arcs, geometry):
        for points in polygon:
            points = clip(points)
            if len(points) < 3:
                continue
            projected = simplify_ring([project(lon, lat) for lon, lat in points])
            rounded = []
            for x, y in projected:
                point = (round(x, PRECISION), round(y, PRECISION))
                if not rounded or rounded[-1] != point:
                    rounded.append(point)
            if len(rounded) < 3:
                continue
            xs, ys = [p[0] for p in rounded], [p[1] for p in rounded]
            if max(xs) < 0 or min(xs) > WIDTH or max(ys) < 0 or min(ys) > HEIGHT:
                continue
            parts.append("M" + "L".join(f"{x:g},{y:g}" for x, y in rounded) + "Z")
    return "".join(parts)


def point(lon, lat):
    x, y = project(lon, lat)
    return [round(x, PRECISION), round(y, PRECISION)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("topojson", type=Path, help="world-atlas countries-50m.json")
    parser.add_argument("--output", type=Path, default=OUTPUT)
    args = parser.parse_args()
    topology = json.loads(args.topojson.read_text())
    arcs = decode_arcs(topology)
    states, context = [], []
    for geometry in topology["objects"]["countries"]["geometries"]:
        d = path_data(geometry, arcs)
        if not d:
            continue
        state = STATES.get(geometry.get("id"))
        if state:
            states.append(
                {
                    "iso3": state["iso3"],
                    "label": state["label"],
                    "path": d,
                    "label_at": point(*state["at"]),
                    "leader_from": point(*state["from"]) if state["from"] else None,
                }
            )
        else:
            context.append({"name": geometry["properties"]["name"], "path": d})
    output = {
        "licence": (
            "Outlines: Natural Earth 1:50m admin-0 countries (naturalearthdata.com), "
            "public domain, as repackaged by world-atlas 2.0.2 (ISC licence, "
            "Copyright 2013-2019 Michael Bostock). Reduced and projected by "
            "scripts/gulf_map.py."
        ),
        "projection": {
            "kind": "equirectangular",
            "west": WEST,
            "north": NORTH,
            "middle_cos": MIDDLE,
            "scale": SCALE,
        },
        "width": WIDTH,
        "height": HEIGHT,
        "states": sorted(states, key=lambda s: s["iso3"]),
        "context": sorted(context, key=lambda c: c["name"]),
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(output, separators=(",", ":")) + "\n")
    found = {s["iso3"] for s in states}
    missing = {s["iso3"] for s in STATES.values()} - found
    if missing:
        raise SystemExit(f"missing from the input: {sorted(missing)}")
    size = args.output.stat().st_size
    print(f"{args.output}: {len(states)} states, {len(context)} others, {size} bytes")  # noqa: T201


if __name__ == "__main__":
    main()
