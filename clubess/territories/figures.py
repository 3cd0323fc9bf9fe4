"""Reading the ESS indicators: the figures a map colours territories by (more readers join this module).

Only imported figures are read here; a territory's figure is its own, never summed from the territories inside
it (the territory pages add the sums where the catalogue allows them).
"""

from dataclasses import dataclass, field

import sqlalchemy as sa

from clubess.extensions import db
from clubess.members.models import Territory
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
