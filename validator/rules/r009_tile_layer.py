"""Tiled imagery (`TMS_GEO`, `TMS_SIMPLE`) has a bad tile URL, projection, bounds or zoom.

What it checks
    The ``row_data`` object of tiled-imagery rows (``media_type`` TMS_GEO or
    TMS_SIMPLE, or an undeclared row whose ``row_data`` object has a
    ``tile_layer_url``):

    - ``tile_layer_url``, and each alternative layer's, contains the ``{z}``,
      ``{x}`` and ``{y}`` placeholders (percent-encoded ``%7Bz%7D`` is called out);
    - ``epsg`` is one of ``EPSG3857``, ``EPSG3395``, ``EPSG4326``, ``Simple``
      (``4326``, ``EPSG:4326``, ``epsg4326`` get the right spelling);
    - ``bounds`` are two points that differ on both axes (a rectangle with an
      area); with ``EPSG4326`` latitudes lie in [-90, 90] and longitudes in
      [-180, 180], axis order by ``version``: 1 (or none) ``[lat, lng]``, 2
      ``[lng, lat]``; a value that only fits the other order gets that hint;
    - ``min_zoom``, ``max_zoom`` and ``max_native_zoom`` are integers 0..30 and
      ``min_zoom <= max_zoom``;
    - ``tile_size`` is a positive integer;
    - each entry of ``alternative_layers`` has ``tile_layer_url`` and ``name``.

    Wrong JSON types and unknown keys are R007's (the media schema).

Why it matters
    The geospatial import page specifies the tile server object (``tile_layer_url``
    "with {z}/{x}/{y}", ``bounds``, ``epsg``, zoom levels, ``alternative_layers``
    with ``tile_layer_url`` and ``name``; sample in
    ``000_bcdac60c1f9def49.txt``). The SDK's ``TiledImageData`` enforces the same:
    ``TileLayer`` URLs must contain ``/{z}/{x}/{y}``, ``TiledBounds`` "Bounds on
    either axes cannot be equal" and lat/lng ranges for EPSG4326, zoom levels
    "should be min, max". A row that breaks them imports but shows no imagery,
    or the wrong place.

Decisions
    Bounds whose points share an x or a y are reported like equal points (the
    SDK's rule): they enclose no area. Without ``version`` the points are read as
    ``[lat, lng]``, as in the import page's sample (Mexico City,
    ``[19.40, -99.21]``). Zoom levels above 30 are reported because no tile
    server serves them (web maps stop at 22-24). The check is skipped for values
    of the wrong JSON type (R007 reports those).

FAIL::

    [{"row_data": {"tile_layer_url": "https://tiles.example.com/{z}/{x}.png",
                   "bounds": [[19.4056, -99.2105], [19.4004, -99.2053]],
                   "epsg": "EPSG4326", "min_zoom": 12, "max_zoom": 20},
      "media_type": "TMS_GEO"}]

PASS::

    [{"row_data": {"tile_layer_url": "https://tiles.example.com/{z}/{x}/{y}.png",
                   "bounds": [[19.4056, -99.2105], [19.4004, -99.2053]],
                   "epsg": "EPSG4326", "min_zoom": 12, "max_zoom": 20,
                   "alternative_layers": [{"tile_layer_url": "https://sat.example.com/{z}/{x}/{y}", "name": "Satellite"}]},
      "media_type": "TMS_GEO"}]
"""
import math

from ..model import Problem

CODE = "R009"
NAME = "tile-layer"
SEVERITY = "error"

EPSGS = ("EPSG3857", "EPSG3395", "EPSG4326", "Simple")
_EPSG_FOLDED = {e.upper().replace("EPSG", ""): e for e in EPSGS}
_EPSG_FOLDED["SIMPLEPIXEL"] = "Simple"
_PLACEHOLDERS = ("{z}", "{x}", "{y}")
MAX_ZOOM = 30
_TILE_TYPES = ("TMS_GEO", "TMS_SIMPLE")


def check(row, ctx):
    data = row.value.get("row_data")
    if not isinstance(data, dict):
        return
    media = row.media_type
    if media not in _TILE_TYPES and not (media is None and "media_type" not in row.value and "tile_layer_url" in data):
        return
    base = ("row_data",)
    url = data.get("tile_layer_url")
    if isinstance(url, str):
        yield from _template(url, base + ("tile_layer_url",))
    epsg = data.get("epsg")
    if isinstance(epsg, str) and epsg not in EPSGS:
        yield Problem(base + ("epsg",), _epsg_message(epsg))
    yield from _bounds(data, base)
    yield from _zooms(data, base)
    size = data.get("tile_size")
    if _is_number(size) and not (size > 0 and float(size).is_integer()):
        yield Problem(base + ("tile_size",), f"tile_size is {_num(size)}; it must be a positive whole number of pixels (usually 256 or 512)")
    layers = data.get("alternative_layers")
    if isinstance(layers, list):
        for i, layer in enumerate(layers):
            if not isinstance(layer, dict):
                continue  # R007: not an object
            here = base + ("alternative_layers", i)
            for key, role in (("tile_layer_url", "its tile URL template with {z}/{x}/{y}"), ("name", "the name labelers pick it by")):
                if key not in layer:
                    yield Problem(here, f"alternative layer is missing '{key}': add {role}")
            if isinstance(layer.get("tile_layer_url"), str):
                yield from _template(layer["tile_layer_url"], here + ("tile_layer_url",))


