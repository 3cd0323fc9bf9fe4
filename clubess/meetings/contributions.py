"""Workshop outputs: findings, initiatives spotted and recommendations, gathered during and after a workshop.

Rules:
- only thematic and territorial workshops collect them, from the moment they start;
- a participant (a member registered to the workshop, not marked absent) or a coordinator enters them,
  until the minutes are published; a participant may correct or withdraw their own until then;
- coordinators moderate: edit, merge several into one, remove (they may still correct after publication);
- they are published with the minutes: shown under them, counted per kind, in the minutes mail, and listed
  for their territory (`contributions_for_territory`).
"""

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from clubess.core.audit import record
from clubess.core.db import now_utc
from clubess.core.errors import DomainError, Forbidden, NotFound
from clubess.core.permissions import Role, has_role, is_author, require_role
from clubess.core.vocabulary import LEVERS
from clubess.extensions import db
from clubess.meetings.followup_models import Contribution, ContributionKind, Minutes, MinutesStatus
from clubess.meetings.models import (
    Attendance,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Registration,
    RegistrationStatus,
)
from clubess.members import hierarchy
from clubess.members.hierarchy import in_department
from clubess.members.models import Member, Territory, TerritoryKind

WORKSHOPS = (MeetingKind.ATELIER_THEMATIQUE.value, MeetingKind.ATELIER_TERRITORIAL.value)
KINDS = tuple(k.value for k in ContributionKind)
MAX_TITLE = 200
MAX_TEXT = 5000


@dataclass
class ContributionData:
    kind: str
    title: str
    text: str
    lever: str | None = None
    territory_id: int | None = None


def is_workshop(meeting: Meeting) -> bool:
    return meeting.kind in WORKSHOPS


def _minutes_published(meeting: Meeting) -> bool:
    return (
        db.session.scalar(
            sa.select(Minutes.id).where(Minutes.meeting_id == meeting.id, Minutes.status == MinutesStatus.PUBLISHED)
        )
        is not None
    )


def closed_reason(meeting: Meeting, now: datetime | None = None) -> str | None:
    """Why contributions cannot be entered now, or None when they can."""
    if not is_workshop(meeting):
        return _("Seuls les ateliers thématiques et territoriaux recueillent des contributions.")
    if meeting.status not in (MeetingStatus.PUBLISHED, MeetingStatus.HELD):
        return _("Cet atelier ne recueille pas de contributions.")
    if meeting.starts_at > (now or now_utc()):
        return _("Les contributions s’ouvrent au début de l’atelier.")
    if _minutes_published(meeting):
        return _("Le compte rendu est publié : les contributions sont closes.")
    return None


def is_participant(actor, meeting: Meeting) -> bool:
    """A member registered to the workshop (registered, not marked absent) through their own account."""
    if not getattr(actor, "is_authenticated", False):
        return False
    return (
        db.session.scalar(
            sa.select(Registration.id)
            .join(Member, Member.id == Registration.member_id)
            .where(
                Registration.meeting_id == meeting.id,
                Member.user_id == actor.id,
                Registration.status == RegistrationStatus.REGISTERED,
                Registration.attendance != Attendance.ABSENT,
            )
            .limit(1)
        )
        is not None
    )


def can_contribute(actor, meeting: Meeting) -> bool:
    if closed_reason(meeting) is not None:
        return False
    return has_role(actor, Role.COORDINATOR) or is_participant(actor, meeting)


def _check_open(actor, meeting: Meeting) -> None:
    reason = closed_reason(meeting)
    if reason is not None:
        raise DomainError(reason)
    if not (has_role(actor, Role.COORDINATOR) or is_participant(actor, meeting)):
        raise Forbidden(_("Seules les personnes inscrites à cet atelier peuvent y contribuer."))


