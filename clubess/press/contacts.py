"""Press contacts: the list coordinators keep, its CSV import, its segments, and the addresses' own choices."""

import csv
import io
import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from clubess.core.audit import record
from clubess.core.db import now_utc
from clubess.core.emails import InvalidEmail
from clubess.core.emails import normalize_email as strict_email
from clubess.core.errors import DomainError, NotFound
from clubess.core.inputs import single_line
from clubess.core.permissions import Role, require_role
from clubess.core.tokens import InvalidToken, make_token, read_token
from clubess.extensions import db
from clubess.mailing.models import Scope
from clubess.mailing.suppression import is_suppressed, lift, not_suppressed, suppressed_among
from clubess.members.forms import PHONE_RE
from clubess.members.models import Territory
from clubess.members.territories import normalize
from clubess.press.labels import OUTLET_KIND_LABELS
from clubess.press.models import ContactStatus, Delivery, LegalBasis, OutletKind, PressContact

DEPARTEMENT_RE = re.compile(r"^(0[1-9]|[1-8][0-9]|9[0-5]|2A|2B|97[1-6])$")

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

#: the confirmation link mailed to someone who subscribes (valid PRESS_SUBSCRIBE_TOKEN_MAX_AGE seconds)
SUBSCRIBE_PURPOSE = "press-subscribe"

#: the longest CSV a coordinator may import at once
MAX_IMPORT_ROWS = 20000
#: the size of PressContact.beats
BEATS_LENGTH = 500


def _key(text: str) -> str:
    """Compared without accents, case, spaces or dashes: "Type de média" → "typedemedia"."""
    return normalize(text).replace(" ", "")


def normalize_beats(value: str | list[str], cut: bool = True) -> str:
    """Beats in lower case, once each, joined by commas (cut to the column's size unless `cut` is False)."""
    items = value if isinstance(value, list) else re.split(r"[,;|]", value or "")
    seen: list[str] = []
    for item in items:
        beat = " ".join(item.split()).lower()
        if beat and beat not in seen:
            seen.append(beat)
    joined = ", ".join(seen)
    return joined[:BEATS_LENGTH] if cut else joined


def normalize_email(value: str) -> str:
    """The address as it is stored and sent (see core.emails), or DomainError naming the field."""
    try:
        return strict_email(value)
    except InvalidEmail as exc:
        raise DomainError(str(exc.message), "email") from None


def departement_names() -> dict[str, str]:
    """The region's départements by name, as `territories.normalize` writes it → code."""
    rows = db.session.execute(sa.select(Territory.name, Territory.code).where(Territory.kind == "departement"))
    return {normalize(name): code for name, code in rows}


def normalize_departement(value: str, names: dict[str, str] | None = None) -> str:
    """A département code ("93", "2A", "971") from a code or a name of the region; "" when empty."""
    value = (value or "").strip()
    if not value:
        return ""
    code = value.upper().zfill(2) if value.isdigit() else value.upper()
    if DEPARTEMENT_RE.match(code):
        return code
    code = (departement_names() if names is None else names).get(normalize(value))
    if code is None:
        raise DomainError(_("Département inconnu : indiquez son numéro (93, 2A, 971…)."), "departement")
    return code


def _outlet_kind(value: str) -> str:
    if not value:
        return OutletKind.OTHER.value
    wanted = _key(value)
    for kind in OutletKind:
        if wanted in (_key(kind.value), _key(str(OUTLET_KIND_LABELS[kind.value]))):
            return kind.value
    raise DomainError(_("Type de média inconnu."), "outlet_kind")


@dataclass
class ContactData:
    email: str
    name: str = ""
    outlet: str = ""
    outlet_kind: str = OutletKind.OTHER.value
    beats: str = ""
    departement: str = ""
    phone: str = ""
    legal_basis: str = LegalBasis.LEGITIMATE_INTEREST.value
    notes: str = ""


