"""Directory rules: who sees what of an organisation, coordinators' edits, public requests and their review.

Visibility (the one rule of issue 19, item 4, applied to ESS actors as to practices): an organisation in the
directory (`active`) and its published solutions are public portraits (name, kind, territories served, website,
description; a solution's title, summary, description, lever, themes and territories). The contact (name,
email, phone) is for members of an active collectivity and coordinators only, on every page, the API and the
exports. Pending, rejected and archived organisations, and solutions not published, are seen by coordinators
only: to everyone else they do not exist (404).
"""

import re
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from clubess.actors.models import Organisation, OrganisationKind, OrganisationStatus, Solution
from clubess.actors.siret import is_valid_siret, normalise_siret
from clubess.core.audit import record
from clubess.core.db import now_utc
from clubess.core.duplicates import normalise
from clubess.core.emails import InvalidEmail, normalize_email
from clubess.core.errors import DomainError, NotFound
from clubess.core.inputs import has_control
from clubess.core.permissions import Role, has_role, require_role
from clubess.extensions import db
from clubess.members.models import Territory
from clubess.practices.models import PracticeStatus

PER_PAGE = 20
MAX_TERRITORIES = 50
URL_RE = re.compile(r"^https?://[^\s<>\"']+\.[^\s<>\"']+$", re.IGNORECASE)
PHONE_RE = re.compile(r"^\+?[0-9 .()-]{6,25}$")
LENGTHS = {"name": 200, "description": 5000, "website": 300, "contact_name": 200, "contact_phone": 30}


@dataclass
class OrganisationData:
    name: str
    kind: str
    siret: str = ""
    description: str = ""
    website: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    territory_ids: list[int] = field(default_factory=list)


def can_see_contacts(actor) -> bool:
    """Members of an active collectivity and coordinators see the contacts of organisations (and solutions)."""
    if has_role(actor, Role.COORDINATOR):
        return True
    from clubess.members.services import member_of

    return member_of(actor) is not None


def clean(data: OrganisationData, require_contact: bool = False) -> OrganisationData:
    """The data trimmed and normalised; DomainError with one message per wrong field."""
    errors: dict[str, str] = {}
    values = {
        k: (" ".join(v.split()) if isinstance(v, str) and k != "description" else v) for k, v in vars(data).items()
    }
    cleaned = OrganisationData(**values)
    cleaned.description = (data.description or "").strip()
    if not cleaned.name:
        errors["name"] = _("Indiquez le nom de la structure.")
    if cleaned.kind not in set(OrganisationKind):
        errors["kind"] = _("Choisissez le type de structure.")
    for name, limit in LENGTHS.items():
        if len(getattr(cleaned, name) or "") > limit:
            errors[name] = _("Ce champ dépasse %(n)s caractères.", n=limit)
    for name in ("name", "contact_name", "website", "contact_phone", "siret"):
        if has_control(getattr(cleaned, name) or "", multiline=False) or re.search(r"[<>]", getattr(cleaned, name)):
            errors[name] = _("Ce champ contient des caractères non acceptés.")
    if cleaned.siret:
        siret = normalise_siret(cleaned.siret)
        if not is_valid_siret(siret):
            errors["siret"] = _(
                "Ce numéro SIRET n’est pas valide : 14 chiffres, dont le dernier est une clé de contrôle."
            )
        cleaned.siret = siret
    if cleaned.website and not URL_RE.match(cleaned.website):
        errors.setdefault("website", _("Indiquez une adresse commençant par http:// ou https://."))
    if cleaned.contact_email:
        try:
            cleaned.contact_email = normalize_email(cleaned.contact_email)
        except InvalidEmail as exc:
            errors["contact_email"] = str(exc.message)
    elif require_contact:
        errors["contact_email"] = _("Indiquez une adresse électronique pour que le club puisse vous répondre.")
    if require_contact and not cleaned.contact_name:
        errors["contact_name"] = _("Indiquez le nom de la personne à contacter.")
    if cleaned.contact_phone and not PHONE_RE.match(cleaned.contact_phone):
        errors.setdefault("contact_phone", _("Numéro de téléphone non valide."))
    ids = [i for i in cleaned.territory_ids if isinstance(i, int)]
    if len(ids) > MAX_TERRITORIES:
        errors["territory_ids"] = _("%(n)d territoires au plus.", n=MAX_TERRITORIES)
    cleaned.territory_ids = list(dict.fromkeys(ids))[:MAX_TERRITORIES]
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    return cleaned


