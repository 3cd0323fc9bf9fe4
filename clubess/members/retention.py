"""Membership data past its retention period (`flask retention run`, see core.retention and /confidentialite).

- an application whose référent never confirmed the address: deleted once the link has expired;
- the people of a rejected application: deleted some months after the decision (the decision stays);
- a person whose mandate ended, or whose collectivity left the club, some months ago: anonymised like an
  erasure, their account too when they have no other current membership;
- an account whose mandates have all ended (the day after the end date): closed, its sessions ended
  (members.access; the login already refuses it from that day).
"""

from datetime import datetime

import sqlalchemy as sa

from clubess.core.audit import record
from clubess.core.permissions import Role
from clubess.core.retention import cutoff
from clubess.extensions import db
from clubess.members.access import close_ended_mandates
from clubess.members.models import Collectivity, CollectivityStatus, Member
from clubess.members.privacy import Person, forget, person_of


def purge_expired(now: datetime) -> dict[str, int]:
    return {
        "unconfirmed_applications": _delete_unconfirmed(now),
        "rejected_applications": _empty_rejected(now),
        "former_members": _anonymise_former(now),
        "ended_mandates": close_ended_mandates(now),
    }


def _forget_people(members: list[Member]) -> None:
    for member in members:
        forget(Person(None, [member]))


def _delete_unconfirmed(now: datetime) -> int:
    expired = db.session.scalars(
        sa.select(Collectivity).where(
            Collectivity.status == CollectivityStatus.PENDING,
            Collectivity.confirmed_at.is_(None),
            Collectivity.applied_at < cutoff("unconfirmed", now),
        )
    ).all()
    for collectivity in expired:
        collectivity.referent_id = None
        db.session.flush()
        people = list(collectivity.members)
        _forget_people(people)
        for member in people:
            db.session.delete(member)
        record(None, "collectivity.expired", collectivity, territory=collectivity.territory.code)
        db.session.delete(collectivity)
    db.session.flush()
    return len(expired)


def _empty_rejected(now: datetime) -> int:
    """The decision stays (how many were refused, when); the people and what they wrote go."""
    rejected = db.session.scalars(
        sa.select(Collectivity).where(
            Collectivity.status == CollectivityStatus.REJECTED,
            Collectivity.decided_at < cutoff("rejected", now),
            sa.exists().where(Member.collectivity_id == Collectivity.id),
        )
    ).all()
    for collectivity in rejected:
        collectivity.referent_id = None
        collectivity.application_message = ""
        collectivity.rejection_reason = ""
        db.session.flush()
        people = list(collectivity.members)
        _forget_people(people)
        for member in people:
            db.session.delete(member)
    db.session.flush()
    return len(rejected)


def _anonymise_former(now: datetime) -> int:
    """People whose mandate ended, or whose collectivity left, before the period: anonymised. An account goes
    too when none of its memberships is current any more (a coordinator's account stays, it is staff)."""
    limit = cutoff("members", now).date()
    left = sa.select(Collectivity.id).where(
        Collectivity.status == CollectivityStatus.LEFT, Collectivity.left_on < limit
    )
    active_referents = sa.select(Collectivity.referent_id).where(
        Collectivity.status == CollectivityStatus.ACTIVE, Collectivity.referent_id.is_not(None)
    )
    former = db.session.scalars(
        sa.select(Member).where(
            Member.anonymised_at.is_(None),
            sa.or_(Member.mandate_end_on < limit, Member.collectivity_id.in_(left)),
            Member.id.not_in(active_referents),  # still the collectivity's contact: hand over first
        )
    ).all()
    done = set()
    for member in former:
        if member.id in done:
            continue
        user = member.user
        if user is not None and user.role == Role.MEMBER:
            person = person_of(user)
            if all(m in former or m.anonymised_at is not None for m in person.members):
                done |= set(person.member_ids)
                forget(person)
                record(None, "user.anonymised_after_retention", user)
                continue
        forget(Person(None, [member]))
        done.add(member.id)
    return len(done & {m.id for m in former})
