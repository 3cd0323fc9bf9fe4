"""A person's part in the ESS indicators, for the RGPD export: the figures they imported (by year and source).

The figures themselves are an observatory's, not the person's: erasure keeps them; the account they point to
is erased like every other.
"""

import sqlalchemy as sa

from clubess.extensions import db
from clubess.territories.models import IndicatorValue


def export(user_id: int) -> dict:
    """How many figures the person imported, per year and source, and when last (1 query)."""
    rows = db.session.execute(
        sa.select(IndicatorValue.year, IndicatorValue.source, sa.func.count(), sa.func.max(IndicatorValue.imported_at))
        .where(IndicatorValue.imported_by_id == user_id)
        .group_by(IndicatorValue.year, IndicatorValue.source)
        .order_by(IndicatorValue.year, IndicatorValue.source)
    ).all()
    return {
        "indicator_imports": [
            {"year": year, "source": source, "figures": count, "last_imported_at": last.isoformat() if last else None}
            for year, source, count, last in rows
        ]
    }
