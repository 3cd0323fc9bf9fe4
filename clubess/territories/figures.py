"""Reading the ESS indicators: the figures a map colours territories by, and a territory's figures for its page.

`map_values` reads imported figures only: a territory's own, never summed. `territory_figures` adds, for a
territory without its own figure of a count, the sum of the figures of the communes it covers, for the latest
year where every one of them has one (else it says how many have one, and shows no misleading total); a share is
never summed, but recomputed from its two counts (`ratio_of`) when both exist for the same year.
"""

from dataclasses import dataclass, field

import sqlalchemy as sa

from clubess.core.db import alias
from clubess.extensions import db
from clubess.members.models import Territory, TerritoryKind, TerritoryLink
from clubess.territories import catalogue
from clubess.territories.models import IndicatorValue


@dataclass
class MapValues:
    """One indicator's figures for every territory of one kind that has one, in the latest year any has."""

    indicator: catalogue.Indicator
    year: int
    #: territory id -> value
    values: dict[int, float]
    #: the sources of these figures, as imported, sorted
    sources: list[str] = field(default_factory=list)
    #: any of them is demo data (shown as fictitious)
    demo: bool = False


def map_values(indicator_key: str, kind: str = "commune") -> MapValues | None:
    """The latest figures of `indicator_key` for the territories of `kind`; None for an unknown indicator or no
    figure (2 queries)."""
    indicator = catalogue.get(indicator_key)
    if indicator is None:
        return None
    of_kind = sa.and_(
        IndicatorValue.indicator == indicator.key,
        IndicatorValue.territory_id == Territory.id,
        Territory.kind == kind,
    )
    year = db.session.scalar(sa.select(sa.func.max(IndicatorValue.year)).where(of_kind))
    if year is None:
        return None
    rows = db.session.execute(
        sa.select(IndicatorValue.territory_id, IndicatorValue.value, IndicatorValue.source, IndicatorValue.demo).where(
            of_kind, IndicatorValue.year == year
        )
    ).all()
    return MapValues(
        indicator=indicator,
        year=year,
        values={row.territory_id: row.value for row in rows},
        sources=sorted({row.source for row in rows if row.source}),
        demo=any(row.demo for row in rows),
    )


# --- a territory's figures: its own, summed from its communes, compared with its département(s) and the région ---

#: how a figure came to be: as imported, summed from the communes covered, or a share recomputed from two counts
IMPORTED, SUMMED, COMPUTED = "imported", "summed", "computed"


@dataclass(frozen=True)
class Figure:
    year: int
    value: float
    origin: str = IMPORTED
    #: the sources, as imported (for a sum, every source of the communes' figures)
    sources: tuple[str, ...] = ()
    demo: bool = False


@dataclass(frozen=True)
class Partial:
    """Figures for some of the communes covered only: no total is shown."""

    year: int
    have: int
    of: int


@dataclass
class Line:
    """One indicator on a territory's page."""

    indicator: catalogue.Indicator
    latest: Figure | None = None
    #: the latest figure of an earlier year, for the trend
    previous: Figure | None = None
    #: commune figures too few for a total (only when there is no figure)
    partial: Partial | None = None
    #: (territory, its figure for the same year where it has one, else its latest), per compared territory
    comparisons: list[tuple[Territory, Figure | None]] = field(default_factory=list)

    @property
    def change(self) -> float | None:
        """The change since the previous figure: a percentage for a count, points for a share."""
        if self.latest is None or self.previous is None:
            return None
        if self.indicator.unit == "percent":
            return self.latest.value - self.previous.value
        if not self.previous.value:
            return None
        return (self.latest.value - self.previous.value) / self.previous.value * 100