def clean(data: ContactData, departements: dict[str, str] | None = None) -> ContactData:
    """The same data, normalised; DomainError with one message per wrong field.

    `departements` (from `departement_names()`) spares an import one query per line.
    """
    errors = {}
    cleaned = ContactData(**data.__dict__)
    for name, fn in (("email", normalize_email), ("departement", lambda v: normalize_departement(v, departements))):
        try:
            setattr(cleaned, name, fn(getattr(data, name)))
        except DomainError as exc:
            errors.update(exc.errors)
    if data.phone and not PHONE_RE.match(data.phone.strip()):
        errors["phone"] = _("Numéro de téléphone non valide.")
    if data.outlet_kind not in set(OutletKind):
        errors["outlet_kind"] = _("Type de média inconnu.")
    if data.legal_basis not in set(LegalBasis):
        errors["legal_basis"] = _("Base légale inconnue.")
    for name, limit in (("name", 200), ("outlet", 200)):
        value = " ".join((getattr(data, name) or "").split())
        if re.search(r"[<>]", value):
            errors[name] = _("Les chevrons (signes inférieur et supérieur) ne sont pas acceptés ici.")
        elif len(value) > limit:
            errors[name] = _("%(n)d caractères au plus.", n=limit)
        setattr(cleaned, name, value)
    cleaned.beats = normalize_beats(data.beats)
    if len(normalize_beats(data.beats, cut=False)) > BEATS_LENGTH:
        errors["beats"] = _("Les thématiques comptent ensemble %(n)d caractères au plus.", n=BEATS_LENGTH)
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    cleaned.phone = (data.phone or "").strip()
    return cleaned


# --- the coordinators' list ---------------------------------------------------------------------


@dataclass
class Segment:
    """Who receives a communiqué; an empty criterion takes everyone."""

    beats: list[str] = field(default_factory=list)
    departements: list[str] = field(default_factory=list)
    outlet_kinds: list[str] = field(default_factory=list)

    def describe(self) -> str:
        parts = []
        if self.beats:
            parts.append(_("thématiques : %(list)s", list=", ".join(self.beats)))
        if self.departements:
            parts.append(_("dép. %(list)s", list=", ".join(self.departements)))
        if self.outlet_kinds:
            parts.append(", ".join(str(OUTLET_KIND_LABELS.get(k, k)) for k in self.outlet_kinds))
        return (" · ".join(parts) or _("tous les contacts actifs"))[:200]


