"""Press contacts: the list coordinators keep, its segments, and the rules a contact's data follows."""

import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _

from clubess.core.audit import record
from clubess.core.db import now_utc
from clubess.core.emails import InvalidEmail
from clubess.core.emails import normalize_email as strict_email
from clubess.core.errors import DomainError, NotFound
from clubess.core.permissions import Role, require_role
from clubess.extensions import db
from clubess.mailing.models import Scope
from clubess.mailing.suppression import is_suppressed, not_suppressed
from clubess.members.forms import PHONE_RE
from clubess.members.models import Territory
from clubess.members.territories import normalize
from clubess.press.labels import OUTLET_KIND_LABELS
from clubess.press.models import ContactStatus, Delivery, LegalBasis, OutletKind, PressContact

DEPARTEMENT_RE = re.compile(r"^(0[1-9]|[1-8][0-9]|9[0-5]|2A|2B|97[1-6])$")

#: the size of PressContact.beats
BEATS_LENGTH = 500


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


def export_contacts(actor, q: str = "", status: str = "", segment: Segment | None = None) -> list[PressContact]:
    """The contacts of the filtered list, for the CSV; the download goes to the audit log."""
    rows = all_contacts(actor, q=q, status=status, segment=segment)
    record(actor, "export.press_contacts", None, filename="contacts-presse.csv", count=len(rows))
    return rows


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


def contact_by_email(email: str) -> PressContact | None:
    return db.session.scalar(sa.select(PressContact).where(PressContact.email == email))


def save_contact(actor, contact: PressContact | None, data: ContactData) -> PressContact:
    """Create (contact None) or update a contact; an address already listed is refused with a link to it."""
    require_role(actor, Role.COORDINATOR)
    errors = {}
    try:
        other = contact_by_email(normalize_email(data.email))
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
