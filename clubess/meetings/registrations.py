"""A member's registrations: oneself or a colleague, standing in for an élu (delegation), cancelling, what they see."""

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from clubess.core.audit import record
from clubess.core.db import now_utc
from clubess.core.errors import DomainError, Forbidden, NotFound
from clubess.core.permissions import Role, has_role
from clubess.extensions import db
from clubess.meetings import notifications, seats
from clubess.meetings.models import (
    Attendance,
    AttendMode,
    InvitationResponse,
    Meeting,
    Registration,
    RegistrationStatus,
)
from clubess.members.models import Collectivity, CollectivityStatus, Member, MemberKind


def _actor_member(actor) -> Member | None:
    from clubess.members.services import member_of

    return member_of(actor)


def registrable_people(actor) -> list[Member]:
    """Whom this user may register: themselves and the current people of their collectivity."""
    me = _actor_member(actor)
    if me is None:
        return []
    today = now_utc().date()
    return list(
        db.session.scalars(
            sa.select(Member)
            .where(
                Member.collectivity_id == me.collectivity_id,
                Member.anonymised_at.is_(None),
                sa.or_(Member.mandate_end_on.is_(None), Member.mandate_end_on >= today),
            )
            .order_by(Member.id != me.id, Member.last_name, Member.first_name)
        )
    )


def register_member(
    actor,
    meeting: Meeting,
    person: Member,
    mode: str = AttendMode.IN_PERSON.value,
    share_presence: bool = False,
    on_behalf_of: Member | None = None,
) -> Registration:
    """Register a member (oneself or a colleague; an agent may stand in for an élu of the same collectivity)."""
    me = _actor_member(actor)
    coordinator = has_role(actor, Role.COORDINATOR)
    if me is None and not coordinator:
        raise Forbidden(_("Seules les personnes des collectivités membres peuvent s’inscrire ici."))
    if not coordinator and person.collectivity_id != me.collectivity_id:
        raise Forbidden(_("Vous ne pouvez inscrire que des personnes de votre collectivité."))
    if person.anonymised_at is not None or person.collectivity.status != CollectivityStatus.ACTIVE:
        raise DomainError(_("Cette personne ne peut pas être inscrite."), field="person")
    if on_behalf_of is not None:
        if on_behalf_of.collectivity_id != person.collectivity_id or on_behalf_of.kind != MemberKind.ELU:
            raise DomainError(
                _("On ne peut représenter qu’un ou une élue de sa propre collectivité."), field="on_behalf_of"
            )
        if on_behalf_of.id == person.id:
            raise DomainError(_("Une personne ne peut pas se représenter elle-même."), field="on_behalf_of")
    seats.check_open(meeting)
    mode = seats.check_mode(meeting, mode)
    seats.lock(meeting)
    existing = seats.existing(meeting, person.email)
    if existing is not None and existing.status in seats.ACTIVE:
        raise DomainError(
            _("%(name)s est déjà inscrit·e à cette rencontre.", name=person.full_name)
            if existing.status != RegistrationStatus.WAITLISTED
            else _("%(name)s est déjà sur la liste d’attente de cette rencontre.", name=person.full_name),
            field="person",
        )
    replaced = None
    if on_behalf_of is not None:
        replaced = seats.existing(meeting, on_behalf_of.email)
        if replaced is not None and replaced.status not in seats.ACTIVE:
            replaced = None
    registration = existing or Registration(meeting=meeting, email=person.email)
    as_member(registration, person)
    registration.mode = mode
    registration.share_presence = share_presence
    registration.on_behalf_of_id = on_behalf_of.id if on_behalf_of else None
    registration.registered_by_id = actor.id if person.user_id != actor.id else None
    registration.attendance = Attendance.UNKNOWN.value
    if replaced is not None:
        # The delegate takes the élu's seat (or place in the queue): the collectivity is counted once.
        seats.take_place(registration, after=replaced)
        seats.mark_cancelled(replaced)
        notifications.queue_replaced(replaced, registration)
    else:
        seats.take_place(registration)
    seats.mark_invitation(meeting, person.email, InvitationResponse.ACCEPTED)
    record(
        actor,
        "registration.created",
        registration,
        meeting=meeting.id,
        status=registration.status,
        on_behalf_of=registration.on_behalf_of_id,
    )
    notifications.queue_registration_outcome(
        registration, registered_by=actor if registration.registered_by_id else None
    )
    return registration


