"""Membership rules: applying, confirming, reviewing, managing people, leaving (RGPD: members.privacy)."""

from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from clubess.auth import services as auth_services
from clubess.auth.models import User, normalize_email
from clubess.core.audit import record
from clubess.core.db import now_utc
from clubess.core.errors import DomainError, Forbidden, NotFound
from clubess.core.permissions import Role, has_role, require_role
from clubess.core.timezone import today
from clubess.core.tokens import InvalidToken, make_token, read_token
from clubess.core.vocabulary import LEVERS
from clubess.extensions import db
from clubess.mailing.models import Scope, SuppressionReason
from clubess.mailing.suppression import is_suppressed, lift, suppress
from clubess.members import notifications
from clubess.members.hierarchy import in_department
from clubess.members.models import Collectivity, CollectivityStatus, Member, MemberKind, Territory

CONFIRM_PURPOSE = "confirm-application"
LIVE_STATUSES = (CollectivityStatus.PENDING.value, CollectivityStatus.ACTIVE.value)


@dataclass
class PersonData:
    kind: str
    first_name: str
    last_name: str
    email: str
    function: str = ""
    delegation: str = ""
    phone: str = ""
    interests: list = field(default_factory=list)


class AlreadyMember(DomainError):
    """The territory already has a live membership (pending or active)."""

    def __init__(self, collectivity: Collectivity):
        self.collectivity = collectivity
        super().__init__(
            _("%(name)s est déjà membre du club ou a déjà une demande en cours.", name=collectivity.name),
            field="territory_id",
        )


def get_territory(territory_id: int) -> Territory | None:
    return db.session.get(Territory, territory_id) if territory_id else None


def get_live_collectivity(territory: Territory) -> Collectivity | None:
    return db.session.scalar(
        sa.select(Collectivity).where(Collectivity.territory_id == territory.id, Collectivity.status.in_(LIVE_STATUSES))
    )


def apply_to_join(
    territory: Territory, referent: PersonData, others: list[PersonData], message: str = ""
) -> Collectivity:
    """Record an application and mail the référent a confirmation link. One live membership per territory."""
    existing = get_live_collectivity(territory)
    if existing is not None:
        raise AlreadyMember(existing)
    emails = [normalize_email(p.email) for p in [referent, *others]]
    if len(set(emails)) != len(emails):
        raise DomainError(_("Chaque personne doit avoir sa propre adresse électronique."), field="email")
    now = now_utc()
    collectivity = Collectivity(territory=territory, application_message=message.strip(), applied_at=now)
    db.session.add(collectivity)
    people = [_new_member(collectivity, person, now) for person in [referent, *others]]
    db.session.flush()
    collectivity.referent = people[0]
    record(None, "collectivity.applied", collectivity, territory=territory.code, people=len(people))
    token = make_token(CONFIRM_PURPOSE, {"cid": collectivity.id, "email": people[0].email})
    notifications.queue_application_confirmation(collectivity, people[0], token)
    return collectivity


def _new_member(collectivity: Collectivity, person: PersonData, consent_at) -> Member:
    if person.kind not in set(MemberKind):
        raise DomainError(_("Choisissez élu ou agent."), field="kind")
    member = Member(
        collectivity=collectivity,
        kind=person.kind,
        first_name=person.first_name.strip(),
        last_name=person.last_name.strip(),
        email=normalize_email(person.email),
        function=person.function.strip(),
        delegation=person.delegation.strip(),
        phone=person.phone.strip(),
        interests=list(person.interests),
        consent_at=consent_at,
    )
    db.session.add(member)
    return member


def confirm_application(token: str) -> Collectivity:
    """The référent proved their address: the application enters the coordinators' queue."""
    try:
        data = read_token(CONFIRM_PURPOSE, token, current_app.config["VERIFY_TOKEN_MAX_AGE"])
    except InvalidToken:
        raise DomainError(_("Ce lien de confirmation n'est plus valable.")) from None
    collectivity = db.session.get(Collectivity, data.get("cid")) if isinstance(data, dict) else None
    if collectivity is None or collectivity.referent is None or collectivity.referent.email != data.get("email"):
        raise DomainError(_("Ce lien de confirmation n'est plus valable."))
    if collectivity.confirmed_at is None:
        collectivity.confirmed_at = now_utc()
        record(None, "collectivity.confirmed", collectivity)
        notifications.queue_new_application_alert(collectivity)
    return collectivity


def request_addition(collectivity: Collectivity, name: str, email: str, message: str = "") -> None:
    """Someone of an already-member collectivity asks its référent to add them (no duplicate collectivity)."""
    if collectivity.status not in LIVE_STATUSES or collectivity.referent is None:
        raise DomainError(_("Cette collectivité n'a pas de référent à prévenir."))
    notifications.queue_addition_request(collectivity, name.strip(), normalize_email(email), message.strip())
    record(None, "collectivity.addition_requested", collectivity, email=normalize_email(email))