@dataclass
class TerritoryFigures:
    territory: Territory
    #: group ("" headline, "famille", "secteur") -> its lines with a figure or a partial, catalogue order
    groups: dict[str, list[Line]]
    #: the départements and the région it is compared with
    compared: list[Territory]
    #: how many communes it covers (0 for a commune: it is summed from nothing)
    communes: int = 0

    @property
    def lines(self) -> list[Line]:
        return [line for lines in self.groups.values() for line in lines]

    @property
    def demo(self) -> bool:
        figures = [line.latest for line in self.lines] + [f for line in self.lines for _, f in line.comparisons]
        return any(f is not None and f.demo for f in figures)

    @property
    def sources(self) -> list[str]:
        return sorted({s for line in self.lines if line.latest for s in line.latest.sources})

    def __bool__(self) -> bool:
        return bool(self.lines)


def _compared(territory: Territory) -> list[Territory]:
    """The départements it lies in and the région (not itself; a département: the région only)."""
    if territory.kind == TerritoryKind.REGION:
        return []
    order = sa.case({TerritoryKind.REGION.value: 1}, value=Territory.kind, else_=0)
    stmt = (
        sa.select(Territory)
        .join(TerritoryLink, TerritoryLink.ancestor_id == Territory.id)
        .where(
            TerritoryLink.descendant_id == territory.id,
            Territory.id != territory.id,
            Territory.kind.in_([TerritoryKind.DEPARTEMENT, TerritoryKind.REGION]),
        )
        .order_by(order, Territory.code)
    )
    compared = list(db.session.scalars(stmt))
    if territory.kind == TerritoryKind.DEPARTEMENT:  # Paris the département lies in Paris the commune's links
        compared = [t for t in compared if t.kind == TerritoryKind.REGION]
    return compared


def _series(ids: list[int]):
    """For each territory: indicator -> year -> figure, its own or else summed from its communes; how many
    communes each covers; the indicators summed from too few communes (3 queries)."""
    series: dict[int, dict[str, dict[int, Figure]]] = {id_: {} for id_ in ids}
    own = db.session.execute(
        sa.select(
            IndicatorValue.territory_id,
            IndicatorValue.indicator,
            IndicatorValue.year,
            IndicatorValue.value,
            IndicatorValue.source,
            IndicatorValue.demo,
        ).where(IndicatorValue.territory_id.in_(ids))
    )
    for territory_id, key, year, value, source, demo in own:
        if key in catalogue.BY_KEY:
            series[territory_id].setdefault(key, {})[year] = Figure(year, value, IMPORTED, (source,), bool(demo))
    commune = alias(Territory, "commune")
    communes = dict(
        db.session.execute(
            sa.select(TerritoryLink.ancestor_id, sa.func.count())
            .join(commune, commune.id == TerritoryLink.descendant_id)
            .where(TerritoryLink.ancestor_id.in_(ids), commune.kind == TerritoryKind.COMMUNE)
            .group_by(TerritoryLink.ancestor_id)
        ).all()
    )
    additive = [i.key for i in catalogue.INDICATORS if i.additive]
    # sums only where they can show: an indicator the territory has no figure of its own for (its own win)
    missing = {tid: [key for key in additive if key not in series[tid]] for tid in ids}
    wanted = [
        sa.and_(TerritoryLink.ancestor_id == tid, IndicatorValue.indicator.in_(keys))
        for tid, keys in missing.items()
        if keys
    ]
    sums = db.session.execute(
        sa.select(
            TerritoryLink.ancestor_id,
            IndicatorValue.indicator,
            IndicatorValue.year,
            IndicatorValue.source,
            sa.func.sum(IndicatorValue.value),
            sa.func.count(),
            sa.func.max(sa.case((IndicatorValue.demo, 1), else_=0)),
        )
        .join(IndicatorValue, IndicatorValue.territory_id == TerritoryLink.descendant_id)
        .join(commune, commune.id == TerritoryLink.descendant_id)
        .where(
            TerritoryLink.ancestor_id.in_(ids),
            TerritoryLink.descendant_id != TerritoryLink.ancestor_id,
            commune.kind == TerritoryKind.COMMUNE,
            sa.or_(*wanted) if wanted else sa.false(),
        )
        .group_by(TerritoryLink.ancestor_id, IndicatorValue.indicator, IndicatorValue.year, IndicatorValue.source)
    )
    totals: dict[tuple[int, str, int], list] = {}
    for territory_id, key, year, source, total, count, demo in sums:
        entry = totals.setdefault((territory_id, key, year), [0.0, 0, set(), False])
        entry[0] += total
        entry[1] += count
        entry[2].add(source)
        entry[3] = entry[3] or bool(demo)
    partial: dict[int, dict[str, Partial]] = {}
    for (territory_id, key, year), (total, count, sources, demo) in sorted(totals.items()):
        if key in series[territory_id] and any(f.origin == IMPORTED for f in series[territory_id][key].values()):
            continue  # its own figures win
        if count == communes.get(territory_id):
            series[territory_id].setdefault(key, {})[year] = Figure(year, total, SUMMED, tuple(sorted(sources)), demo)
        else:
            partial.setdefault(territory_id, {})[key] = Partial(year, count, communes.get(territory_id, 0))
    for figures in series.values():
        _recompute_shares(figures)
    return series, communes, partial


