"""The map's sections: the region's map on `/territoires` (`carte`), and a territory's shape within its parent
on its page (`situation`)."""

from collections.abc import Mapping
from functools import lru_cache

from flask import has_request_context, request
from flask_babel import get_locale
from flask_babel import gettext as _
from markupsafe import Markup, escape

from clubess.members.models import Territory
from clubess.territories import catalogue, geometry, map_layers, sections, svgmap
from clubess.territories.sections import Viewer

PAGES_PREFIX = "/territoires/"
#: room around the parent's box in a situation map, in map units
PAD = 4


def href_prefix() -> str:
    return (request.script_root if has_request_context() else "") + PAGES_PREFIX


def map_context(territory: Territory, viewer: Viewer, args: Mapping[str, str]) -> dict | None:
    """The region map with its layer switch (the `/territoires` page)."""
    choice, message = map_layers.parse_choice(args)
    drawn = svgmap.region_map(choice, href_prefix())
    if drawn is None:
        return None
    return {
        "drawn": drawn,
        "choice": choice,
        "message": message,
        "layers": map_layers.LAYERS,
        "levels": map_layers.LEVEL_LABELS,
        "indicator_groups": [
            (catalogue.GROUP_LABELS[group], [i for i in catalogue.INDICATORS if i.group == group])
            for group in catalogue.GROUP_LABELS
        ],
        "action": request.path if has_request_context() else PAGES_PREFIX.rstrip("/"),
    }


def parent_of(geo: geometry.Geometry, shape: geometry.Shape) -> geometry.Shape | None:
    """The territory a situation map shows this one in: a commune in its EPT or EPCI (Paris in the
    Métropole), an EPT in the Métropole, an EPCI in its (first) département, a département or the Métropole in
    the région."""
    ups = [geo.by_code[c] for c in shape.up if c in geo.by_code]
    wanted = {
        "commune": ("ept", "epci", "metropole", "departement"),
        "ept": ("metropole",),
        "epci": ("departement",),
        "departement": ("region",),
        "metropole": ("region",),
    }.get(shape.kind, ())
    for kind in wanted:
        found = sorted((u for u in ups if u.kind == kind), key=lambda u: u.code)
        if found:
            return found[0]
    region = geo.by_code.get(geo.region)
    return region if "region" in wanted else None


def _siblings(geo: geometry.Geometry, shape: geometry.Shape, parent: geometry.Shape) -> list[geometry.Shape]:
    if shape.kind == "commune" and parent.kind in ("ept", "epci"):
        level = geometry.COMMUNE
    elif shape.kind in ("departement", "metropole"):
        level = geometry.DEPARTEMENT
    else:
        level = geometry.EPCI
    codes = geo.levels[level]
    if parent.kind == "region":
        return [geo.by_code[c] for c in codes]
    return [geo.by_code[c] for c in codes if parent.code in geo.by_code[c].up or c == shape.code]


@lru_cache(maxsize=512)
def situation_svg(region: str, code: str, href: str, locale: str = "fr") -> tuple[str, str] | None:
    """(the SVG of the territory highlighted among its parent's parts, the parent's name); static data only,
    so drawn once per territory, language and process."""
    geo = geometry.load(region)
    shape = geo.shape(code) if geo else None
    parent = parent_of(geo, shape) if shape else None
    if parent is None:
        return None
    x0, y0, x1, y1 = parent.box
    x0, y0 = min(x0, shape.box[0]) - PAD, min(y0, shape.box[1]) - PAD
    x1, y1 = max(x1, shape.box[2]) + PAD, max(y1, shape.box[3]) + PAD
    # strokes in screen-constant width whatever the zoom: the viewBox is a part of a ~1000 unit map
    scale = max(x1 - x0, y1 - y0) / 300
    title = escape(_("%(name)s dans %(parent)s", name=shape.name, parent=parent.name))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{x0} {y0} {x1 - x0} {y1 - y0}" class="situation-svg" '
        f'role="group" aria-labelledby="situation-titre"><title id="situation-titre">{title}</title>'
        f'<g fill="#f2f2f2" stroke="#737373" stroke-width="{0.6 * scale:.2f}" stroke-linejoin="round" '
        'fill-rule="evenodd">'
    ]
    highlighted = ""
    for sibling in _siblings(geo, shape, parent):
        label = escape(sibling.name)
        link = f'<a href="{href}{sibling.code}" aria-label="{label}"><title>{label}</title>'
        if sibling.code == shape.code:
            highlighted = f'{link}<path fill="#253494" d="{sibling.d}"/></a>'
        elif shape.kind != "metropole":
            out.append(f'{link}<path d="{sibling.d}"/></a>')
        else:  # the Métropole over the départements: they are context, not links
            out.append(f'<path d="{sibling.d}"/>')
    if shape.kind == "metropole":
        label = escape(shape.name)
        highlighted = (
            f'<a href="{href}{shape.code}" aria-label="{label}"><title>{label}</title>'
            f'<path fill="#253494" fill-opacity=".85" d="{shape.d}"/></a>'
        )
    out.append(highlighted)
    out.append(
        f'</g><path fill="none" stroke="#1e1e1e" stroke-width="{1.2 * scale:.2f}" d="{parent.d}" aria-hidden="true"/>'
        "</svg>"
    )
    return "".join(out), parent.name


def situation_context(territory: Territory, viewer: Viewer, args: Mapping[str, str]) -> dict | None:
    """The territory's own shape within its parent (its page)."""
    geo = svgmap.region_geometry()
    if geo is None:
        return None
    drawn = situation_svg(geo.region, territory.code, href_prefix(), str(get_locale()))
    if drawn is None:
        return None
    svg, parent_name = drawn
    return {
        "situation_svg": Markup(svg),  # noqa: S704 - names escaped in situation_svg
        "territory_name": territory.name,
        "parent_name": parent_name,
        "attribution": geo.attribution,
    }


def register_sections() -> None:
    sections.register(
        sections.Section("carte", "territories/_section_carte.html", map_context, order=10, page=sections.INDEX)
    )
    sections.register(sections.Section("situation", "territories/_section_situation.html", situation_context, order=15))
