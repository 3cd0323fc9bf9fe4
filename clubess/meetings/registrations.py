"""Registration rules: capacity, deadline, waiting list with offers, delegation, guests.

Every change of seats starts with `_lock(meeting)`: an UPDATE of the meeting row. On PostgreSQL it
holds the row lock until commit, so concurrent registrations to one meeting are serialised and each
count sees the previous ones (READ COMMITTED takes a new snapshot per statement). On SQLite the
UPDATE is the transaction's first write: it takes the database's write lock (waiting for it),
and the count that follows sees every committed row.
"""

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from clubess.core.audit import record
from clubess.core.db import now_utc
from clubess.core.errors import DomainError, Forbidden, NotFound
from clubess.core.permissions import Role, has_role, require_role
from clubess.extensions import db
from clubess.meetings import notifications
from clubess.meetings.models import (
    SEATED,
    Attendance,
    AttendMode,
    Audience,
    Invitation,
    InvitationResponse,
    Meeting,
    MeetingFormat,
    MeetingStatus,
    Registration,
    RegistrationStatus,
)
from clubess.members.models import Collectivity, CollectivityStatus, Member, MemberKind

ACTIVE = (
    RegistrationStatus.REGISTERED.value,
    RegistrationStatus.OFFERED.value,
    RegistrationStatus.WAITLISTED.value,
)


def _lock(meeting: Meeting) -> None:
    """Serialise the seat changes of one meeting until the transaction ends (see the module's doc)."""
    db.session.flush()
    db.session.execute(
        sa.update(Meeting)
        .where(Meeting.id == meeting.id)
        .values(updated_at=Meeting.updated_at)
        .execution_options(synchronize_session=False)
    )


def _counts_against_capacity(meeting: Meeting, mode: str) -> bool:
    # In a hybrid meeting the capacity is the room's: following online takes no seat.
    return not (meeting.format == MeetingFormat.HYBRID and mode == AttendMode.ONLINE)


def seats_taken(meeting: Meeting) -> int:
    stmt = sa.select(sa.func.count()).where(Registration.meeting_id == meeting.id, Registration.status.in_(SEATED))
    if meeting.format == MeetingFormat.HYBRID:
        stmt = stmt.where(Registration.mode == AttendMode.IN_PERSON)
    return db.session.scalar(stmt) or 0


def seats_left(meeting: Meeting) -> int | None:
    """Free seats, or None when the meeting has no capacity limit."""
    if meeting.capacity is None:
        return None
    return max(0, meeting.capacity - seats_taken(meeting))


def _has_room(meeting: Meeting, mode: str) -> bool:
    if meeting.capacity is None or not _counts_against_capacity(meeting, mode):
        return True
    if _queue_exists(meeting):
        return False  # first come, first served: nobody overtakes the waiting list
    return seats_taken(meeting) < meeting.capacity


def _queue_exists(meeting: Meeting) -> bool:
    return (
        db.session.scalar(
            sa.select(sa.func.count()).where(
                Registration.meeting_id == meeting.id, Registration.status == RegistrationStatus.WAITLISTED
            )
        )
        > 0
    )


def check_open(meeting: Meeting, now: datetime | None = None) -> None:
    """Refuse when the meeting cannot take registrations any more (or not yet)."""
    now = now or now_utc()
    if meeting.status == MeetingStatus.CANCELLED:
        raise DomainError(_("Cette rencontre est annulée : les inscriptions sont fermées."))
    if meeting.status != MeetingStatus.PUBLISHED:
        raise DomainError(_("Les inscriptions à cette rencontre ne sont pas ouvertes."))
    if meeting.starts_at <= now:
        raise DomainError(_("Cette rencontre a déjà commencé : les inscriptions sont closes."))
    if meeting.registration_deadline and meeting.registration_deadline < now:
        raise DomainError(_("Les inscriptions sont closes depuis la date limite."))


def _check_mode(meeting: Meeting, mode: str) -> str:
    if meeting.format == MeetingFormat.ONLINE:
        return AttendMode.ONLINE.value
    if meeting.format == MeetingFormat.IN_PERSON:
        return AttendMode.IN_PERSON.value
    if mode not in set(AttendMode):
        raise DomainError(_("Choisissez de venir sur place ou de suivre en ligne."), field="mode")
    return mode


def _existing(meeting: Meeting, email: str) -> Registration | None:
    return db.session.scalar(
        sa.select(Registration).where(
            Registration.meeting_id == meeting.id, sa.func.lower(Registration.email) == email.lower()
        )
    )