# --- review -------------------------------------------------------------------------------------


def list_applications(actor, status: str = "pending", department: str = "", kind: str = "", page: int = 1):
    require_role(actor, Role.COORDINATOR)
    stmt = sa.select(Collectivity).join(Collectivity.territory).order_by(Collectivity.applied_at.desc())
    if status in set(CollectivityStatus):
        stmt = stmt.where(Collectivity.status == status)
    if department:
        stmt = stmt.where(Territory.id.in_(in_department(department)))
    if kind:
        stmt = stmt.where(Territory.kind == kind)
    return db.paginate(stmt, page=max(1, page), per_page=30, error_out=False)


def get_collectivity(collectivity_id: int) -> Collectivity:
    collectivity = db.session.get(Collectivity, collectivity_id)
    if collectivity is None:
        raise NotFound("collectivity")
    return collectivity


def approve(actor, collectivity: Collectivity) -> list[User]:
    """Approve an application: an account for every listed person, each mailed a link to set a password."""
    require_role(actor, Role.COORDINATOR)
    if collectivity.status != CollectivityStatus.PENDING:
        raise DomainError(_("Cette demande a déjà été traitée."))
    collectivity.status = CollectivityStatus.ACTIVE.value
    collectivity.decided_at = now_utc()
    collectivity.joined_on = date.today()
    users = [_ensure_account(member) for member in people_welcomed(collectivity)]
    record(actor, "collectivity.approved", collectivity, accounts=len(users))
    return users


def people_welcomed(collectivity: Collectivity) -> list[Member]:
    """Who approving an application gives an account and mails (the confirmation page lists them)."""
    return [member for member in collectivity.members if member.anonymised_at is None]


def _ensure_account(member: Member) -> User:
    user = member.user or auth_services.get_user_by_email(member.email)
    created = user is None
    if created:
        user = User(email=member.email, role=Role.MEMBER.value, display_name=member.full_name)
        db.session.add(user)
        db.session.flush()
    member.user = user
    notifications.queue_welcome(
        member, auth_services.make_reset_token(user, auth_services.WELCOME_PURPOSE), created=created
    )
    return user


def reject(actor, collectivity: Collectivity, reason: str) -> None:
    require_role(actor, Role.COORDINATOR)
    if collectivity.status != CollectivityStatus.PENDING:
        raise DomainError(_("Cette demande a déjà été traitée."))
    if not reason.strip():
        raise DomainError(_("Indiquez la raison du refus : elle est envoyée au référent."), field="reason")
    collectivity.status = CollectivityStatus.REJECTED.value
    collectivity.decided_at = now_utc()
    collectivity.rejection_reason = reason.strip()
    record(actor, "collectivity.rejected", collectivity, reason=reason.strip())
    notifications.queue_rejection(collectivity)


# --- member area --------------------------------------------------------------------------------


def member_of(user) -> Member | None:
    """The current membership of a user (in an active collectivity), if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    return db.session.scalar(
        sa.select(Member)
        .join(Member.collectivity)
        .where(Member.user_id == user.id, Collectivity.status == CollectivityStatus.ACTIVE)
        .order_by(Member.mandate_end_on.is_not(None), Member.id.desc())
    )


def stop_invitations(email: str) -> int:
    """The person (every membership with this address) no longer wants invitations; returns how many changed."""
    result = db.session.execute(
        sa.update(Member)
        .where(sa.func.lower(Member.email) == email.lower(), Member.wants_invitations.is_(True))
        .values(wants_invitations=False)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0


def require_referent(actor, collectivity: Collectivity) -> None:
    """Only the référent of the collectivity (or a coordinator) manages its people."""
    if has_role(actor, Role.COORDINATOR):
        return
    member = member_of(actor)
    if member is None or collectivity.referent_id != member.id or member.collectivity_id != collectivity.id:
        raise Forbidden("not the referent")


def is_referent(actor, collectivity: Collectivity) -> bool:
    """The référent of the collectivity, or a coordinator: who manages what the collectivity keeps."""
    try:
        require_referent(actor, collectivity)
    except Forbidden:
        return False
    return True


def require_own_collectivity(actor, collectivity: Collectivity) -> None:
    """The people of the collectivity read what it keeps (commitments, ESS policy…); coordinators read all."""
    if has_role(actor, Role.COORDINATOR):
        return
    member = member_of(actor)
    if member is None or member.collectivity_id != collectivity.id:
        raise Forbidden("not a member of this collectivity")


def add_person(actor, collectivity: Collectivity, person: PersonData) -> Member:
    require_referent(actor, collectivity)
    email = normalize_email(person.email)
    if any(m.email == email and m.is_current for m in collectivity.members):
        raise DomainError(_("Cette personne fait déjà partie de la collectivité."), field="email")
    member = _new_member(collectivity, person, None)
    db.session.flush()
    record(actor, "member.added", member, collectivity=collectivity.id)
    if collectivity.status == CollectivityStatus.ACTIVE:
        _ensure_account(member)
    return member


def update_person(actor, member: Member, person: PersonData) -> None:
    """The référent corrects a person's details; the email (their login) is changed by the person only."""
    require_referent(actor, member.collectivity)
    if member.anonymised_at is not None:
        raise DomainError(_("Cette personne a demandé l'effacement de ses données."))
    if person.kind not in set(MemberKind):
        raise DomainError(_("Choisissez élu ou agent."), field="kind")
    changed = []
    for key in ("kind", "first_name", "last_name", "function", "delegation", "phone"):
        value = getattr(person, key).strip()
        if getattr(member, key) != value:
            setattr(member, key, value)
            changed.append(key)
    if changed:
        record(actor, "member.updated", member, fields=",".join(changed))