def territories_of(ids: list[int]) -> list[Territory]:
    if not ids:
        return []
    return list(db.session.scalars(sa.select(Territory).where(Territory.id.in_(ids)).order_by(Territory.name)))


def _apply(organisation: Organisation, data: OrganisationData) -> None:
    for key in ("name", "kind", "description", "website", "contact_name", "contact_email", "contact_phone"):
        setattr(organisation, key, getattr(data, key))
    organisation.search_name = normalise(data.name)[:200]
    organisation.siret = data.siret or None
    with db.session.no_autoflush:
        organisation.territories = territories_of(data.territory_ids)


def create_organisation(actor, data: OrganisationData) -> Organisation:
    """Coordinators add a structure to the directory (listed at once)."""
    require_role(actor, Role.COORDINATOR)
    data = clean(data)
    organisation = Organisation(status=OrganisationStatus.ACTIVE.value)
    _apply(organisation, data)
    db.session.add(organisation)
    db.session.flush()
    record(actor, "organisation.created", organisation, name=organisation.name)
    return organisation


def update_organisation(actor, organisation: Organisation, data: OrganisationData) -> None:
    require_role(actor, Role.COORDINATOR)
    data = clean(data)
    _apply(organisation, data)
    db.session.flush()
    record(actor, "organisation.updated", organisation, name=organisation.name)


def archive_organisation(actor, organisation: Organisation) -> None:
    """Out of the directory, its solutions out of the library and the matcher (kept for the record)."""
    require_role(actor, Role.COORDINATOR)
    from clubess.actors.solutions import withdraw_all

    organisation.status = OrganisationStatus.ARCHIVED.value
    withdraw_all(organisation)
    record(actor, "organisation.archived", organisation, name=organisation.name)


def get_organisation(organisation_id: int, actor=None) -> Organisation:
    """An organisation as `actor` may see it: coordinators any, everyone else those in the directory."""
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None:
        raise NotFound("organisation")
    if organisation.status != OrganisationStatus.ACTIVE and not has_role(actor, Role.COORDINATOR):
        raise NotFound("organisation")
    return organisation


def list_directory(query: str = "", kind: str = "", territory_id: int | None = None, page: int = 1):
    """The directory, by name: a search on the name (accents and case ignored), a kind, a territory served."""
    stmt = sa.select(Organisation).where(Organisation.status == OrganisationStatus.ACTIVE)
    stmt = _filtered(stmt, query, kind, territory_id)
    stmt = stmt.order_by(Organisation.search_name, Organisation.id).options(selectinload(Organisation.territories))
    return db.paginate(stmt, page=max(1, page), per_page=PER_PAGE, max_per_page=PER_PAGE, error_out=False)


def _filtered(stmt, query: str, kind: str, territory_id: int | None):
    from clubess.actors.models import organisation_territories

    query = normalise((query or "")[:100])
    if query:
        stmt = stmt.where(Organisation.search_name.contains(query, autoescape=True))
    if kind in set(OrganisationKind):
        stmt = stmt.where(Organisation.kind == kind)
    if territory_id is not None:
        stmt = stmt.where(
            sa.exists().where(
                organisation_territories.c.organisation_id == Organisation.id,
                organisation_territories.c.territory_id == territory_id,
            )
        )
    return stmt


def list_for_coordination(actor, status: str = "", query: str = "", page: int = 1):
    require_role(actor, Role.COORDINATOR)
    stmt = sa.select(Organisation)
    if status in set(OrganisationStatus):
        stmt = stmt.where(Organisation.status == status)
    stmt = _filtered(stmt, query, "", None).order_by(Organisation.updated_at.desc(), Organisation.id.desc())
    return db.paginate(stmt, page=max(1, page), per_page=50, max_per_page=50, error_out=False)


def count_pending(actor) -> int:
    require_role(actor, Role.COORDINATOR)
    return db.session.scalar(sa.select(sa.func.count()).where(Organisation.status == OrganisationStatus.PENDING))


def served_territories() -> list[Territory]:
    """The territories some listed organisation serves (the directory's territory filter)."""
    from clubess.actors.models import organisation_territories

    return list(
        db.session.scalars(
            sa.select(Territory)
            .where(
                Territory.id.in_(
                    sa.select(organisation_territories.c.territory_id)
                    .join(Organisation, Organisation.id == organisation_territories.c.organisation_id)
                    .where(Organisation.status == OrganisationStatus.ACTIVE)
                )
            )
            .order_by(Territory.name)
        )
    )