# --- members ------------------------------------------------------------------------------------


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
    check_open(meeting)
    mode = _check_mode(meeting, mode)
    _lock(meeting)
    existing = _existing(meeting, person.email)
    if existing is not None and existing.status in ACTIVE:
        raise DomainError(
            _("%(name)s est déjà inscrit·e à cette rencontre.", name=person.full_name)
            if existing.status != RegistrationStatus.WAITLISTED
            else _("%(name)s est déjà sur la liste d’attente de cette rencontre.", name=person.full_name),
            field="person",
        )
    replaced = None
    if on_behalf_of is not None:
        replaced = _existing(meeting, on_behalf_of.email)
        if replaced is not None and replaced.status not in ACTIVE:
            replaced = None
    registration = existing or Registration(meeting=meeting, email=person.email)
    _as_member(registration, person)
    registration.mode = mode
    registration.share_presence = share_presence
    registration.on_behalf_of_id = on_behalf_of.id if on_behalf_of else None
    registration.registered_by_id = actor.id if person.user_id != actor.id else None
    registration.attendance = Attendance.UNKNOWN.value
    if replaced is not None:
        # The delegate takes the élu's seat (or place in the queue): the collectivity is counted once.
        _take_place(registration, after=replaced)
        _cancel(replaced)
        notifications.queue_replaced(replaced, registration)
    else:
        _take_place(registration)
    _mark_invitation(meeting, person.email, InvitationResponse.ACCEPTED)
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


def _as_member(registration: Registration, member: Member) -> None:
    registration.member_id = member.id
    registration.collectivity_id = member.collectivity_id
    registration.name = member.full_name
    registration.organisation = member.collectivity.territory.name
    registration.is_guest = False


def _take_place(registration: Registration, after: Registration | None = None) -> None:
    """A seat if one is free, else the end of the waiting list; `after`: take over that registration's place.

    The caller holds the meeting's lock.
    """
    if after is not None:
        registration.status, registration.queued_at = after.status, after.queued_at
        registration.offer_expires_at = after.offer_expires_at
    else:
        has_room = _has_room(registration.meeting, registration.mode)
        registration.status = (RegistrationStatus.REGISTERED if has_room else RegistrationStatus.WAITLISTED).value
        registration.queued_at = now_utc()
        registration.offer_expires_at = None
    registration.cancelled_at = None
    if registration.id is None:
        db.session.add(registration)
    db.session.flush()


# --- guests -------------------------------------------------------------------------------------


def request_guest_registration(meeting: Meeting, name: str, organisation: str, email: str, mode: str) -> Registration:
    """A visitor asks for a seat at a public meeting; the seat is only taken once the address is confirmed.

    The answer is the same whether or not the address was already registered (no address probing).
    """
    if meeting.audience != Audience.PUBLIC:
        raise DomainError(_("Cette rencontre est réservée aux membres du club."))
    check_open(meeting)
    mode = _check_mode(meeting, mode)
    email = email.strip()
    existing = _existing(meeting, email)
    if existing is not None and existing.status in ACTIVE:
        notifications.queue_already_registered(existing)
        return existing
    registration = existing or Registration(meeting=meeting, email=email)
    registration.member_id = None
    registration.collectivity_id = None
    registration.name = name.strip()
    registration.organisation = organisation.strip()
    registration.is_guest = True
    registration.mode = mode
    registration.status = RegistrationStatus.PENDING.value
    registration.cancelled_at = None
    if registration.id is None:
        db.session.add(registration)
    db.session.flush()
    notifications.queue_guest_confirmation(registration)
    return registration


def confirm_guest(registration: Registration) -> Registration:
    """The guest followed the link in the mail: their address is real, they take a seat (or queue)."""
    if registration.status in ACTIVE:
        return registration
    if registration.status != RegistrationStatus.PENDING:
        raise DomainError(_("Cette demande d’inscription a été annulée."))
    meeting = registration.meeting
    check_open(meeting)
    _lock(meeting)
    db.session.refresh(registration)
    if registration.status != RegistrationStatus.PENDING:
        return registration
    _take_place(registration)
    _mark_invitation(meeting, registration.email, InvitationResponse.ACCEPTED)
    record(None, "registration.guest_confirmed", registration, meeting=meeting.id, status=registration.status)
    notifications.queue_registration_outcome(registration)
    return registration


