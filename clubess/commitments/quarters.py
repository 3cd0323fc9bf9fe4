"""Quarters ("T2 2027"): a commitment's target, stored as a year and a quarter, compared as one index."""

from datetime import date, datetime, timedelta

from flask_babel import gettext as _

from clubess.core.timezone import tz

#: the years a target quarter may take (a form or a URL giving more is refused, not stored)
MIN_YEAR, MAX_YEAR = 2000, 2199


def index(year: int, quarter: int) -> int:
    """One number per quarter, in order: T4 2026 < T1 2027 (what SQL compares too)."""
    return year * 4 + quarter - 1


def of_day(day: date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def of_index(number: int) -> tuple[int, int]:
    return number // 4, number % 4 + 1


def first_day(year: int, quarter: int) -> date:
    return date(year, 3 * (quarter - 1) + 1, 1)


def last_day(year: int, quarter: int) -> date:
    following = of_index(index(year, quarter) + 1)
    return first_day(*following) - timedelta(days=1)


def local_day(moment: datetime) -> date:
    """The club's calendar day of an instant (a meeting at 00:30 in Paris on 1 April is in T2)."""
    return moment.astimezone(tz()).date()


def today() -> date:
    return datetime.now(tz()).date()


def label(year: int, quarter: int) -> str:
    """« T2 2027 » (« Q2 2027 » in English)."""
    return _("T%(quarter)d %(year)d", quarter=quarter, year=year)


def code(year: int, quarter: int) -> str:
    """The value of a form or a filter: « 2027-2 »."""
    return f"{year}-{quarter}"


def parse(value) -> tuple[int, int] | None:
    """« 2027-2 » → (2027, 2); anything else (other shapes, years out of range, quarter 5) → None."""
    if not isinstance(value, str):
        return None
    year, sep, quarter = value.strip().partition("-")
    if not sep or not (len(year) == 4 and year.isascii() and year.isdigit()):
        return None
    if quarter not in ("1", "2", "3", "4"):
        return None
    if not MIN_YEAR <= int(year) <= MAX_YEAR:
        return None
    return int(year), int(quarter)


def upcoming(count: int = 12, start: date | None = None) -> list[tuple[int, int]]:
    """The current quarter and the next ones: what a new commitment may aim at."""
    first = index(*of_day(start or today()))
    return [of_index(n) for n in range(first, first + count)]
