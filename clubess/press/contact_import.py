"""The CSV import of press contacts: columns recognised by name, one report line per refused row."""

import csv
import io
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

from clubess.core.audit import record
from clubess.core.db import now_utc
from clubess.core.errors import DomainError
from clubess.core.inputs import single_line
from clubess.core.permissions import Role, require_role
from clubess.extensions import db
from clubess.mailing.models import Scope
from clubess.mailing.suppression import suppressed_among
from clubess.members.territories import normalize
from clubess.press.contacts import ContactData, clean, departement_names, normalize_beats
from clubess.press.labels import OUTLET_KIND_LABELS
from clubess.press.models import ContactStatus, LegalBasis, OutletKind, PressContact

#: what a CSV header may say for each field (compared without accents, case, spaces or dashes)
COLUMN_NAMES = {
    "name": {"nom", "name", "nomcomplet", "prenomnom", "contact", "journaliste"},
    "outlet": {"media", "outlet", "redaction", "titre", "support", "organe"},
    "email": {"email", "courriel", "mail", "adresse", "adresseelectronique", "adressemail"},
    "beats": {"thematiques", "thematique", "themes", "theme", "beat", "beats", "rubrique", "rubriques"},
    "departement": {"departement", "dept", "dep", "department"},
    "phone": {"telephone", "tel", "phone", "portable"},
    "outlet_kind": {"type", "typedemedia", "kind", "categorie"},
}

#: the longest CSV a coordinator may import at once
MAX_IMPORT_ROWS = 20000


def _key(text: str) -> str:
    """Compared without accents, case, spaces or dashes: "Type de média" → "typedemedia"."""
    return normalize(text).replace(" ", "")


def _outlet_kind(value: str) -> str:
    if not value:
        return OutletKind.OTHER.value
    wanted = _key(value)
    for kind in OutletKind:
        if wanted in (_key(kind.value), _key(str(OUTLET_KIND_LABELS[kind.value]))):
            return kind.value
    raise DomainError(_("Type de média inconnu."), "outlet_kind")


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    #: addresses that unsubscribed or bounced: kept as they are, never resubscribed by an import
    kept_inactive: list[str] = field(default_factory=list)
    #: (line number, the line's address or name, reason)
    rejected: list[tuple[int, str, str]] = field(default_factory=list)
    #: the same address twice in the file: merged into one contact
    merged: int = 0


#: the key of a row holding its line number in the file, and of a line the CSV reader could not read
LINE, UNREADABLE = "_line", "_unreadable"


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError(_("Le fichier n’est pas un texte en UTF-8 ou en Windows-1252 : enregistrez-le en CSV UTF-8."))