def register_invitee(invitation: Invitation) -> Registration:
    """An invitee answered yes from the mail: a member gets a member registration, anyone else a guest one."""
    meeting = invitation.meeting
    member = invitation.member if invitation.member is not None and invitation.member.anonymised_at is None else None
    email = member.email if member is not None else invitation.email
    existing = _existing(meeting, email)
    if existing is not None and existing.status in ACTIVE:
        return existing
    check_open(meeting)
    _lock(meeting)
    registration = existing or Registration(meeting=meeting, email=email)
    if member is not None:
        _as_member(registration, member)
    else:
        registration.name = invitation.name or invitation.email
        registration.is_guest = True
    registration.mode = _check_mode(meeting, AttendMode.IN_PERSON.value)
    _take_place(registration)
    record(None, "registration.from_invitation", registration, meeting=meeting.id, status=registration.status)
    notifications.queue_registration_outcome(registration)
    return registration


# --- cancelling, the waiting list and offers ----------------------------------------------------


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
    withdraw(registration, actor, by_coordination)


def withdraw(registration: Registration, actor=None, by_coordination: bool = False) -> None:
    """The seat-freeing part of a cancellation (authorisation is the caller's)."""
    meeting = registration.meeting
    _lock(meeting)
    db.session.refresh(registration)
    if registration.status == RegistrationStatus.CANCELLED:
        return
    had_seat = registration.holds_seat
    was_registered = registration.status == RegistrationStatus.REGISTERED
    _cancel(registration)
    _mark_invitation(meeting, registration.email, InvitationResponse.DECLINED)
    record(actor, "registration.cancelled", registration, meeting=meeting.id, by_coordination=by_coordination)
    notifications.queue_cancelled_registration(registration, by_coordination=by_coordination, had_event=was_registered)
    if had_seat and meeting.status == MeetingStatus.PUBLISHED and meeting.starts_at > now_utc():
        promote(meeting)


def _cancel(registration: Registration) -> None:
    registration.status = RegistrationStatus.CANCELLED.value
    registration.cancelled_at = now_utc()
    registration.offer_expires_at = None


def offer_window(meeting: Meeting, now: datetime) -> datetime | None:
    """Until when a freed seat is held; None when the meeting is too close to wait for an answer."""
    expires = min(
        now + timedelta(hours=current_app.config["MEETING_OFFER_HOURS"]), meeting.starts_at - timedelta(hours=2)
    )
    return expires if expires - now >= timedelta(hours=1) else None


def promote(meeting: Meeting) -> list[Registration]:
    """Offer the free seats to the waiting list, in order. The caller holds the meeting's lock."""
    if meeting.capacity is None:
        queue = _queue(meeting, limit=None)
    else:
        free = meeting.capacity - seats_taken(meeting)
        queue = _queue(meeting, limit=max(0, free)) if free > 0 else []
    now = now_utc()
    promoted = []
    for registration in queue:
        expires = offer_window(meeting, now)
        if expires is None:
            registration.status = RegistrationStatus.REGISTERED.value
        else:
            registration.status = RegistrationStatus.OFFERED.value
            registration.offer_expires_at = expires
        promoted.append(registration)
        record(None, "registration.promoted", registration, meeting=meeting.id, status=registration.status)
        notifications.queue_promotion(registration)
    db.session.flush()
    return promoted


def _queue(meeting: Meeting, limit: int | None) -> list[Registration]:
    stmt = (
        sa.select(Registration)
        .where(Registration.meeting_id == meeting.id, Registration.status == RegistrationStatus.WAITLISTED)
        .order_by(Registration.queued_at, Registration.id)
    )
    if meeting.format == MeetingFormat.HYBRID:
        stmt = stmt.where(Registration.mode == AttendMode.IN_PERSON)
    if limit is not None:
        stmt = stmt.limit(limit)
    return list(db.session.scalars(stmt))


def accept_offer(registration: Registration) -> Registration:
    meeting = registration.meeting
    _lock(meeting)
    db.session.refresh(registration)
    if registration.status == RegistrationStatus.REGISTERED:
        return registration
    if registration.status != RegistrationStatus.OFFERED or (
        registration.offer_expires_at and registration.offer_expires_at < now_utc()
    ):
        raise DomainError(_("Cette place n’est plus disponible : le délai pour la confirmer est passé."))
    if meeting.status != MeetingStatus.PUBLISHED:
        raise DomainError(_("Cette rencontre est annulée."))
    registration.status = RegistrationStatus.REGISTERED.value
    registration.offer_expires_at = None
    record(None, "registration.offer_accepted", registration, meeting=meeting.id)
    notifications.queue_registration_outcome(registration)
    return registration


def decline_offer(registration: Registration) -> None:
    meeting = registration.meeting
    _lock(meeting)
    db.session.refresh(registration)
    if registration.status not in (RegistrationStatus.OFFERED, RegistrationStatus.WAITLISTED):
        raise DomainError(_("Cette proposition n’est plus valable."))
    _cancel(registration)
    record(None, "registration.offer_declined", registration, meeting=meeting.id)
    notifications.queue_cancelled_registration(registration, by_coordination=False, had_event=False)
    if meeting.status == MeetingStatus.PUBLISHED:
        promote(meeting)