def _contains(text: str) -> str:
    """A LIKE pattern that finds `text` literally (a `%` or `_` typed by someone matches only itself)."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _filtered(stmt, *, q: str = "", status: str = "", segment: Segment | None = None):
    """The one place contacts are filtered: the list, its export, and who receives a communiqué.

    Keyword-only: a status passed where the text filter goes once made the send page count nobody.
    """
    if status in set(ContactStatus):
        stmt = stmt.where(PressContact.status == status)
    if q:
        like = _contains(q.strip().lower())
        stmt = stmt.where(
            sa.or_(
                sa.func.lower(PressContact.name).like(like, escape="\\"),
                sa.func.lower(PressContact.outlet).like(like, escape="\\"),
                PressContact.email.like(like, escape="\\"),
                PressContact.beats.like(like, escape="\\"),
            )
        )
    if segment and segment.departements:
        stmt = stmt.where(PressContact.departement.in_(segment.departements))
    if segment and segment.outlet_kinds:
        stmt = stmt.where(PressContact.outlet_kind.in_(segment.outlet_kinds))
    if segment and segment.beats:
        # beats are stored "a, b, c": a whole beat is ", b," inside ", a, b, c," ("ess" is not "presse")
        wrapped = sa.literal(", ") + PressContact.beats + ","
        stmt = stmt.where(
            sa.or_(*(wrapped.like(_contains(f", {normalize_beats(b)},"), escape="\\") for b in segment.beats))
        )
    return stmt


def list_contacts(actor, q: str = "", status: str = "", segment: Segment | None = None, page: int = 1):
    require_role(actor, Role.COORDINATOR)
    stmt = _filtered(sa.select(PressContact), q=q, status=status, segment=segment).order_by(
        PressContact.outlet, PressContact.name, PressContact.id
    )
    return db.paginate(stmt, page=max(1, page), per_page=50, max_per_page=50, error_out=False)


def all_contacts(actor, q: str = "", status: str = "", segment: Segment | None = None) -> list[PressContact]:
    require_role(actor, Role.COORDINATOR)
    stmt = _filtered(sa.select(PressContact), q=q, status=status, segment=segment).order_by(
        PressContact.outlet, PressContact.name
    )
    return list(db.session.scalars(stmt))


def count_by_status(actor) -> dict[str, int]:
    require_role(actor, Role.COORDINATOR)
    rows = db.session.execute(sa.select(PressContact.status, sa.func.count()).group_by(PressContact.status))
    return dict(rows.all())


def segment_choices(actor) -> dict[str, list[str]]:
    """The beats and départements the active contacts have: what a segment can be made of."""
    require_role(actor, Role.COORDINATOR)
    beats: set[str] = set()
    departements: set[str] = set()
    for beat_text, departement in db.session.execute(
        sa.select(PressContact.beats, PressContact.departement).where(PressContact.status == ContactStatus.ACTIVE)
    ):
        beats.update(b.strip() for b in beat_text.split(",") if b.strip())
        if departement:
            departements.add(departement)
    return {"beats": sorted(beats), "departements": sorted(departements)}


def recipients(segment: Segment, not_sent: int | None = None) -> list[tuple[int, str]]:
    """(id, email) of the active contacts in the segment, in a stable order; with `not_sent`, only those
    who have not received that communiqué yet."""
    stmt = _filtered(sa.select(PressContact.id, PressContact.email), status=ContactStatus.ACTIVE, segment=segment)
    stmt = stmt.where(not_suppressed(PressContact.email, Scope.COMMUNIQUES))
    if not_sent is not None:
        stmt = stmt.where(~sa.exists().where(Delivery.communique_id == not_sent, Delivery.email == PressContact.email))
    return [tuple(row) for row in db.session.execute(stmt.order_by(PressContact.id))]


def count_recipients(segment: Segment) -> int:
    stmt = _filtered(sa.select(sa.func.count()).select_from(PressContact), status=ContactStatus.ACTIVE, segment=segment)
    stmt = stmt.where(not_suppressed(PressContact.email, Scope.COMMUNIQUES))
    return db.session.scalar(stmt)


def get_contact(actor, contact_id: int) -> PressContact:
    require_role(actor, Role.COORDINATOR)
    contact = db.session.get(PressContact, contact_id)
    if contact is None:
        raise NotFound(_("Contact introuvable."))
    return contact


def _by_email(email: str) -> PressContact | None:
    return db.session.scalar(sa.select(PressContact).where(PressContact.email == email))


def save_contact(actor, contact: PressContact | None, data: ContactData) -> PressContact:
    """Create (contact None) or update a contact; an address already listed is refused with a link to it."""
    require_role(actor, Role.COORDINATOR)
    errors = {}
    try:
        other = _by_email(normalize_email(data.email))
    except DomainError:
        other = None
    if other is not None and other is not contact:
        errors["email"] = _("Cette adresse est déjà dans la liste (%(name)s).", name=other.name or other.email)
    try:
        data = clean(data)
    except DomainError as exc:
        errors = {**exc.errors, **errors}
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    creating = contact is None
    if creating:
        status = ContactStatus.UNSUBSCRIBED if is_suppressed(data.email, Scope.COMMUNIQUES) else ContactStatus.ACTIVE
        contact = PressContact(source=_("saisie"), status=status.value, status_changed_at=now_utc())
        db.session.add(contact)
    for name, value in data.__dict__.items():
        setattr(contact, name, value)
    db.session.flush()
    record(actor, "press.contact_created" if creating else "press.contact_updated", contact, email=contact.email)
    return contact


def set_status(actor, contact: PressContact, status: str) -> None:
    """A coordinator reactivates a bounced address (fixed) or unsubscribes one on request."""
    require_role(actor, Role.COORDINATOR)
    if status not in (ContactStatus.ACTIVE, ContactStatus.UNSUBSCRIBED):
        raise DomainError(_("Statut non autorisé."))
    if status == ContactStatus.ACTIVE and contact.status == ContactStatus.UNSUBSCRIBED:
        raise DomainError(_("Ce contact s’est désabonné : lui seul peut se réabonner, depuis la salle de presse."))
    previous = contact.status
    contact.status = status
    contact.status_changed_at = now_utc()
    if status == ContactStatus.ACTIVE:
        contact.bounce_reason = ""
    record(actor, "press.contact_status", contact, email=contact.email, previous=previous, status=status)


def delete_contact(actor, contact: PressContact) -> None:
    """Erase the person (GDPR): the contact, its delivery log, and every copy of the address (outbox, audit
    log). Unsubscribing keeps the refusal instead."""
    require_role(actor, Role.COORDINATOR)
    from clubess.press.privacy import forget_contact

    record(actor, "press.contact_deleted", None, contact_id=contact.id, outlet=contact.outlet)
    forget_contact(contact)


# --- CSV import ------------------------------------------------------------------------------------


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


# --- the address's own choices -----------------------------------------------------------------------


def stop_communiques(email: str) -> int:
    """Unsubscribe handler: the address gets no more communiqués; returns how many contacts changed."""
    result = db.session.execute(
        sa.update(PressContact)
        .where(
            PressContact.email == email.lower(),
            PressContact.status.in_([ContactStatus.ACTIVE, ContactStatus.PENDING]),
        )
        .values(status=ContactStatus.UNSUBSCRIBED.value, status_changed_at=now_utc())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def mark_bounced(contact_id: int, reason: str) -> None:
    """The mail server refused the address for good: hold it until a coordinator reactivates it."""
    db.session.execute(
        sa.update(PressContact)
        .where(PressContact.id == contact_id, PressContact.status != ContactStatus.UNSUBSCRIBED)
        .values(status=ContactStatus.BOUNCED.value, status_changed_at=now_utc(), bounce_reason=reason[:500])
        .execution_options(synchronize_session=False)
    )
    record(None, "press.contact_bounced", None, contact_id=contact_id, reason=reason[:200])


def request_subscription(email: str, name: str, outlet: str, member: bool) -> PressContact:
    """Someone asks for the communiqués: a pending contact (or the existing one) and a confirmation mail.

    The answer is the same whether or not the address is known: the form reveals nothing.
    """
    from clubess.press.mail import queue_subscription_confirmation

    email = normalize_email(email)
    contact = _by_email(email)
    if contact is None:
        contact = PressContact(
            email=email,
            name=" ".join(name.split())[:200],
            outlet=" ".join(outlet.split())[:200],
            outlet_kind=(OutletKind.MEMBER if member else OutletKind.OTHER).value,
            legal_basis=LegalBasis.CONSENT.value,
            source=_("abonnement"),
            status=ContactStatus.PENDING.value,
            status_changed_at=now_utc(),
        )
        db.session.add(contact)
        db.session.flush()
    queue_subscription_confirmation(contact)
    record(None, "press.subscription_requested", contact, email=email)
    return contact


def subscription_token(contact: PressContact) -> str:
    return make_token(SUBSCRIBE_PURPOSE, {"c": contact.id, "e": contact.email})


def read_subscription_token(token: str) -> tuple[int, str]:
    """(contact id, email) of a confirmation link, or DomainError when it is forged or older than 7 days."""
    try:
        data = read_token(SUBSCRIBE_PURPOSE, token, current_app.config["PRESS_SUBSCRIBE_TOKEN_MAX_AGE"])
        return int(data["c"]), str(data["e"])
    except (InvalidToken, KeyError, TypeError, ValueError):
        raise DomainError(
            _("Ce lien de confirmation n’est pas valide ou a expiré : abonnez-vous de nouveau.")
        ) from None


def confirm_subscription(contact_id: int, email: str) -> PressContact:
    """The link in the confirmation mail was followed: the address receives communiqués from now on."""
    contact = db.session.get(PressContact, contact_id)
    if contact is None or contact.email != email:
        raise NotFound(_("Ce lien ne correspond à aucun abonnement."))
    if contact.status != ContactStatus.ACTIVE:
        contact.status = ContactStatus.ACTIVE.value
        contact.status_changed_at = now_utc()
        contact.bounce_reason = ""
    contact.confirmed_at = now_utc()
    contact.legal_basis = LegalBasis.CONSENT.value
    lift(email, Scope.COMMUNIQUES)  # the person themself subscribed again and confirmed from the mail
    record(None, "press.subscription_confirmed", contact, email=email)
    return contact
