"""The import of ESS indicators from an observatory's CSV: one figure per line, every error reported with its line
and column, nothing written unless the whole file is right.

The file: UTF-8 (with or without a BOM), `;` or `,` separated, a header naming the columns `territoire`, `annee`,
`indicateur`, `valeur`, `source` (or `territory_code`, `year`, `indicator`, `value`, `source`), and `type` when a
code could name two territories. A figure already loaded for the same territory, indicator and year is replaced.
"""

import csv
import io
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

from clubess.core.audit import record
from clubess.core.db import now_utc
from clubess.core.inputs import single_line
from clubess.core.permissions import Role, require_role
from clubess.extensions import db
from clubess.members.models import Territory
from clubess.members.territories import normalize
from clubess.territories import catalogue
from clubess.territories.indicator_values import CellError, parse_kind, parse_value, parse_year
from clubess.territories.models import IndicatorValue

#: what a header may say for each column (compared without accents, case or punctuation)
COLUMNS = {
    "territory": {"territoire", "territory code", "territory", "code territoire", "code", "code insee", "siren"},
    "year": {"annee", "year"},
    "indicator": {"indicateur", "indicator"},
    "value": {"valeur", "value"},
    "source": {"source"},
    "kind": {"type", "kind", "type de territoire"},
}
REQUIRED = ("territory", "year", "indicator", "value", "source")
#: the French column names, as the report and the page name them
COLUMN_LABELS = {
    "territory": "territoire",
    "year": "annee",
    "indicator": "indicateur",
    "value": "valeur",
    "source": "source",
    "kind": "type",
}
#: the source of the demo figures, never a real observatory
DEMO_SOURCE = "Données fictives de démonstration (clubess)"
MAX_ROWS = 100_000
MAX_SOURCE = 200
#: the replacements the check page lists (old → new)
EXAMPLES = 5


@dataclass(frozen=True)
class Problem:
    #: the line in the file (1: the header)
    line: int
    #: the column's name as in COLUMN_LABELS, "" for the whole line
    column: str
    message: str

    def __str__(self) -> str:
        where = _("ligne %(line)d", line=self.line)
        if self.column:
            where = _("ligne %(line)d, colonne « %(column)s »", line=self.line, column=self.column)
        return f"{where} : {self.message}"


@dataclass(frozen=True)
class Figure:
    line: int
    territory_id: int
    territory_name: str
    indicator: str
    year: int
    value: float
    source: str


@dataclass(frozen=True)
class Replacement:
    territory_name: str
    indicator_label: str
    year: int
    old: float
    new: float


@dataclass
class ImportReport:
    #: the figures read, in the file's order
    figures: list[Figure] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    created: int = 0
    #: figures already loaded whose value or source changes
    replaced: int = 0
    #: figures already loaded with the same value and source
    unchanged: int = 0
    #: a few of the replaced figures, old → new
    examples: list[Replacement] = field(default_factory=list)
    #: the lines of the demo file whose territory another region's reference holds (demo only)
    skipped: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def counts(self) -> dict:
        return {"created": self.created, "replaced": self.replaced, "unchanged": self.unchanged}


def _key(text: str) -> str:
    return normalize(text)


def _decode(content: bytes) -> str:
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CellError(_("le fichier n’est pas en UTF-8 : enregistrez-le en « CSV UTF-8 »")) from None


