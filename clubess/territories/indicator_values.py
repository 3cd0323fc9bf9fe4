"""The cells of an indicators CSV read strictly: a figure (French or English decimals), a year, a territory kind.

Each reader returns the value or raises `CellError` with a French message saying what is wrong, which the import
reports against the line and column.
"""

import re

from flask_babel import gettext as _

from clubess.core.timezone import today
from clubess.members.models import TerritoryKind
from clubess.members.territories import normalize

FIRST_YEAR = 1990
#: no count of establishments or jobs comes near this (the région has about 6 million jobs)
MAX_COUNT = 1_000_000_000
#: a cell longer than this is no figure
MAX_CELL = 40

#: spaces a spreadsheet writes between thousands (space, no-break space, narrow no-break space, thin space)
_SPACES = re.compile("[ \u00a0\u202f\u2009\u2007]")
_PLAIN = re.compile(r"[0-9]+(?:[.,][0-9]+)?")
#: 1,234.5 or 1.234,5 or 1,234,567: groups of three digits, then at most one decimal part
_GROUPED = re.compile(r"[0-9]{1,3}(?:(?P<sep>[.,])[0-9]{3})+(?:(?!(?P=sep))[.,][0-9]+)?")

KIND_NAMES = {
    "region": TerritoryKind.REGION,
    "departement": TerritoryKind.DEPARTEMENT,
    "metropole": TerritoryKind.METROPOLE,
    "ept": TerritoryKind.EPT,
    "etablissement public territorial": TerritoryKind.EPT,
    "epci": TerritoryKind.EPCI,
    "commune": TerritoryKind.COMMUNE,
}


class CellError(ValueError):
    """A cell that cannot be read; its message says why, in French."""


def parse_value(text: str, unit: str) -> float:
    """A figure: `12,5`, `12.5`, `1 234`, `1 234,5`, `1,234.5`, a trailing `%` for a percent indicator.
    Refused: no number, a minus sign, NaN or infinity, digits other than ASCII, a share over 100, a huge count."""
    raw = (text or "").strip()
    if not raw:
        raise CellError(_("valeur manquante"))
    if len(raw) > MAX_CELL:
        raise CellError(_("« %(value)s » n’est pas un nombre", value=raw[:MAX_CELL] + "…"))
    cell = _SPACES.sub("", raw)
    if cell.endswith("%"):
        if unit != "percent":
            raise CellError(_("un signe « %(sign)s » pour un indicateur qui n’est pas une part", sign="%"))
        cell = cell[:-1]
    if cell.startswith("-") and _PLAIN.fullmatch(cell[1:]):
        raise CellError(_("valeur négative : « %(value)s »", value=raw))
    if _PLAIN.fullmatch(cell):
        number = float(cell.replace(",", "."))
    elif (match := _GROUPED.fullmatch(cell)) is not None:
        grouping = match.group("sep")
        number = float(cell.replace(grouping, "").replace(",", "."))
    else:
        raise CellError(_("« %(value)s » n’est pas un nombre", value=raw))
    if unit == "percent" and number > 100:
        raise CellError(_("une part ne dépasse pas 100 %% : « %(value)s »", value=raw))
    if number > MAX_COUNT:
        raise CellError(_("nombre trop grand : « %(value)s »", value=raw))
    return number


def last_year() -> int:
    return today().year + 1


def parse_year(text: str) -> int:
    """A year between 1990 and next year, written with four ASCII digits."""
    raw = (text or "").strip()
    if not re.fullmatch(r"[0-9]{4}", raw) or not FIRST_YEAR <= int(raw) <= last_year():
        raise CellError(
            _(
                "année « %(value)s » : une année entre %(first)d et %(last)d est attendue",
                value=raw[:MAX_CELL],
                first=FIRST_YEAR,
                last=last_year(),
            )
        )
    return int(raw)


def parse_kind(text: str) -> str | None:
    """The optional territory kind (`commune`, `département`, `EPT`…); None when the cell is empty."""
    raw = (text or "").strip()
    if not raw:
        return None
    kind = KIND_NAMES.get(normalize(raw))
    if kind is None:
        raise CellError(
            _(
                "type « %(value)s » inconnu (attendus : région, département, métropole, EPT, EPCI, commune)",
                value=raw[:MAX_CELL],
            )
        )
    return kind.value