def end_mandate(actor, member: Member, end_on: date) -> None:
    """After an election a mandate ends: the person stays on record, their account is closed."""
    require_referent(actor, member.collectivity)
    if member.id == member.collectivity.referent_id:
        raise DomainError(_("Transmettez d'abord le rôle de référent à une autre personne."))
    if member.mandate_start_on and end_on < member.mandate_start_on:
        raise DomainError(_("La fin du mandat ne peut pas précéder son début."), field="end_on")
    member.mandate_end_on = end_on
    # ended today or earlier: closed at once; a later date is enforced on that day (members.access)
    if member.user is not None and end_on <= today():
        member.user.is_enabled = False
        auth_services.end_sessions(member.user)
    record(actor, "member.mandate_ended", member, end_on=end_on.isoformat())


def leave_club(actor, collectivity: Collectivity) -> None:
    require_referent(actor, collectivity)
    if collectivity.status != CollectivityStatus.ACTIVE:
        raise DomainError(_("Cette collectivité n'est pas membre."))
    collectivity.status = CollectivityStatus.LEFT.value
    collectivity.left_on = date.today()
    closed = accounts_closed_on_leaving(collectivity)
    for user in closed:
        user.is_enabled = False
        auth_services.end_sessions(user)
    record(actor, "collectivity.left", collectivity, accounts=len(closed))


def accounts_closed_on_leaving(collectivity: Collectivity) -> list[User]:
    """The open accounts of the collectivity's people, which leaving the club closes (not coordinators')."""
    return [
        m.user
        for m in collectivity.members
        if m.user is not None and m.user.is_enabled and not has_role(m.user, Role.COORDINATOR)
    ]


# --- profile ---------------------------------------------------------------------------

PROFILE_FIELDS = (
    "first_name",
    "last_name",
    "function",
    "delegation",
    "phone",
    "show_in_directory",
    "show_email",
    "show_phone",
    "interests",
    "wants_invitations",
    "wants_news",
)


def wants_followup(member: Member) -> bool:
    """The person receives the minutes and questionnaires of the meetings they attend (not on the "suivi" list)."""
    return not is_suppressed(member.email, Scope.SUIVI)


def update_profile(actor, member: Member, values: dict) -> None:
    """A person edits their own profile and preferences."""
    if member.user_id != actor.id:
        raise Forbidden("own profile only")
    changed = []
    for key in PROFILE_FIELDS:
        if key in values:
            value = values[key].strip() if isinstance(values[key], str) else values[key]
            if key == "interests":
                value = sorted(set(value or []) & set(LEVERS))
            if getattr(member, key) != value:
                setattr(member, key, value)
                changed.append(key)
    if "wants_invitations" in changed and member.wants_invitations:
        lift(member.email, Scope.INVITATIONS)  # the person themself asks for invitations again
    if "wants_news" in changed and member.wants_news:
        lift(member.email, Scope.DIGEST)  # and for the members' digest
    if "wants_followup" in values and bool(values["wants_followup"]) != wants_followup(member):
        # the follow-up of meetings (minutes, questionnaires) is a suppression-list scope, not a column
        if values["wants_followup"]:
            lift(member.email, Scope.SUIVI)
        else:
            suppress(member.email, Scope.SUIVI, SuppressionReason.UNSUBSCRIBED)
        changed.append("wants_followup")
    if member.user is not None and ("first_name" in changed or "last_name" in changed):
        member.user.display_name = member.full_name
    if changed:
        record(actor, "member.profile_updated", member, fields=",".join(changed))
