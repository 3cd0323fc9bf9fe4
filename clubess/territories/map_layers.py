"""The map's layers: which one the query asks for, the data it colours by, and its classes.

A layer is read in two steps so the map can be cached per data version: `probe` runs the layer's cheap query
(one per request: the active members' territories, the published practices counted per territory, or an
aggregate over the indicator's figures) and returns a digest of it; `colour` turns the data into classes and
one value per shape, and runs only when the drawn map is not cached for that digest.

Class breaks (practices and indicators) are quantiles: the values are sorted and cut into at most five classes
of about as many shapes each; a class is labelled by the smallest and largest value it actually holds, so the
legend never shows a range nobody falls in.
"""

import hashlib
import math
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from clubess.extensions import db
from clubess.members.models import Collectivity, CollectivityStatus, Territory
from clubess.practices.models import Practice, PracticeStatus
from clubess.territories import catalogue, geometry
from clubess.territories.figures import map_values
from clubess.territories.models import IndicatorValue

MEMBERS = "membres"
PRACTICES = "pratiques"
INDICATOR = "indicateur"
LAYERS = {MEMBERS: _l("Collectivités adhérentes"), PRACTICES: _l("Pratiques publiées"), INDICATOR: _l("Indicateur")}
LEVEL_LABELS = {
    geometry.COMMUNE: _l("Communes"),
    geometry.EPCI: _l("EPT et EPCI"),
    geometry.DEPARTEMENT: _l("Départements"),
}
#: the territory kinds whose figures an indicator map reads, per level (Paris stands alone among groupings)
LEVEL_KINDS = {
    geometry.COMMUNE: ("commune",),
    geometry.EPCI: ("ept", "epci", "commune"),
    geometry.DEPARTEMENT: ("departement",),
}
MAX_CLASSES = 5


@dataclass(frozen=True)
class Choice:
    layer: str = MEMBERS
    indicator: str = ""
    level: str = geometry.COMMUNE


def parse_choice(args: Mapping[str, str]) -> tuple[Choice, str | None]:
    """The layer the query asks for, and a message when it asked for something unknown (then: the default)."""
    layer = args.get("couche") or MEMBERS
    level = args.get("niveau") or geometry.COMMUNE
    indicator = args.get("indicateur") or ""
    message = None
    if level not in geometry.LEVELS:
        level, message = geometry.COMMUNE, _("Niveau inconnu : la carte est dessinée par commune.")
    if layer == INDICATOR:
        if not indicator:
            indicator = catalogue.INDICATORS[0].key
        elif catalogue.get(indicator) is None:
            return Choice(level=level), _("Indicateur inconnu : la carte montre les collectivités adhérentes.")
        return Choice(INDICATOR, indicator, level), message
    if layer not in LAYERS:
        return Choice(level=level), _("Couche inconnue : la carte montre les collectivités adhérentes.")
    return Choice(layer, "", level), message


@dataclass(frozen=True)
class LegendClass:
    #: the CSS class of the shapes in it
    css: str
    label: str
    #: drawn as an outline over the shapes (a member grouping), not as a fill
    outline: bool = False


@dataclass
class Colouring:
    """What a layer shows: its classes and, per shape, its class (None: no data) and value as text."""

    title: str
    value_heading: str
    legend: list[LegendClass]
    #: shape code -> (index in legend, or None; the value as text)
    cells: dict[str, tuple[int | None, str]]
    #: territories drawn as outlines over the shapes: (code, index in legend, text)
    outlines: list[tuple[str, int, str]] = field(default_factory=list)
    #: for an indicator: the year(s), the sources, and whether the figures are fictitious
    note: str = ""
    demo: bool = False


def _digest(rows) -> str:
    return hashlib.sha1(repr(rows).encode(), usedforsecurity=False).hexdigest()[:16]