def _template(url, path):
    missing = [p for p in _PLACEHOLDERS if p not in url]
    if not missing:
        return
    lowered = url.lower()
    if all(p[1] in lowered for p in missing) and "%7b" in lowered:
        msg = "tile_layer_url has percent-encoded placeholders: write {z}, {x} and {y} literally (not %7Bz%7D)"
    else:
        names = ", ".join(missing)
        msg = (f"tile_layer_url lacks the {names} placeholder{'s' if len(missing) > 1 else ''}: a tile URL template "
               "must contain {z}, {x} and {y}, e.g. https://tiles.example.com/{z}/{x}/{y}.png")
    yield Problem(path, msg)


def _epsg_message(epsg):
    folded = epsg.strip().upper().replace(":", "").replace("_", "").replace("-", "").replace(" ", "")
    guess = _EPSG_FOLDED.get(folded.replace("EPSG", "", 1)) if folded.startswith("EPSG") else _EPSG_FOLDED.get(folded)
    hint = f"did you mean '{guess}'?" if guess else "use one of: " + ", ".join(EPSGS)
    shown = epsg if len(epsg) <= 40 else epsg[:37] + "..."
    return f"epsg '{shown}' is not a projection Labelbox supports: {hint}"


def _is_number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _num(v):
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)


def _bounds(data, base):
    bounds = data.get("bounds")
    if not (isinstance(bounds, list) and len(bounds) == 2):
        return  # absent, or the wrong shape: R007
    points = []
    for p in bounds:
        if not (isinstance(p, list) and len(p) == 2 and _is_number(p[0]) and _is_number(p[1])):
            return  # R007
        points.append(p)
    path = base + ("bounds",)
    a, b = points
    if a[0] == b[0] or a[1] == b[1]:
        same = "are the same point" if a == b else "share a coordinate"
        yield Problem(path, f"the two bounds points {same}, so the bounds enclose no area: give two opposite corners "
                      "that differ in both coordinates")
    if data.get("epsg") != "EPSG4326":
        return
    version = data.get("version")
    if version not in (None, 1, 2):
        return  # an unknown version: the axis order is not known
    lat_first = version != 2
    order = "[lat, lng]" if lat_first else "[lng, lat]"
    which = "version 1 (or no version)" if lat_first else "version 2"
    for i, point in enumerate(points):
        lat, lng = (point[0], point[1]) if lat_first else (point[1], point[0])
        lat_at, lng_at = (0, 1) if lat_first else (1, 0)
        lat_ok, lng_ok = -90 <= lat <= 90, -180 <= lng <= 180
        if lat_ok and lng_ok:
            continue
        swapped = -90 <= lng <= 90 and -180 <= lat <= 180
        if not swapped:
            hint = f" (with {which} points are {order})"
        elif lat_first:
            hint = f": with {which} points are [lat, lng]; if yours are [lng, lat], swap them or set \"version\": 2"
        else:
            hint = ": with version 2 points are [lng, lat]; if yours are [lat, lng], swap them or set \"version\": 1"
        if not lat_ok:
            yield Problem(path + (i, lat_at), f"latitude {_num(lat)} is outside [-90, 90]{hint}")
        else:
            yield Problem(path + (i, lng_at), f"longitude {_num(lng)} is outside [-180, 180]{hint}")


def _zooms(data, base):
    ok = {}
    for key in ("min_zoom", "max_zoom", "max_native_zoom"):
        z = data.get(key)
        if not _is_number(z):
            continue
        if not float(z).is_integer() or not 0 <= z <= MAX_ZOOM:
            yield Problem(base + (key,), f"{key} is {_num(z)}; zoom levels are whole numbers from 0 to {MAX_ZOOM}")
        else:
            ok[key] = z
    if "min_zoom" in ok and "max_zoom" in ok and ok["min_zoom"] > ok["max_zoom"]:
        yield Problem(base + ("min_zoom",), f"min_zoom {_num(ok['min_zoom'])} is greater than max_zoom {_num(ok['max_zoom'])}: "
                      "swap them, min_zoom is the most zoomed-out level")
