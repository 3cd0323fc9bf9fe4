"""Import and export of practices: JSON (the schema of matching-dev.json) and CSV with the same columns."""

import csv
import io
import json
from dataclasses import dataclass, field

import sqlalchemy as sa

from clubess.core.db import now_utc
from clubess.core.fictitious import fictitious_label
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


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)  # (record, reason)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.rejected


def parse(content: bytes, fmt: str) -> list[dict]:
    """Records from a JSON or CSV file; raises ValueError with a readable reason when the file is unusable."""
    text = content.decode("utf-8-sig")
    if fmt == "json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"invalid JSON: {exc.msg} (line {exc.lineno})") from None
        records = data.get("practices") if isinstance(data, dict) else data
        if not isinstance(records, list):
            raise ValueError('expected a list of practices, or an object with a "practices" list')
        return records
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "ref" not in reader.fieldnames or "title" not in reader.fieldnames:
        raise ValueError(f"CSV header must include: {', '.join(COLUMNS)}")
    records = []
    for row in reader:
        record = {k: (v or "").strip() for k, v in row.items() if k}
        for key in LIST_COLUMNS:
            record[key] = [x.strip() for x in record.get(key, "").split(";") if x.strip()]
        records.append(record)
    return records


def _data(record: dict) -> PracticeData:
    year = record.get("year")
    if isinstance(year, str):
        year = int(year) if year.strip().isdigit() else (None if not year.strip() else -1)
    return PracticeData(
        title=str(record.get("title") or ""),
        lever=str(record.get("lever") or ""),
        summary=str(record.get("summary") or ""),
        description=str(record.get("description") or ""),
        themes=list(record.get("themes") or []),
        year=year,
        partners=list(record.get("partners") or []),
        territory_name=str(record.get("territory_name") or ""),
        territory_kind=record.get("territory_kind") or None,
        department_code=str(record.get("department_code") or "") or None,
        contact_role=str(record.get("contact_role") or ""),
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
        if not isinstance(record, dict):
            report.rejected.append((label, "not an object"))
            continue
        ref = str(record.get("ref") or "").strip()
        label = f"#{number} ({ref or 'no ref'})"
        if not ref or len(ref) > 40:
            report.rejected.append((label, "missing or too long ref"))
            continue
        if ref in seen:
            report.rejected.append((label, f"duplicate ref {ref} in the file"))
            continue
        seen.add(ref)
        data = _data(record)
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


def to_csv(practices: list[Practice]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for record in export_records(practices):
        writer.writerow({k: ";".join(v) if k in LIST_COLUMNS else ("" if v is None else v) for k, v in record.items()})
    return out.getvalue()
