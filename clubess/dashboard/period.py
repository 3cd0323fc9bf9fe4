"""The period the dashboard shows: a year, or one quarter of it, in the club's timezone."""

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from clubess.core.db import now_utc
from clubess.core.timezone import tz

#: the years the selector accepts (anything else falls back to this year: no 500 on ?annee=99999999)
FIRST_YEAR, LAST_YEAR = 2000, 2100


@dataclass(frozen=True)
class Period:
    year: int
    #: 1 to 4, or None for the whole year
    quarter: int | None = None

    @property
    def start(self) -> datetime:
        return quarter_start(self.year, self.quarter or 1)

    @property
    def end(self) -> datetime:
        if self.quarter in (None, 4):
            return quarter_start(self.year + 1, 1)
        return quarter_start(self.year, self.quarter + 1)

    @property
    def window(self) -> tuple[datetime, datetime]:
        return self.start, self.end

    @property
    def quarter_starts(self) -> list[datetime]:
        """The starts of the year's four quarters and of the next year (five bounds)."""
        return [quarter_start(self.year, q) for q in (1, 2, 3, 4)] + [quarter_start(self.year + 1, 1)]


def quarter_start(year: int, quarter: int) -> datetime:
    return datetime(year, 3 * (quarter - 1) + 1, 1, tzinfo=tz())


def current_period() -> Period:
    return Period(now_utc().astimezone(tz()).year)


def parse_period(year: str | None, quarter: str | None) -> Period:
    """The period of the selector's GET parameters; anything malformed or out of range falls back."""
    default = current_period()
    year_text, quarter_text = (year or "").strip()[:6], (quarter or "").strip()[:2]
    # str.isdigit() is true of "²", which int() refuses: only ASCII digits
    year_ok = year_text.isascii() and year_text.isdigit() and FIRST_YEAR <= int(year_text) <= LAST_YEAR
    chosen = int(year_text) if year_ok else default.year
    q = int(quarter_text) if quarter_text in ("1", "2", "3", "4") else None
    return Period(chosen, q)


def quarter_of(column, bounds: list[datetime] | list[date]) -> sa.Case:
    """SQL: 1 to 4, the quarter of `column` among the five `bounds` (NULL outside): portable, no date function,
    so SQLite and PostgreSQL agree and the Paris timezone is applied in Python."""
    return sa.case(*((column < bounds[q], q) for q in (1, 2, 3, 4)), else_=None)


def in_window(column, start, end) -> sa.ColumnElement:
    return sa.and_(column >= start, column < end)