def expire_offers(now: datetime | None = None) -> int:
    """Offers not confirmed in time are withdrawn and the seat goes to the next person. Returns how many expired."""
    now = now or now_utc()
    meeting_ids = db.session.scalars(
        sa.select(Registration.meeting_id)
        .where(Registration.status == RegistrationStatus.OFFERED, Registration.offer_expires_at < now)
        .distinct()
    ).all()
    expired = 0
    for meeting_id in meeting_ids:
        meeting = db.session.get(Meeting, meeting_id)
        _lock(meeting)
        late = db.session.scalars(
            sa.select(Registration).where(
                Registration.meeting_id == meeting_id,
                Registration.status == RegistrationStatus.OFFERED,
                Registration.offer_expires_at < now,
            )
        ).all()
        for registration in late:
            _cancel(registration)
            record(None, "registration.offer_expired", registration, meeting=meeting_id)
            notifications.queue_offer_expired(registration)
            expired += 1
        if meeting.status == MeetingStatus.PUBLISHED and meeting.starts_at > now:
            promote(meeting)
    return expired


def capacity_changed(meeting: Meeting) -> None:
    """After a coordinator raised the capacity: offer the new seats."""
    if meeting.status == MeetingStatus.PUBLISHED and meeting.starts_at > now_utc():
        _lock(meeting)
        promote(meeting)


def _mark_invitation(meeting: Meeting, email: str, response: InvitationResponse) -> None:
    invitation = db.session.scalar(
        sa.select(Invitation).where(
            Invitation.meeting_id == meeting.id, sa.func.lower(Invitation.email) == email.lower()
        )
    )
    if invitation is not None and invitation.response != response:
        invitation.response = response.value
        invitation.responded_at = now_utc()


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
                Registration.status.in_(ACTIVE),
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


def waitlist_position(registration: Registration) -> int:
    return (
        db.session.scalar(
            sa.select(sa.func.count()).where(
                Registration.meeting_id == registration.meeting_id,
                Registration.status == RegistrationStatus.WAITLISTED,
                sa.or_(
                    Registration.queued_at < registration.queued_at,
                    sa.and_(Registration.queued_at == registration.queued_at, Registration.id < registration.id),
                ),
            )
        )
        + 1
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


def list_registrations(actor, meeting: Meeting, status: str = "", mode: str = "", q: str = "") -> list[Registration]:
    """Coordinators' list of a meeting's registrations, filtered (3 queries whatever the size)."""
    require_role(actor, Role.COORDINATOR)
    stmt = (
        sa.select(Registration)
        .where(Registration.meeting_id == meeting.id)
        .options(
            selectinload(Registration.member),
            selectinload(Registration.on_behalf_of),
        )
        .order_by(
            sa.case(
                (Registration.status == RegistrationStatus.REGISTERED, 0),
                (Registration.status == RegistrationStatus.OFFERED, 1),
                (Registration.status == RegistrationStatus.WAITLISTED, 2),
                (Registration.status == RegistrationStatus.PENDING, 3),
                else_=4,
            ),
            Registration.queued_at,
            Registration.id,
        )
    )
    if status in set(RegistrationStatus):
        stmt = stmt.where(Registration.status == status)
    if mode in set(AttendMode):
        stmt = stmt.where(Registration.mode == mode)
    if q.strip():
        like = f"%{q.strip().lower()}%"
        stmt = stmt.where(
            sa.or_(
                sa.func.lower(Registration.name).like(like),
                sa.func.lower(Registration.organisation).like(like),
                sa.func.lower(Registration.email).like(like),
            )
        )
    return list(db.session.scalars(stmt))


def registration_counts(meeting_ids: list[int]) -> dict[int, dict[str, int]]:
    """{meeting id: {status: count}} in one query."""
    counts: dict[int, dict[str, int]] = {}
    if not meeting_ids:
        return counts
    rows = db.session.execute(
        sa.select(Registration.meeting_id, Registration.status, sa.func.count())
        .where(Registration.meeting_id.in_(meeting_ids))
        .group_by(Registration.meeting_id, Registration.status)
    )
    for meeting_id, status, count in rows:
        counts.setdefault(meeting_id, {})[status] = count
    return counts


def set_attendance(actor, registration: Registration, attendance: str) -> None:
    require_role(actor, Role.COORDINATOR)
    if attendance not in set(Attendance):
        raise DomainError(_("Présence inconnue."), field="attendance")
    registration.attendance = attendance
    record(actor, "registration.attendance", registration, attendance=attendance)