def read_rows(content: bytes) -> tuple[dict[str, int], list[tuple[int, list[str]]], list[Problem]]:
    """The header's columns (our name → index) and the non-empty lines with their line number; problems when the
    file is unusable (not UTF-8, empty, a column missing)."""
    try:
        text = _decode(content)
    except CellError as exc:
        return {}, [], [Problem(1, "", str(exc))]
    if not text.strip():
        return {}, [], [Problem(1, "", _("le fichier est vide"))]
    first = text.lstrip("\r\n").splitlines()[0]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header: list[str] = []
    header_line = 0
    rows: list[tuple[int, list[str]]] = []
    problems: list[Problem] = []
    start = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error:
            problems.append(Problem(start, "", _("ligne illisible (guillemet non fermé ?)")))
            start = reader.line_num + 1
            continue
        line, start = start, reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue
        if not header:
            header, header_line = [_key(single_line(cell)) for cell in cells], line
            continue
        rows.append((line, cells))
        if len(rows) > MAX_ROWS:
            return {}, [], [Problem(line, "", _("le fichier dépasse %(n)d lignes : découpez-le", n=MAX_ROWS))]
    columns: dict[str, int] = {}
    for index, title in enumerate(header):
        for name, names in COLUMNS.items():
            if title in names and name not in columns:
                columns[name] = index
    missing = [COLUMN_LABELS[name] for name in REQUIRED if name not in columns]
    if missing:
        message = _(
            "colonnes manquantes : %(missing)s (la première ligne doit nommer %(expected)s)",
            missing=", ".join(missing),
            expected="territoire;annee;indicateur;valeur;source",
        )
        return columns, [], [Problem(header_line or 1, "", message)]
    if not rows and not problems:
        problems.append(
            Problem(header_line + 1, "", _("le fichier ne contient aucun chiffre après la ligne d’en-tête"))
        )
    return columns, rows, problems


class _Territories:
    """Every territory of the reference by code, read once (1 query)."""

    def __init__(self):
        self.by_code: dict[str, list[tuple[int, str, str]]] = {}
        for id_, code, kind, name in db.session.execute(
            sa.select(Territory.id, Territory.code, Territory.kind, Territory.name)
        ):
            self.by_code.setdefault(code, []).append((id_, kind, name))

    def find(self, code: str, kind: str | None) -> tuple[int, str]:
        found = self.by_code.get(code, [])
        if kind is not None:
            found = [t for t in found if t[1] == kind]
        if not found:
            raise CellError(_("territoire « %(code)s » inconnu", code=code[:40]))
        if len(found) > 1:
            raise CellError(
                _("le code « %(code)s » désigne plusieurs territoires : précisez la colonne type", code=code)
            )
        return found[0][0], found[0][2]


def parse(content: bytes, skip_unknown: bool = False) -> ImportReport:
    """Read the file into figures, each problem reported with its line and column (nothing is written)."""
    report = ImportReport()
    columns, rows, report.problems = read_rows(content)
    if not rows:
        return report
    territories = _Territories()
    seen: dict[tuple[int, str, int], int] = {}

    def cell(cells: list[str], name: str) -> str:
        index = columns.get(name)
        return single_line(cells[index]).strip() if index is not None and index < len(cells) else ""

    for line, cells in rows:
        problems: list[Problem] = []

        def check(name, read, *args, line=line, problems=problems):
            try:
                return read(*args)
            except CellError as exc:
                problems.append(Problem(line, COLUMN_LABELS[name], str(exc)))
                return None

        code = cell(cells, "territory")
        kind = check("kind", parse_kind, cell(cells, "kind"))
        territory = None
        if not code:
            problems.append(Problem(line, COLUMN_LABELS["territory"], _("code du territoire manquant")))
        elif not problems:
            territory = check("territory", territories.find, code, kind)
            if territory is None and skip_unknown:
                report.skipped += 1
                continue
        key = cell(cells, "indicator")
        indicator = catalogue.get(key.lower()) if key else None
        if indicator is None:
            message = _("indicateur « %(key)s » inconnu", key=key[:60]) if key else _("indicateur manquant")
            problems.append(Problem(line, COLUMN_LABELS["indicator"], message))
        year = check("year", parse_year, cell(cells, "year"))
        value = check("value", parse_value, cell(cells, "value"), indicator.unit) if indicator else None
        source = cell(cells, "source")
        if not source:
            problems.append(Problem(line, COLUMN_LABELS["source"], _("source manquante")))
        elif len(source) > MAX_SOURCE:
            problems.append(
                Problem(line, COLUMN_LABELS["source"], _("source trop longue (%(n)d caractères au plus)", n=MAX_SOURCE))
            )
        if problems:
            report.problems.extend(problems)
            continue
        identity = (territory[0], indicator.key, year)
        if identity in seen:
            report.problems.append(
                Problem(
                    line,
                    "",
                    _(
                        "doublon : le même territoire, indicateur et année qu’à la ligne %(first)d",
                        first=seen[identity],
                    ),
                )
            )
            continue
        seen[identity] = line
        report.figures.append(Figure(line, territory[0], territory[1], indicator.key, year, value, source))
    return report