def read_csv(content: bytes) -> tuple[list[str], list[dict]]:
    """Rows keyed by our field names, each with its line number; ValueError when the file is unusable.

    Control characters are taken out of every cell; a line the reader cannot read (a cell over 128 KiB…)
    comes back as a row holding the reason, reported with its line number like any refused line.
    """
    text = _decode(content)
    if not text.strip():
        raise ValueError(_("Le fichier est vide."))
    sample = text[:4096]
    delimiter = max((";", ",", "\t"), key=sample.splitlines()[0].count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = [single_line(title) for title in next(reader)]
    except csv.Error:
        raise ValueError(_("La première ligne (les noms de colonnes) est illisible.")) from None
    mapping = {}
    for index, title in enumerate(header):
        for name, names in COLUMN_NAMES.items():
            if _key(title) in names and name not in mapping:
                mapping[name] = index
    if "email" not in mapping:
        raise ValueError(
            _(
                "Colonne « email » introuvable dans la première ligne. Colonnes attendues : %(cols)s.",
                cols="nom, média, email, thématiques, département, téléphone",
            )
        )
    rows = []
    while True:
        try:
            line = next(reader)
        except StopIteration:
            break
        except csv.Error:
            rows.append({LINE: reader.line_num, UNREADABLE: _("ligne illisible (une cellule dépasse 128 Kio ?)")})
            continue
        if not any(cell.strip() for cell in line):
            continue
        row = {name: (single_line(line[i]).strip() if i < len(line) else "") for name, i in mapping.items()}
        rows.append({**row, LINE: reader.line_num})
        if len(rows) > MAX_IMPORT_ROWS:
            raise ValueError(_("Le fichier dépasse %(n)d lignes : découpez-le.", n=MAX_IMPORT_ROWS))
    return list(mapping), rows


def import_csv(actor, content: bytes, filename: str, legal_basis: str) -> ImportReport:
    """Add or update contacts from a CSV; one report line per rejected row, nothing half-imported per row."""
    require_role(actor, Role.COORDINATOR)
    columns, rows = read_csv(content)
    report = ImportReport()
    existing = {c.email: c for c in db.session.scalars(sa.select(PressContact))}
    #: new contacts, merged in memory then written in one bulk INSERT (the ORM inserts rows one by one on SQLite)
    created: dict[str, PressContact] = {}
    seen_in_file: set[str] = set()
    departements = departement_names()
    source = _("import %(file)s", file=filename)[:200]
    for row in rows:
        number = row[LINE]
        if UNREADABLE in row:
            report.rejected.append((number, "—", row[UNREADABLE]))
            continue
        try:
            kind = _outlet_kind(row.get("outlet_kind", ""))
            data = clean(
                ContactData(
                    email=row.get("email", ""),
                    name=row.get("name", ""),
                    outlet=row.get("outlet", ""),
                    outlet_kind=kind,
                    beats=row.get("beats", ""),
                    departement=row.get("departement", ""),
                    phone=row.get("phone", ""),
                    legal_basis=legal_basis,
                ),
                departements,
            )
        except DomainError as exc:
            label = row.get("email") or row.get("name") or "—"
            report.rejected.append((number, label[:80], "; ".join(str(m) for m in exc.errors.values())))
            continue
        contact = existing.get(data.email) or created.get(data.email)
        if contact is None:
            contact = created[data.email] = PressContact(email=data.email, beats="", outlet_kind="")
            report.created += 1
        elif data.email in seen_in_file:
            report.merged += 1
        else:
            report.updated += 1
            if contact.status in (ContactStatus.UNSUBSCRIBED, ContactStatus.BOUNCED):
                report.kept_inactive.append(data.email)
        seen_in_file.add(data.email)
        _merge(contact, data, columns)
    if created:
        now = now_utc()
        # an address that unsubscribed (even before it was a contact) is imported as unsubscribed
        suppressed = suppressed_among(list(created), Scope.COMMUNIQUES)
        report.kept_inactive.extend(sorted(suppressed))
        fields = ("email", "name", "outlet", "outlet_kind", "beats", "departement", "phone", "legal_basis")
        db.session.execute(
            sa.insert(PressContact),
            [
                {
                    **{name: getattr(c, name) or "" for name in fields},
                    "source": source,
                    "status": (ContactStatus.UNSUBSCRIBED if c.email in suppressed else ContactStatus.ACTIVE).value,
                    "status_changed_at": now,
                }
                for c in created.values()
            ],
        )
    db.session.flush()
    record(
        actor,
        "press.contacts_imported",
        None,
        filename=filename,
        created=report.created,
        updated=report.updated,
        rejected=len(report.rejected),
    )
    return report


def _merge(contact: PressContact, data: ContactData, columns: list[str]) -> None:
    """A file's non-empty values win; themes add up; the status is never changed by an import."""
    for name in ("name", "outlet", "departement", "phone"):
        if getattr(data, name):
            setattr(contact, name, getattr(data, name))
    if ("outlet_kind" in columns and data.outlet_kind != OutletKind.OTHER) or not contact.outlet_kind:
        contact.outlet_kind = data.outlet_kind
    contact.beats = normalize_beats(f"{contact.beats or ''},{data.beats}")
    if not contact.legal_basis or contact.legal_basis == LegalBasis.LEGITIMATE_INTEREST:
        contact.legal_basis = data.legal_basis
