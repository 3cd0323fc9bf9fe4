"""Import and export of ESS actors: organisations and their solutions in one file, the practices' conventions
(JSON, or CSV with the same columns; lists separated by « ; »; a leading apostrophe guards formulas), with a
`kind` column saying what each record is: `organisation` or `solution`.

Organisations are matched by name (case, accents and punctuation ignored), solutions by `ref`; a solution
names its organisation in `organisation`, which the file or the directory must hold.
"""

import csv
import io
import json

import sqlalchemy as sa

from clubess.actors.models import Organisation, OrganisationStatus, Solution
from clubess.actors.services import OrganisationData, clean
from clubess.actors.services import _apply as apply_organisation
from clubess.actors.solutions import SolutionData, _apply, index_solution, validate_solution
from clubess.core import audit
from clubess.core.csvfile import safe_cell, unescape_cell
from clubess.core.db import now_utc
from clubess.core.duplicates import normalise
from clubess.core.errors import DomainError
from clubess.core.fictitious import fictitious_label
from clubess.core.inputs import clean_text, json_depth, single_line
from clubess.core.permissions import Role, require_role
from clubess.extensions import db
from clubess.members.models import Territory
from clubess.practices.models import PracticeStatus
from clubess.practices.transfer import LINE, ImportReport, Unreadable, WrongType
from clubess.practices.transfer import _decode as decode
from clubess.practices.transfer import _truthy as truthy

COLUMNS = [
    "kind",
    "ref",
    "name",
    "organisation_kind",
    "siret",
    "website",
    "contact_name",
    "contact_email",
    "contact_phone",
    "organisation",
    "title",
    "summary",
    "description",
    "lever",
    "themes",
    "territories",
    "fictitious",
]
LIST_COLUMNS = {"themes", "territories"}
KINDS = ("organisation", "solution")
MAX_DEPTH = 20


def parse(content: bytes, fmt: str) -> list:
    """Records from a JSON (`{"actors": [...]}` or a list) or CSV file; ValueError when the file is unusable."""
    text = decode(content, fmt)
    if fmt == "json":
        if text.count("[") + text.count("{") > MAX_DEPTH and json_depth(text) > MAX_DEPTH:
            raise ValueError(f"invalid JSON: nested more than {MAX_DEPTH} levels deep")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ValueError(f"invalid JSON: {exc.msg} (line {exc.lineno})") from None
        except (ValueError, RecursionError):
            raise ValueError("invalid JSON") from None
        records = data.get("actors") if isinstance(data, dict) else data
        if not isinstance(records, list):
            raise ValueError('expected a list of records, or an object with an "actors" list')
        return records
    reader = csv.reader(io.StringIO(text))
    try:
        header = [clean_text(h).strip() for h in next(reader, [])]
    except csv.Error as exc:
        raise ValueError(f"unreadable CSV header: {exc}") from None
    if "kind" not in header:
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


def _text(record: dict, key: str, multiline: bool = False) -> str:
    value = record.get(key)
    if value is None:
        return ""
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise WrongType(f"{key}: expected a text, got {type(value).__name__}")
    return clean_text(str(value)) if multiline else single_line(str(value))


def _texts(record: dict, key: str) -> list[str]:
    value = record.get(key)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise WrongType(f"{key}: expected a list of texts")
    return [single_line(v) for v in value]


def _territory_ids(codes: list[str], known: dict[str, int]) -> list[int]:
    unknown = [c for c in codes if c.upper() not in known]
    if unknown:
        raise WrongType(f"territories: unknown code(s) {', '.join(unknown[:5])}")
    return [known[c.upper()] for c in codes]


def _errors(exc: DomainError) -> str:
    return "; ".join(f"{k}: {v}" if k else str(v) for k, v in exc.errors.items())