def _validate(meeting: Meeting, data: ContributionData) -> ContributionData:
    data = ContributionData(
        data.kind, " ".join(data.title.split()), data.text.strip(), data.lever or None, data.territory_id
    )
    errors = {}
    if data.kind not in KINDS:
        errors["kind"] = _("Choisissez le type de contribution.")
    if not data.title:
        errors["title"] = _("Donnez un titre court à votre contribution.")
    elif len(data.title) > MAX_TITLE:
        errors["title"] = _("%(n)d caractères au plus.", n=MAX_TITLE)
    if not data.text:
        errors["text"] = _("Décrivez votre contribution en quelques lignes.")
    elif len(data.text) > MAX_TEXT:
        errors["text"] = _("%(n)d caractères au plus.", n=MAX_TEXT)
    if data.lever is not None and data.lever not in LEVERS:
        errors["lever"] = _("Levier inconnu.")
    if data.territory_id is not None and data.territory_id not in {t.id for t in territory_choices(meeting)}:
        errors["territory"] = _("Choisissez un territoire de la liste.")
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    return data


def _apply(contribution: Contribution, data: ContributionData) -> None:
    contribution.kind, contribution.title, contribution.text = data.kind, data.title, data.text
    contribution.lever, contribution.territory_id = data.lever, data.territory_id


def add_contribution(actor, meeting: Meeting, data: ContributionData) -> Contribution:
    """A participant's or a coordinator's contribution to an open workshop."""
    _check_open(actor, meeting)
    data = _validate(meeting, data)
    contribution = Contribution(meeting_id=meeting.id, author_id=actor.id)
    _apply(contribution, data)
    db.session.add(contribution)
    db.session.flush()
    record(actor, "contribution.added", meeting, contribution=contribution.id, kind=contribution.kind)
    return contribution


def can_change(actor, contribution: Contribution) -> bool:
    """Coordinators always; the author until the minutes are published (while the workshop takes contributions)."""
    if has_role(actor, Role.COORDINATOR):
        return True
    return (
        getattr(actor, "is_authenticated", False)
        and contribution.author_id == actor.id
        and closed_reason(contribution.meeting) is None
    )


def _check_change(actor, contribution: Contribution) -> None:
    if not can_change(actor, contribution):
        if is_author(actor, contribution.author_id):
            raise Forbidden(
                closed_reason(contribution.meeting) or _("Vous ne pouvez plus modifier cette contribution.")
            )
        raise Forbidden(_("Seule la personne qui l’a proposée, ou l’équipe de coordination, peut la modifier."))


def update_contribution(actor, contribution: Contribution, data: ContributionData) -> None:
    _check_change(actor, contribution)
    data = _validate(contribution.meeting, data)
    _apply(contribution, data)
    contribution.updated_at = now_utc()
    record(actor, "contribution.updated", contribution.meeting, contribution=contribution.id)


def remove_contribution(actor, contribution: Contribution) -> None:
    _check_change(actor, contribution)
    record(actor, "contribution.removed", contribution.meeting, contribution=contribution.id, title=contribution.title)
    db.session.delete(contribution)
    db.session.flush()


def merge_contributions(actor, meeting: Meeting, ids: list[int]) -> Contribution:
    """Merge several contributions of one kind into the first: its title, every text in turn, the others removed."""
    require_role(actor, Role.COORDINATOR)
    chosen = [c for c in list_contributions(meeting) if c.id in set(ids)]
    if len(chosen) < 2:
        raise DomainError(_("Cochez au moins deux contributions à fusionner."), field="ids")
    if len({c.kind for c in chosen}) > 1:
        raise DomainError(_("On ne fusionne que des contributions du même type."), field="ids")
    kept, others = chosen[0], chosen[1:]
    texts = [kept.text] + [f"{c.title} : {c.text}" for c in others]
    kept.text = "\n\n".join(texts)[:MAX_TEXT]
    kept.lever = kept.lever or next((c.lever for c in others if c.lever), None)
    kept.territory_id = kept.territory_id or next((c.territory_id for c in others if c.territory_id), None)
    kept.updated_at = now_utc()
    for c in others:
        db.session.delete(c)
    db.session.flush()
    record(actor, "contribution.merged", meeting, kept=kept.id, merged=[c.id for c in others])
    return kept


