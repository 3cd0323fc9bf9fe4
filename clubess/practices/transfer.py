"""Import and export of practices: JSON (the schema of matching-dev.json) and CSV with the same columns."""

import csv
import io
import json
from dataclasses import dataclass, field

import sqlalchemy as sa

from clubess.core import audit
from clubess.core.csvfile import safe_cell, unescape_cell
from clubess.core.db import now_utc
from clubess.core.fictitious import fictitious_label
from clubess.core.inputs import MAX_INT, clean_text, json_depth, parse_int, single_line
from clubess.core.permissions import Role, require_role
from clubess.extensions import db
from clubess.practices.models import Practice, PracticeStatus, Provenance
from clubess.practices.search.index import index_practice
from clubess.practices.services import PracticeData, _apply, validate

COLUMNS = [
    "ref",
    "title",
    "summary",
    "description",
    "territory_name",
    "territory_kind",
    "department_code",
    "lever",
    "themes",
    "year",
    "partners",
    "contact_role",
    "fictitious",
]
LIST_COLUMNS = {"themes", "partners"}
#: the columns that hold one line (the others are paragraphs: summary, description)
SINGLE_LINE = {"ref", "title", "territory_name", "territory_kind", "department_code", "lever", "contact_role"}
#: JSON files nested deeper than this are refused (Python's parser would recurse until it fails)
MAX_DEPTH = 20
#: where a CSV record keeps its line number, for the report
LINE = "__line__"


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (record, reason)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.rejected


def _decode(content: bytes, fmt: str) -> str:
    """JSON is UTF-8; a CSV saved by a French spreadsheet may be Windows-1252."""
    for encoding in ("utf-8-sig",) if fmt == "json" else ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError(
        "the file is neither UTF-8 nor Windows-1252 text" if fmt == "csv" else "the file is not UTF-8 text"
    )


def parse(content: bytes, fmt: str) -> list:
    """Records from a JSON or CSV file; ValueError with a readable reason when the file is unusable.

    A CSV line that cannot be read (a field over 128 KiB…) becomes a record holding the reason, so the
    import reports it with its line number like any other rejected line.
    """
    text = _decode(content, fmt)
    if fmt == "json":
        if text.count("[") + text.count("{") > MAX_DEPTH and json_depth(text) > MAX_DEPTH:
            raise ValueError(f"invalid JSON: nested more than {MAX_DEPTH} levels deep")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"invalid JSON: {exc.msg} (line {exc.lineno})") from None
        except (ValueError, RecursionError):
            raise ValueError("invalid JSON") from None
        records = data.get("practices") if isinstance(data, dict) else data
        if not isinstance(records, list):
            raise ValueError('expected a list of practices, or an object with a "practices" list')
        return records
    reader = csv.reader(io.StringIO(text))
    try:
        header = [clean_text(h).strip() for h in next(reader, [])]
    except csv.Error as exc:
        raise ValueError(f"unreadable CSV header: {exc}") from None
    if "ref" not in header or "title" not in header:
        raise ValueError(f"CSV header must include: {', '.join(COLUMNS)}")
    records = []
    while True:
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            records.append(Unreadable(reader.line_num, str(exc)))
            continue
        if not any(cell.strip() for cell in row):
            continue
        record = {name: unescape_cell(clean_text(value)).strip() for name, value in zip(header, row, strict=False)}
        for key in LIST_COLUMNS:
            record[key] = [x.strip() for x in record.get(key, "").split(";") if x.strip()]
        record[LINE] = reader.line_num
        records.append(record)
    return records


@dataclass
class Unreadable:
    """A CSV line the reader could not read, reported with the other rejected records."""

    line: int
    reason: str


class WrongType(ValueError):
    pass


def _text(record: dict, key: str) -> str:
    value = record.get(key)
    if value is None:
        return ""
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise WrongType(f"{key}: expected a text, got {type(value).__name__}")
    return single_line(str(value)) if key in SINGLE_LINE else clean_text(str(value))


def _texts(record: dict, key: str) -> list[str]:
    value = record.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise WrongType(f"{key}: expected a list of texts")
    return [single_line(v) for v in value]


def _year(record: dict) -> int | None:
    year = record.get("year")
    if year is None or (isinstance(year, str) and not year.strip()):
        return None
    number = parse_int(year, minimum=-MAX_INT)
    if number is None or isinstance(year, bool):
        raise WrongType("year: expected a whole number, such as 2024")
    return number