def _recompute_shares(figures: dict[str, dict[int, Figure]]) -> None:
    """A share with no imported figure, from its two counts when both exist for the same year."""
    for indicator in catalogue.INDICATORS:
        if indicator.ratio_of is None or figures.get(indicator.key):
            continue
        numerators, denominators = (figures.get(key, {}) for key in indicator.ratio_of)
        for year in set(numerators) & set(denominators):
            numerator, denominator = numerators[year], denominators[year]
            if denominator.value > 0:
                figures.setdefault(indicator.key, {})[year] = Figure(
                    year,
                    min(100.0, numerator.value / denominator.value * 100),
                    COMPUTED,
                    tuple(sorted(set(numerator.sources) | set(denominator.sources))),
                    numerator.demo or denominator.demo,
                )


def territory_figures(territory: Territory) -> TerritoryFigures:
    """Each indicator's latest figure for `territory` (its own, or summed from its communes where the catalogue
    allows), the previous one, and the same indicator for its département(s) and the région (4 queries)."""
    compared = _compared(territory)
    ids = [territory.id] + [t.id for t in compared]
    series, communes, partial = _series(ids)
    groups: dict[str, list[Line]] = {}
    for indicator in catalogue.INDICATORS:
        years = series[territory.id].get(indicator.key, {})
        line = Line(indicator)
        if years:
            ordered = sorted(years)
            line.latest = years[ordered[-1]]
            line.previous = years[ordered[-2]] if len(ordered) > 1 else None
        else:
            line.partial = partial.get(territory.id, {}).get(indicator.key)
            if line.partial is None:
                continue
        year = line.latest.year if line.latest else line.partial.year
        for other in compared:
            theirs = series[other.id].get(indicator.key, {})
            line.comparisons.append((other, theirs.get(year) or (theirs[max(theirs)] if theirs else None)))
        groups.setdefault(indicator.group, []).append(line)
    covered = 0 if territory.kind == TerritoryKind.COMMUNE else communes.get(territory.id, 0)
    return TerritoryFigures(territory, groups, compared, covered)


def latest_figures(territory: Territory) -> list[dict]:
    """The territory's latest figures as plain data (for the API and the diagnostic sheet): every indicator with
    a figure, its year, value, how it came to be (imported, summed, computed), sources and demo flag (4 queries)."""
    return [
        {
            "indicator": line.indicator.key,
            "label": str(line.indicator.label),
            "unit": line.indicator.unit,
            "year": line.latest.year,
            "value": line.latest.value,
            "origin": line.latest.origin,
            "sources": list(line.latest.sources),
            "demo": line.latest.demo,
            "previous": {"year": line.previous.year, "value": line.previous.value} if line.previous else None,
        }
        for line in territory_figures(territory).lines
        if line.latest is not None
    ]