def import_records(records: list, actor=None, skip_invalid: bool = False) -> ImportReport:
    """Upsert organisations by name and solutions by ref (published, the organisations listed). With any invalid
    record nothing is written, unless `skip_invalid`; every rejected record is reported with its line."""
    report = ImportReport()
    known = {
        code.upper(): tid
        for tid, code, _kind in sorted(
            db.session.execute(sa.select(Territory.id, Territory.code, Territory.kind)),
            # a code two kinds share (« 93 »…) means the larger territory: it comes last and wins
            key=lambda row: row[2] in ("departement", "region"),
        )
    }
    organisations: list[tuple[str, OrganisationData, bool | None]] = []
    solutions: list[tuple[str, str, SolutionData, bool | None, str]] = []
    names_in_file, refs_in_file = set(), set()
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
        kind = record.get("kind")
        if kind not in KINDS:
            report.rejected.append((label, f"kind: expected organisation or solution, got {str(kind)[:40]!r}"))
            continue
        fictitious = truthy(record["fictitious"]) if "fictitious" in record else None
        try:
            territory_ids = _territory_ids(_texts(record, "territories"), known)
            if kind == "organisation":
                data = OrganisationData(
                    name=_text(record, "name"),
                    kind=_text(record, "organisation_kind"),
                    siret=_text(record, "siret"),
                    description=_text(record, "description", multiline=True),
                    website=_text(record, "website"),
                    contact_name=_text(record, "contact_name"),
                    contact_email=_text(record, "contact_email"),
                    contact_phone=_text(record, "contact_phone"),
                    territory_ids=territory_ids,
                )
                label = f"{label} ({data.name[:40] or 'no name'})"
                data = clean(data)
                key = normalise(data.name)
                if key in names_in_file:
                    raise WrongType(f"duplicate organisation {data.name} in the file")
                names_in_file.add(key)
                organisations.append((key, data, fictitious))
            else:
                ref = _text(record, "ref")
                label = f"{label} ({ref[:40] or 'no ref'})"
                if not ref or len(ref) > 40:
                    raise WrongType("missing or too long ref")
                if ref in refs_in_file:
                    raise WrongType(f"duplicate ref {ref} in the file")
                refs_in_file.add(ref)
                data = SolutionData(
                    title=_text(record, "title"),
                    lever=_text(record, "lever"),
                    summary=_text(record, "summary", multiline=True),
                    description=_text(record, "description", multiline=True),
                    themes=_texts(record, "themes"),
                    territory_ids=territory_ids,
                )
                errors = validate_solution(data)
                if errors:
                    raise WrongType("; ".join(f"{k}: {v}" for k, v in errors.items()))
                owner = normalise(_text(record, "organisation"))
                if not owner:
                    raise WrongType("organisation: the name of the structure offering it is missing")
                solutions.append((ref, owner, data, fictitious, label))
        except WrongType as exc:
            report.rejected.append((label, str(exc)))
        except DomainError as exc:
            report.rejected.append((label, _errors(exc)))
    existing = {
        o.search_name: o
        for o in db.session.scalars(
            sa.select(Organisation).where(
                Organisation.search_name.in_({key for key, *_ in organisations} | {s[1] for s in solutions})
            )
        )
    }
    for _ref, owner, _data, _fictitious, label in solutions:
        if owner not in names_in_file and owner not in existing:
            report.rejected.append((label, "organisation: not in the file nor in the directory"))
    if report.rejected and not skip_invalid:
        return report
    rejected_labels = {label for label, _ in report.rejected}
    for key, data, fictitious in organisations:
        organisation = existing.get(key)
        if organisation is None:
            organisation = Organisation(status=OrganisationStatus.ACTIVE.value)
            db.session.add(organisation)
            existing[key] = organisation
            report.created += 1
        else:
            report.updated += 1
        apply_organisation(organisation, data)
        if fictitious is not None:
            organisation.demo = fictitious
    db.session.flush()
    by_ref = {
        s.ref: s for s in db.session.scalars(sa.select(Solution).where(Solution.ref.in_([s[0] for s in solutions])))
    }
    for ref, owner, data, fictitious, label in solutions:
        if label in rejected_labels or owner not in existing:
            continue
        solution = by_ref.get(ref)
        if solution is None:
            solution = Solution(ref=ref, organisation=existing[owner], status=PracticeStatus.PUBLISHED.value)
            db.session.add(solution)
            report.created += 1
        else:
            solution.organisation = existing[owner]
            report.updated += 1
        _apply(solution, data)
        if fictitious is not None:
            solution.demo = fictitious
        if solution.status != PracticeStatus.ARCHIVED and existing[owner].status == OrganisationStatus.ACTIVE:
            solution.status = PracticeStatus.PUBLISHED.value
            solution.published_at = solution.published_at or now_utc()
        db.session.flush()
        index_solution(solution)
    if actor is not None:
        audit.record(actor, "import.actors", None, created=report.created, updated=report.updated)
    report.applied = True
    return report


def export_records(organisations: list[Organisation]) -> list[dict]:
    """Each organisation, then its solutions (published ones unless archived too), in the import's format."""
    out = []
    for o in organisations:
        out.append(
            {
                "kind": "organisation",
                "name": o.name,
                "organisation_kind": o.kind,
                "siret": o.siret or "",
                "website": o.website,
                "contact_name": o.contact_name,
                "contact_email": o.contact_email,
                "contact_phone": o.contact_phone,
                "description": o.description,
                "territories": [t.code for t in o.territories],
                "fictitious": fictitious_label(o),
            }
        )
        for s in o.solutions:
            if s.status != PracticeStatus.PUBLISHED:
                continue
            out.append(
                {
                    "kind": "solution",
                    "ref": s.ref,
                    "organisation": o.name,
                    "title": s.title,
                    "summary": s.summary,
                    "description": s.description,
                    "lever": s.lever,
                    "themes": s.themes or [],
                    "territories": [t.code for t in s.territories],
                    "fictitious": fictitious_label(s),
                }
            )
    return out


def listed_organisations() -> list[Organisation]:
    """The directory with its territories and solutions loaded (three queries)."""
    from sqlalchemy.orm import selectinload

    return list(
        db.session.scalars(
            sa.select(Organisation)
            .where(Organisation.status == OrganisationStatus.ACTIVE)
            .order_by(Organisation.search_name)
            .options(
                selectinload(Organisation.territories),
                selectinload(Organisation.solutions).selectinload(Solution.territories),
            )
        )
    )


def to_json(organisations: list[Organisation]) -> str:
    return json.dumps({"actors": export_records(organisations)}, ensure_ascii=False, indent=2)


def to_csv(organisations: list[Organisation]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS)
    writer.writeheader()
    for record in export_records(organisations):
        writer.writerow(
            {k: safe_cell(";".join(v) if k in LIST_COLUMNS else ("" if v is None else v)) for k, v in record.items()}
        )
    return out.getvalue()


def record_export(actor, fmt: str, count: int) -> None:
    require_role(actor, Role.COORDINATOR)
    audit.record(actor, "export.actors", None, filename=f"acteurs-ess.{fmt}", count=count)
