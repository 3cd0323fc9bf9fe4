"""The region's map as server-rendered SVG: one link per shape, a legend and a table of the same values.

No JavaScript, no tile server: the SVG is drawn here from the packaged geometry (geometry.py) and the layer's
data (map_layers.py). Shapes of one class are drawn in one group whose fill is a presentation attribute (no
`<style>`, which the pages' CSP would block, and fewer bytes than a class per shape). The map is not
`role="img"`: an image's children are hidden from assistive technologies, and every shape here is a link, so it
is a labelled group whose `<title>` and `<desc>` say what it shows.

A drawn map is cached in process per (layer, indicator, level, data version, language): the layer's probe
(one cheap query) gives the version, so the map is redrawn only when what it colours by changes.
"""

import dataclasses
import threading
from collections import OrderedDict

from flask import current_app, render_template
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape

from clubess.territories import geometry, map_layers
from clubess.territories.map_layers import Choice, Colouring

#: ColorBrewer YlGnBu (colour-blind safe, sequential), lightest first; k0 a neutral "none", kn "no data"
FILLS = {
    "k0": "#f2f2f2",
    "k1": "#ffffcc",
    "k2": "#a1dab4",
    "k3": "#41b6c4",
    "k4": "#2c7fb8",
    "k5": "#253494",
    "kn": "#d9d9d9",
    "ko": "none",
    "": "#f2f2f2",
}
#: members: the darkest for a member, the outline in a contrasting orange (also safe for colour-blind eyes)
OUTLINE = "#d95f02"
BORDER = "#737373"
MAX_CACHED = 32


@dataclasses.dataclass(frozen=True)
class DrawnMap:
    choice: Choice
    version: str
    title: str
    #: the SVG markup itself (what the size bound counts)
    svg: Markup
    #: [(css class, fill, label, outline)]
    legend: list[tuple[str, str, str, bool]]
    #: [(code, name, value as text)] in the map's order, outlines last
    rows: list[tuple[str, str, str]]
    value_heading: str
    note: str
    demo: bool
    attribution: str
    #: the table of the same values, rendered once with the map (1,266 rows are too many to render per request)
    table: Markup = Markup("")


_cache: OrderedDict[tuple, DrawnMap] = OrderedDict()
_lock = threading.Lock()
#: how many maps were drawn since the process started (tests check that a cached map is not redrawn)
renders = {"count": 0}


def fill_of(css: str) -> str:
    return FILLS.get(css, FILLS[""])


def region_geometry() -> geometry.Geometry | None:
    region = str(current_app.config.get("CLUB_REGION_CODE", "11"))
    return geometry.load(region) if region.isdigit() and len(region) <= 3 else None


def _link(href: str, text: str, d: str) -> str:
    label = escape(text)
    return f'<a href="{href}" aria-label="{label}"><title>{label}</title><path d="{d}"/></a>'


def draw_region(geo: geometry.Geometry, choice: Choice, colouring: Colouring, href: str) -> str:
    """The SVG of the whole region at the choice's level."""
    legend = colouring.legend
    by_class: dict[str, list[str]] = {}
    for code in geo.levels[choice.level]:
        shape = geo.by_code[code]
        index, text = colouring.cells.get(code, (None, ""))
        css = legend[index].css if index is not None else ""
        by_class.setdefault(css, []).append(_link(f"{href}{code}", f"{shape.name} : {text}", shape.d))
    title = escape(_("Carte : %(what)s", what=colouring.title))
    desc = escape(
        _(
            "Chaque territoire est un lien vers sa page ; la légende et le tableau sous la carte donnent les "
            "mêmes valeurs."
        )
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {geo.width} {geo.height}" class="carte-svg" '
        f'role="group" aria-labelledby="carte-titre" aria-describedby="carte-desc">'
        f'<title id="carte-titre">{title}</title><desc id="carte-desc">{desc}</desc>'
        f'<g stroke="{BORDER}" stroke-width=".4" stroke-linejoin="round" fill-rule="evenodd">'
    ]
    for css in sorted(by_class):
        out.append(f'<g fill="{fill_of(css)}" class="carte-{css or "k"}">{"".join(by_class[css])}</g>')
    out.append("</g>")
    if choice.level != geometry.DEPARTEMENT:
        departments = "".join(f'<path d="{s.d}"/>' for s in geo.shapes.get("departement", {}).values())
        out.append(f'<g fill="none" stroke="#252525" stroke-width="1.2" aria-hidden="true">{departments}</g>')
    if colouring.outlines:
        links = "".join(
            _link(f"{href}{code}", f"{geo.by_code[code].name} : {text}", geo.by_code[code].d)
            for code, _index, text in colouring.outlines
        )
        out.append(
            f'<g fill="none" stroke="{OUTLINE}" stroke-width="2.5" stroke-dasharray="6 3" '
            f'class="carte-contours">{links}</g>'
        )
    out.append("</svg>")
    return "".join(out)


def _with_table(drawn: DrawnMap, href: str) -> DrawnMap:
    table = render_template("territories/_map_table.html", drawn=drawn, href=href)
    return dataclasses.replace(drawn, table=Markup(table))  # noqa: S704 - a rendered template


def region_map(choice: Choice, href: str = "/territoires/") -> DrawnMap | None:
    """The region's map for this layer, drawn once per data version (one query when cached)."""
    geo = region_geometry()
    if geo is None:
        return None
    version, data = map_layers.probe(choice)
    key = (geo.region, choice, version, str(get_locale()), href)
    with _lock:
        drawn = _cache.get(key)
        if drawn is not None:
            _cache.move_to_end(key)
            return drawn
    colouring = map_layers.colour(choice, data, geo)
    svg = draw_region(geo, choice, colouring, href)
    rows = [(code, geo.by_code[code].name, colouring.cells[code][1]) for code in geo.levels[choice.level]]
    rows.sort(key=lambda row: (row[1], row[0]))
    rows += [(code, geo.by_code[code].name, text) for code, _index, text in colouring.outlines]
    drawn = _with_table(
        DrawnMap(
            choice=choice,
            version=version,
            title=colouring.title,
            svg=Markup(svg),  # noqa: S704 - every text escaped in draw_region
            legend=[(c.css, OUTLINE if c.outline else fill_of(c.css), c.label, c.outline) for c in colouring.legend],
            rows=rows,
            value_heading=colouring.value_heading,
            note=colouring.note,
            demo=colouring.demo,
            attribution=geo.attribution,
        ),
        href,
    )
    with _lock:
        renders["count"] += 1
        _cache[key] = drawn
        while len(_cache) > MAX_CACHED:
            _cache.popitem(last=False)
    return drawn


def clear_cache() -> None:
    with _lock:
        _cache.clear()