def _data(record: dict) -> PracticeData:
    kind = _text(record, "territory_kind")
    return PracticeData(
        title=_text(record, "title"),
        lever=_text(record, "lever"),
        summary=_text(record, "summary"),
        description=_text(record, "description"),
        themes=_texts(record, "themes"),
        year=_year(record),
        partners=_texts(record, "partners"),
        territory_name=_text(record, "territory_name"),
        territory_kind=kind or None,
        department_code=_text(record, "department_code") or None,
        contact_role=_text(record, "contact_role"),
        provenance=Provenance.CLUB.value,
    )


def _truthy(value) -> bool:
    if isinstance(value, str):
        return value.strip().lower() not in {"", "0", "false", "no", "non", "faux"}
    return bool(value)


def import_records(
    records: list, actor=None, skip_invalid: bool = False, status: str = PracticeStatus.PUBLISHED.value
) -> ImportReport:
    """Upsert by ref. With any invalid record nothing is written, unless `skip_invalid`."""
    report = ImportReport()
    valid: list[tuple[str, PracticeData]] = []
    fictitious: dict[str, bool] = {}
    seen: set[str] = set()
    for number, record in enumerate(records, start=1):
        label = f"#{number}"
        if isinstance(record, Unreadable):
            report.rejected.append((f"line {record.line}", record.reason))
            continue
        if not isinstance(record, dict):
            report.rejected.append((label, "not an object"))
            continue
        if LINE in record:
            label = f"line {record[LINE]}"
        ref = record.get("ref")
        ref = single_line(str(ref)).strip() if isinstance(ref, str | int) and not isinstance(ref, bool) else ""
        label = f"{label} ({ref[:40] or 'no ref'})"
        if not ref or len(ref) > 40:
            report.rejected.append((label, "missing or too long ref"))
            continue
        if ref in seen:
            report.rejected.append((label, f"duplicate ref {ref} in the file"))
            continue
        seen.add(ref)
        try:
            data = _data(record)
        except WrongType as exc:
            report.rejected.append((label, str(exc)))
            continue
        errors = validate(data)
        if errors:
            report.rejected.append((label, "; ".join(f"{k}: {v}" for k, v in errors.items())))
            continue
        valid.append((ref, data))
        if "fictitious" in record:  # an export of demo data stays marked when it is imported again
            fictitious[ref] = _truthy(record["fictitious"])
    if report.rejected and not skip_invalid:
        return report
    existing = {
        p.ref: p for p in db.session.scalars(sa.select(Practice).where(Practice.ref.in_([r for r, _ in valid])))
    }
    for ref, data in valid:
        practice = existing.get(ref)
        if practice is None:
            practice = Practice(ref=ref, status=status, author_id=getattr(actor, "id", None))
            db.session.add(practice)
            report.created += 1
        else:
            report.updated += 1
        _apply(practice, data)
        practice.provenance = Provenance.CLUB.value
        if ref in fictitious:
            practice.demo = fictitious[ref]
        if status == PracticeStatus.PUBLISHED and practice.published_at is None:
            practice.published_at = now_utc()
        practice.status = status if practice.status != PracticeStatus.ARCHIVED else practice.status
        db.session.flush()
        index_practice(practice)
    report.applied = True
    return report


def export_records(practices: list[Practice]) -> list[dict]:
    return [
        {
            "ref": p.ref,
            "title": p.title,
            "summary": p.summary,
            "description": p.description,
            "territory_name": p.territory_name,
            "territory_kind": p.territory_kind,
            "department_code": p.department_code,
            "lever": p.lever,
            "themes": p.themes or [],
            "year": p.year,
            "partners": p.partners or [],
            "contact_role": p.contact_role,
            # a demo practice says so in every export, so a copy never passes invented figures off as real
            "fictitious": fictitious_label(p),
        }
        for p in practices
    ]


def to_json(practices: list[Practice]) -> str:
    return json.dumps({"practices": export_records(practices)}, ensure_ascii=False, indent=2)


def record_export(actor, fmt: str, count: int) -> None:
    """Coordinators only; the download goes to the audit log like every export of the back office."""
    require_role(actor, Role.COORDINATOR)
    audit.record(actor, "export.practices", None, filename=f"bonnes-pratiques.{fmt}", count=count)


def to_csv(practices: list[Practice]) -> str:
    """The import's own format; a cell a spreadsheet would run as a formula gets a leading apostrophe,
    which the import takes off again (core/csvfile.py)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for record in export_records(practices):
        writer.writerow(
            {k: safe_cell(";".join(v) if k in LIST_COLUMNS else ("" if v is None else v)) for k, v in record.items()}
        )
    return out.getvalue()