def published_solutions(organisation: Organisation) -> list[Solution]:
    return [s for s in organisation.solutions if s.status == PracticeStatus.PUBLISHED]


# --- public requests to be listed ------------------------------------------------------------------


def request_listing(data: OrganisationData, consent_text: str, solution=None) -> Organisation:
    """A structure asks to be listed (public form, no account): pending until a coordinator reviews it.

    `consent_text` is the sentence the person ticked, stored word for word with the time; `solution`, a
    `SolutionData` or None, is its first solution, submitted for moderation with it.
    """
    data = clean(data, require_contact=True)
    if not consent_text:
        raise DomainError(_("Votre accord est nécessaire pour figurer dans l’annuaire."), field="consent")
    errors = {}
    if solution is not None:
        from clubess.actors.solutions import validate_solution

        errors = {f"solution_{k}": v for k, v in validate_solution(solution).items()}
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    organisation = Organisation(
        status=OrganisationStatus.PENDING.value, consent_text=consent_text, consent_at=now_utc()
    )
    _apply(organisation, data)
    db.session.add(organisation)
    db.session.flush()
    if solution is not None:
        from clubess.actors.solutions import add_solution

        add_solution(None, organisation, solution, status=PracticeStatus.SUBMITTED.value)
    record(None, "organisation.requested", organisation, name=organisation.name)
    return organisation


def approve_request(actor, organisation: Organisation) -> None:
    """The structure joins the directory; its submitted solutions are published (findable at once)."""
    require_role(actor, Role.COORDINATOR)
    if organisation.status != OrganisationStatus.PENDING:
        raise DomainError(_("Seule une demande à examiner peut être acceptée."))
    from clubess.actors.solutions import publish_solution

    organisation.status = OrganisationStatus.ACTIVE.value
    organisation.rejection_reason = ""
    for solution in list(organisation.solutions):
        if solution.status == PracticeStatus.SUBMITTED:
            publish_solution(actor, solution)
    record(actor, "organisation.approved", organisation, name=organisation.name)


def reject_request(actor, organisation: Organisation, reason: str) -> None:
    """The request is refused; the reason is mailed to the structure's contact (through the outbox)."""
    require_role(actor, Role.COORDINATOR)
    if organisation.status != OrganisationStatus.PENDING:
        raise DomainError(_("Seule une demande à examiner peut être refusée."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Indiquez la raison du refus : elle est envoyée à la structure."), field="reason")
    from clubess.actors import notifications
    from clubess.actors.solutions import withdraw_all

    organisation.status = OrganisationStatus.REJECTED.value
    organisation.rejection_reason = reason[:2000]
    withdraw_all(organisation)
    record(actor, "organisation.rejected", organisation, name=organisation.name)
    notifications.queue_rejection(organisation)


def resolve_territories(text: str) -> tuple[list[int], list[str]]:
    """Territories typed as a list (« Montreuil, 93, Est Ensemble »: codes or exact names, separated by commas
    or semicolons) -> (their ids, the items no territory answers). Two queries whatever the length."""
    from clubess.members.territories import normalize

    items = [i.strip() for i in re.split(r"[,;\n]", text or "") if i.strip()][: MAX_TERRITORIES + 1]
    if not items:
        return [], []
    codes = {i.upper() for i in items if len(i) <= 12}
    names = {normalize(i)[:200] for i in items}
    found = list(
        db.session.execute(
            sa.select(Territory.id, Territory.code, Territory.search_name, Territory.kind).where(
                sa.or_(Territory.code.in_(codes), Territory.search_name.in_(names))
            )
        )
    )
    rank = {"region": 0, "departement": 1, "metropole": 2, "ept": 3, "epci": 4, "commune": 5}
    ids, unknown = [], []
    for item in items:
        hits = [row for row in found if row.code == item.upper()] or [
            row for row in found if row.search_name == normalize(item)
        ]
        if not hits:
            unknown.append(item[:60])
            continue
        # a code shared by a département and a commune (« 75 »…): the larger territory is meant
        ids.append(min(hits, key=lambda row: rank.get(row.kind, 9)).id)
    return list(dict.fromkeys(ids)), unknown


def territories_text(territories) -> str:
    """The field's text for the territories of a record (names, or codes where a name is ambiguous)."""
    return ", ".join(t.code if t.kind in ("commune",) else t.name for t in territories)
