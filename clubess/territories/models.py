"""ESS indicators: one imported figure per territory, year and indicator (see catalogue.py)."""

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from clubess.core.db import Base, DemoFlag, UtcDateTime, now_utc
from clubess.members.models import Territory


class IndicatorValue(DemoFlag, Base):
    """A figure as an observatory published it (or as the demo data invents it: `demo`, shown as fictitious).
    Figures summed from the territories inside are computed when shown, never stored."""

    __tablename__ = "indicator_values"
    __table_args__ = (
        sa.UniqueConstraint("territory_id", "indicator", "year", name="uq_indicator_values_territory_indicator_year"),
        sa.Index("ix_indicator_values_indicator_year", "indicator", "year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    territory_id: Mapped[int] = mapped_column(sa.ForeignKey("territories.id", ondelete="CASCADE"), index=True)
    #: a key of catalogue.INDICATORS
    indicator: Mapped[str] = mapped_column(sa.String(60))
    year: Mapped[int]
    value: Mapped[float] = mapped_column(sa.Float)
    #: who published the figure, as the CSV gave it (e.g. "Observatoire régional de l'ESS, 2024")
    source: Mapped[str] = mapped_column(sa.String(200), default="")
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime, default=now_utc)
    #: the coordinator who imported it (in their RGPD export; SET NULL when the account is erased)
    imported_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))

    territory: Mapped[Territory] = relationship()

    def __repr__(self) -> str:
        return f"<IndicatorValue {self.indicator} {self.year} {self.value}>"