def probe(choice: Choice) -> tuple[str, object]:
    """The layer's data version and what `colour` needs to draw it (one query)."""
    if choice.layer == MEMBERS:
        rows = sorted(
            db.session.execute(
                sa.select(Territory.kind, Territory.code, Collectivity.demo)
                .join(Collectivity, Collectivity.territory_id == Territory.id)
                .where(Collectivity.status == CollectivityStatus.ACTIVE.value)
            ).all()
        )
        return _digest(rows), rows
    if choice.layer == PRACTICES:
        rows = sorted(
            db.session.execute(
                sa.select(Territory.code, sa.func.count(Practice.id), sa.func.max(sa.cast(Practice.demo, sa.Integer)))
                .join(Practice, Practice.territory_id == Territory.id)
                .where(Practice.status == PracticeStatus.PUBLISHED.value)
                .group_by(Territory.code)
            ).all()
        )
        return _digest(rows), rows
    # an aggregate is enough to know the figures changed: an import adds rows, or changes values or dates
    stats = db.session.execute(
        sa.select(
            sa.func.count(IndicatorValue.id),
            sa.func.sum(IndicatorValue.value),
            sa.func.max(IndicatorValue.year),
            sa.func.max(IndicatorValue.imported_at),
            sa.func.max(IndicatorValue.id),
            sa.func.sum(IndicatorValue.territory_id),
            sa.func.min(Territory.code),
            sa.func.max(Territory.code),
        )
        .join(Territory, Territory.id == IndicatorValue.territory_id)
        .where(IndicatorValue.indicator == choice.indicator, Territory.kind.in_(LEVEL_KINDS[choice.level]))
    ).one()
    return _digest(tuple(stats)), None


def quantile_classes(values: list[float], classes: int = MAX_CLASSES) -> list[tuple[float, float]]:
    """(smallest, largest) of each class: quantiles of the values, distinct classes only."""
    ordered = sorted(values)
    if not ordered:
        return []
    uppers: list[float] = []
    for i in range(1, classes + 1):
        upper = ordered[max(0, math.ceil(i * len(ordered) / classes) - 1)]
        if not uppers or upper > uppers[-1]:
            uppers.append(upper)
    bounds, start = [], 0
    for upper in uppers:
        end = start
        while end < len(ordered) and ordered[end] <= upper:
            end += 1
        bounds.append((ordered[start], ordered[end - 1]))
        start = end
    return bounds


def class_of(value: float, bounds: list[tuple[float, float]]) -> int:
    for index, (_low, high) in enumerate(bounds):
        if value <= high:
            return index
    return len(bounds) - 1


def _number(value: float) -> str:
    if not math.isfinite(value):  # never stored by the import; a hand-made row must not break the page
        return "—"
    if abs(value) >= 1e15:  # beyond what Babel's decimal context formats
        return f"{value:.3e}"
    return format_decimal(int(value)) if float(value).is_integer() else format_decimal(value, format="#,##0.#")


def _range_label(low: float, high: float, unit: str = "") -> str:
    text = _number(low) if low == high else _("%(low)s à %(high)s", low=_number(low), high=_number(high))
    return f"{text} %" if unit == "percent" else text


def colour(choice: Choice, data, geo: geometry.Geometry) -> Colouring:
    """The classes and values of the layer (runs when the map is not cached)."""
    if choice.layer == MEMBERS:
        return _members(choice, data, geo)
    if choice.layer == PRACTICES:
        return _practices(choice, data, geo)
    return _indicator(choice, geo)


def _members(choice: Choice, rows, geo: geometry.Geometry) -> Colouring:
    """Each shape's relation to the members: one itself, in a member grouping, holding members, in a member
    département or région, or none; member territories of other kinds than the level's drawn as outlines."""
    drawn = geo.levels[choice.level]
    members = {code for _kind, code, _demo in rows}
    classes = [
        LegendClass("k5", _("Collectivité adhérente")),
        LegendClass("k3", _("Dans un EPT, un EPCI ou la Métropole adhérents")),
        LegendClass("k2", _("Comprend des collectivités adhérentes")),
        LegendClass("k1", _("Dans un département ou la région adhérents")),
        LegendClass("k0", _("Non adhérente")),
        LegendClass("ko", _("EPT, EPCI, Métropole ou département adhérent (contour)"), outline=True),
    ]
    rollup = geo.rollup[choice.level]
    containing_members = {shape for code in members for shape in rollup.get(code, ()) if shape != code}
    member_groupings = {c for c in members if (s := geo.shape(c)) and s.kind in ("ept", "epci", "metropole")}
    wider = {c for c in members if (s := geo.shape(c)) and s.kind in ("departement", "region")}

    def cell(index: int) -> tuple[int, str]:
        return index, classes[index].label

    cells: dict[str, tuple[int | None, str]] = {}
    for code in drawn:
        up = set(geo.by_code[code].up)
        if code in members:
            cells[code] = cell(0)
        elif up & member_groupings:
            cells[code] = cell(1)
        elif code in containing_members:
            cells[code] = cell(2)
        elif up & wider or geo.region in members:
            cells[code] = cell(3)
        else:
            cells[code] = cell(4)
    drawn_set = set(drawn)
    outlines = [
        (code, cell(5)[0], _("adhérent (contour)"))
        for code in sorted(members)
        if code not in drawn_set and (s := geo.shape(code)) and s.kind != "region"
    ]
    # only the classes shown are listed, in their order
    shown = sorted({index for index, _text in cells.values()} | {index for _code, index, _text in outlines})
    position = {index: i for i, index in enumerate(shown)}
    cells = {code: (position[index], text) for code, (index, text) in cells.items()}
    outlines = [(code, position[index], text) for code, index, text in outlines]
    legend = [classes[index] for index in shown]
    demo = any(demo for _kind, _code, demo in rows)
    return Colouring(
        title=_("Collectivités adhérentes"),
        value_heading=_("Adhésion"),
        legend=legend,
        cells=cells,
        outlines=outlines,
        note=_("Des collectivités de démonstration (fictives) sont comprises.") if demo else "",
    )