def as_member(registration: Registration, member: Member) -> None:
    """A member's registration: their name, collectivity and organisation (the territory's name)."""
    registration.member_id = member.id
    registration.collectivity_id = member.collectivity_id
    registration.name = member.full_name
    registration.organisation = member.collectivity.territory.name
    registration.is_guest = False


def can_manage(actor, registration: Registration) -> bool:
    """The person, whoever registered them, their collectivity's référent, or a coordinator."""
    if has_role(actor, Role.COORDINATOR):
        return True
    if not getattr(actor, "is_authenticated", False):
        return False
    if registration.registered_by_id == actor.id:
        return True
    member = registration.member
    if member is not None and member.user_id == actor.id:
        return True
    me = _actor_member(actor)
    return (
        me is not None and registration.collectivity_id == me.collectivity_id and me.collectivity.referent_id == me.id
    )


def cancel_registration(actor, registration: Registration, by_coordination: bool = False) -> None:
    """Cancel a registration; a freed seat goes to the waiting list. The person gets a CANCEL for their calendar."""
    if not can_manage(actor, registration):
        raise Forbidden(_("Vous ne pouvez pas annuler cette inscription."))
    if registration.status == RegistrationStatus.CANCELLED:
        raise DomainError(_("Cette inscription est déjà annulée."))
    if registration.is_walk_in:
        raise DomainError(_("Une personne venue sans inscription se retire depuis la page des présences."))
    seats.withdraw(registration, actor, by_coordination)


# --- reads --------------------------------------------------------------------------------------


def get_registration(registration_id: int) -> Registration:
    registration = db.session.get(Registration, registration_id)
    if registration is None:
        raise NotFound("registration")
    return registration


def my_registrations(actor, meeting: Meeting) -> list[Registration]:
    """The active registrations this user can see on a meeting's page: their own and those they made."""
    if not getattr(actor, "is_authenticated", False):
        return []
    return list(
        db.session.scalars(
            sa.select(Registration)
            .outerjoin(Member, Member.id == Registration.member_id)
            .where(
                Registration.meeting_id == meeting.id,
                Registration.status.in_(seats.ACTIVE),
                Registration.is_walk_in.is_(False),
                sa.or_(Member.user_id == actor.id, Registration.registered_by_id == actor.id),
            )
            .order_by(Registration.id)
        )
    )


def registrations_of(actor) -> list[Registration]:
    """A user's registrations (their own and those they made for colleagues), upcoming first (2 queries)."""
    return list(
        db.session.scalars(
            sa.select(Registration)
            .join(Meeting, Meeting.id == Registration.meeting_id)
            .outerjoin(Member, Member.id == Registration.member_id)
            .where(
                Registration.status != RegistrationStatus.CANCELLED,
                sa.or_(Member.user_id == actor.id, Registration.registered_by_id == actor.id),
            )
            .options(selectinload(Registration.meeting))
            .order_by(Meeting.starts_at.desc())
        )
    )


def coming_collectivities(meeting: Meeting, mine: list[Registration]) -> list[str] | None:
    """Names of the collectivities coming that agreed to be shown; only for people registered themselves
    (`mine`: the viewer's registrations, from my_registrations)."""
    if not any(r.status == RegistrationStatus.REGISTERED for r in mine):
        return None
    from clubess.members.models import Territory

    return list(
        db.session.scalars(
            sa.select(Territory.name)
            .join(Collectivity, Collectivity.territory_id == Territory.id)
            .join(Registration, Registration.collectivity_id == Collectivity.id)
            .where(
                Registration.meeting_id == meeting.id,
                Registration.status == RegistrationStatus.REGISTERED,
                Registration.share_presence.is_(True),
            )
            .distinct()
            .order_by(Territory.name)
        )
    )