def import_figures(
    actor, content: bytes, filename: str = "", *, demo: bool = False, skip_unknown: bool = False
) -> ImportReport:
    """Import the file's figures (replacing those already loaded for the same territory, indicator and year); any
    problem and nothing is written. `actor` None: the command line or the demo data. Flushes, never commits."""
    if actor is not None:
        require_role(actor, Role.COORDINATOR)
    report = parse(content, skip_unknown=skip_unknown)
    if not report.ok or not report.figures:
        return report
    indicators = {f.indicator for f in report.figures}
    years = {f.year for f in report.figures}
    existing = {
        (row.territory_id, row.indicator, row.year): row
        for row in db.session.execute(
            sa.select(
                IndicatorValue.id,
                IndicatorValue.territory_id,
                IndicatorValue.indicator,
                IndicatorValue.year,
                IndicatorValue.value,
                IndicatorValue.source,
                IndicatorValue.demo,
            ).where(IndicatorValue.indicator.in_(indicators), IndicatorValue.year.in_(years))
        )
    }
    now, by = now_utc(), getattr(actor, "id", None)
    inserts, updates = [], []
    for figure in report.figures:
        values = {
            "value": figure.value,
            "source": figure.source,
            "demo": demo,
            "imported_at": now,
            "imported_by_id": by,
        }
        old = existing.get((figure.territory_id, figure.indicator, figure.year))
        if old is None:
            report.created += 1
            inserts.append(
                {"territory_id": figure.territory_id, "indicator": figure.indicator, "year": figure.year, **values}
            )
        elif (old.value, old.source, old.demo) == (figure.value, figure.source, demo):
            report.unchanged += 1
        else:
            report.replaced += 1
            updates.append({"id": old.id, **values})
            if len(report.examples) < EXAMPLES:
                label = catalogue.BY_KEY[figure.indicator].label
                report.examples.append(
                    Replacement(figure.territory_name, str(label), figure.year, old.value, figure.value)
                )
    if inserts:
        db.session.execute(sa.insert(IndicatorValue), inserts)
    if updates:
        db.session.execute(sa.update(IndicatorValue), updates)
    db.session.flush()
    record(
        actor,
        "indicators.imported",
        None,
        filename=filename[:100] or None,
        figures_new=report.created,
        figures_replaced=report.replaced,
        figures_unchanged=report.unchanged,
        demo=demo or None,
    )
    return report


# --- what is loaded, and deleting a year of one source ----------------------------------------------------------


@dataclass(frozen=True)
class Loaded:
    indicator: catalogue.Indicator
    year: int
    source: str
    demo: bool
    #: how many territories have this figure
    territories: int


def list_loaded() -> list[Loaded]:
    """Per indicator, year and source: how many territories have a figure (1 query), by catalogue order."""
    demo = sa.func.max(sa.case((IndicatorValue.demo, 1), else_=0))
    rows = db.session.execute(
        sa.select(IndicatorValue.indicator, IndicatorValue.year, IndicatorValue.source, demo, sa.func.count())
        .group_by(IndicatorValue.indicator, IndicatorValue.year, IndicatorValue.source)
        .order_by(IndicatorValue.year.desc(), IndicatorValue.source)
    ).all()
    order = {key: index for index, key in enumerate(catalogue.BY_KEY)}
    loaded = [
        Loaded(catalogue.BY_KEY[key], year, source, bool(is_demo), count)
        for key, year, source, is_demo, count in rows
        if key in catalogue.BY_KEY
    ]
    return sorted(loaded, key=lambda row: (order[row.indicator.key], -row.year, row.source))


def count_batch(year: int, source: str) -> int:
    """How many figures a year of one source holds."""
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(IndicatorValue)
        .where(IndicatorValue.year == year, IndicatorValue.source == source)
    )


def delete_batch(actor, year: int, source: str) -> int:
    """Delete the figures of `year` from `source` (every indicator, every territory); how many went. Audited."""
    require_role(actor, Role.COORDINATOR)
    deleted = count_batch(year, source)
    db.session.execute(sa.delete(IndicatorValue).where(IndicatorValue.year == year, IndicatorValue.source == source))
    db.session.flush()
    record(actor, "indicators.deleted", None, year=year, figures_source=source, figures_deleted=deleted)
    return deleted