def _practices(choice: Choice, rows, geo: geometry.Geometry) -> Colouring:
    counts: dict[str, int] = defaultdict(int)
    rollup = geo.rollup[choice.level]
    for code, count, _demo in rows:
        for shape in rollup.get(code, ()):
            counts[shape] += count
    drawn = geo.levels[choice.level]
    bounds = quantile_classes([counts[c] for c in drawn if counts.get(c)], MAX_CLASSES - 1)
    legend = [LegendClass("k0", _("Aucune"))] + [
        LegendClass(f"k{i + 1 + MAX_CLASSES - len(bounds)}", _range_label(low, high))
        for i, (low, high) in enumerate(bounds)
    ]
    cells = {}
    for code in drawn:
        count = counts.get(code, 0)
        text = ngettext("%(num)s pratique", "%(num)s pratiques", count) if count else _("aucune pratique")
        cells[code] = (class_of(count, bounds) + 1 if count else 0, text)
    demo = any(demo for _code, _count, demo in rows)
    return Colouring(
        title=_("Pratiques publiées par territoire"),
        value_heading=_("Pratiques publiées"),
        legend=legend,
        cells=cells,
        note=_("Des pratiques de démonstration (fictives) sont comprises.") if demo else "",
    )


def _indicator(choice: Choice, geo: geometry.Geometry) -> Colouring:
    indicator = catalogue.get(choice.indicator)
    drawn = set(geo.levels[choice.level])
    figures: dict[int, float] = {}
    years, sources, demo = set(), set(), False
    for kind in LEVEL_KINDS[choice.level]:
        found = map_values(indicator.key, kind)
        if found is None:
            continue
        figures.update(found.values)
        years.add(found.year)
        sources.update(found.sources)
        demo = demo or found.demo
    codes = (
        dict(db.session.execute(sa.select(Territory.id, Territory.code).where(Territory.id.in_(list(figures)))).all())
        if figures
        else {}
    )
    values = {codes[i]: v for i, v in figures.items() if codes.get(i) in drawn and math.isfinite(v)}
    bounds = quantile_classes(list(values.values()))
    offset = 1 + MAX_CLASSES - len(bounds)  # the darkest is always the largest
    legend = [LegendClass(f"k{i + offset}", _range_label(lo, hi, indicator.unit)) for i, (lo, hi) in enumerate(bounds)]
    legend.append(LegendClass("kn", _("Pas de donnée")))
    cells = {}
    for code in geo.levels[choice.level]:
        if code in values:
            text = _range_label(values[code], values[code], indicator.unit)
            cells[code] = (class_of(values[code], bounds), text)
        else:
            cells[code] = (len(legend) - 1, _("pas de donnée"))
    note = ""
    if years:
        span = str(min(years)) if len(years) == 1 else f"{min(years)}–{max(years)}"
        note = _(
            "Année %(year)s. Source : %(source)s.", year=span, source=", ".join(sorted(sources)) or _("non précisée")
        )
    if demo:
        note = f"{note} {_('Données fictives de démonstration.')}".strip()
    return Colouring(
        title=str(indicator.label),
        value_heading=str(indicator.label),
        legend=legend,
        cells=cells,
        note=note,
        demo=demo,
    )