# --- reading ------------------------------------------------------------------------------------


def get_contribution(meeting: Meeting, contribution_id: int) -> Contribution:
    contribution = db.session.get(Contribution, contribution_id)
    if contribution is None or contribution.meeting_id != meeting.id:
        raise NotFound("contribution")
    return contribution


def _listed(where) -> list[Contribution]:
    kind_order = sa.case({k: i for i, k in enumerate(KINDS)}, value=Contribution.kind)
    return list(
        db.session.scalars(
            sa.select(Contribution)
            .where(where)
            .options(selectinload(Contribution.territory), selectinload(Contribution.author))
            .order_by(kind_order, Contribution.created_at, Contribution.id)
        )
    )


def list_contributions(meeting: Meeting) -> list[Contribution]:
    """Every contribution of the workshop, by kind then in the order they came (3 queries)."""
    return _listed(Contribution.meeting_id == meeting.id)


def published_contributions(meeting: Meeting) -> list[Contribution]:
    """The contributions shown with the published minutes (none before)."""
    if not is_workshop(meeting) or not _minutes_published(meeting):
        return []
    return list_contributions(meeting)


def my_contributions(actor, meeting: Meeting) -> list[Contribution]:
    if not getattr(actor, "is_authenticated", False) or not is_workshop(meeting):
        return []
    return _listed(sa.and_(Contribution.meeting_id == meeting.id, Contribution.author_id == actor.id))


def count_by_kind(contributions: list[Contribution]) -> dict[str, int]:
    """{kind: count} for every kind, in the order constat, initiative, préconisation (0 when none)."""
    counts = Counter(c.kind for c in contributions)
    return {kind: counts.get(kind, 0) for kind in KINDS}


def by_kind(contributions: list[Contribution]) -> dict[str, list[Contribution]]:
    return {kind: [c for c in contributions if c.kind == kind] for kind in KINDS}


def territory_choices(meeting: Meeting) -> list[Territory]:
    """The territories a contribution may name: the région and those of the workshop's département (or the
    départements when the workshop has none), groupings first, then communes (1 query)."""
    kind_order = sa.case({k.value: i for i, k in enumerate(TerritoryKind)}, value=Territory.kind)
    if meeting.department_code:
        where = sa.or_(Territory.kind == TerritoryKind.REGION, Territory.id.in_(in_department(meeting.department_code)))
    else:
        where = Territory.kind.in_((TerritoryKind.REGION, TerritoryKind.DEPARTEMENT, TerritoryKind.METROPOLE))
    return list(db.session.scalars(sa.select(Territory).where(where).order_by(kind_order, Territory.name)))


def contributions_for_territory(territory: Territory) -> list[Contribution]:
    """The published contributions that concern a territory, newest workshop first: those naming it or a
    territory inside it, and those without a territory of workshops held in its département (for a
    département). The région gets every published contribution. For the territory pages."""
    published = sa.and_(
        Meeting.kind.in_(WORKSHOPS),
        sa.exists().where(Minutes.meeting_id == Meeting.id, Minutes.status == MinutesStatus.PUBLISHED),
    )
    if territory.kind == TerritoryKind.REGION:
        concerns = sa.true()
    else:
        # the territory and every territory inside it (clubess.members.hierarchy): for a département, its
        # communes and the groupings with a commune in it
        inside = hierarchy.inside(territory.id)
        concerns = Contribution.territory_id.in_(inside)
        if territory.kind == TerritoryKind.DEPARTEMENT:
            concerns = sa.or_(
                concerns,
                sa.and_(Contribution.territory_id.is_(None), Meeting.department_code == territory.department_code),
            )
    return list(
        db.session.scalars(
            sa.select(Contribution)
            .join(Meeting, Meeting.id == Contribution.meeting_id)
            .where(published, concerns)
            .options(selectinload(Contribution.meeting), selectinload(Contribution.territory))
            .order_by(Meeting.starts_at.desc(), Contribution.kind, Contribution.id)
        )
    )
