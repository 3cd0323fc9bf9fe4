"""The sections « rencontres », « problematiques », « participation » and « contributions » of a territory page:
what happens in the club about the territory and everything inside it.

- meetings held there or about it: those whose territory lies inside, and those placed in a département inside
  (`Meeting.department_code`); published, held or cancelled only, and those for members only to members;
- problems raised by its member collectivities: counted by lever for everyone, listed for coordinators;
- participation of its member collectivities in the club's meetings over the last twelve months, by the rules of
  /coordination/participation (clubess.meetings.participation): counts for everyone, a table for coordinators;
- the workshops' published contributions about it (clubess.meetings.contributions), for members.
"""

from collections.abc import Mapping
from datetime import timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from clubess.core.db import now_utc
from clubess.core.vocabulary import LEVERS
from clubess.extensions import db
from clubess.meetings import contributions, participation
from clubess.meetings.models import Audience, Meeting
from clubess.meetings.services import VISIBLE
from clubess.members import hierarchy
from clubess.members.models import Collectivity, Territory, TerritoryKind
from clubess.practices.models import Problem
from clubess.territories import sections
from clubess.territories.sections import Section, Viewer

#: upcoming and past meetings listed on the page, each
MEETINGS_SHOWN = 8
#: problems listed to coordinators (the newest)
PROBLEMS_SHOWN = 50
#: the participation window, ending now
PARTICIPATION_WINDOW = timedelta(days=365)
NO_LEVER = _l("Levier non précisé")


def meetings_about(territory: Territory):
    """SQL condition: the meeting is held in or about the territory or a territory inside it."""
    inside = hierarchy.inside(territory.id)
    departments = sa.select(Territory.code).where(Territory.kind == TerritoryKind.DEPARTEMENT, Territory.id.in_(inside))
    return sa.or_(Meeting.territory_id.in_(inside), Meeting.department_code.in_(departments))


def meetings_context(territory: Territory, viewer: Viewer, args: Mapping[str, str]) -> dict:
    """The next and the latest meetings this viewer may see (2 queries); visitors are told how many meetings
    for members only there are, without their titles (1 more)."""
    conditions = [Meeting.status.in_(VISIBLE), meetings_about(territory)]
    members_only = 0
    if not viewer.is_member:
        members_only = db.session.scalar(
            sa.select(sa.func.count(Meeting.id)).where(*conditions, Meeting.audience != Audience.PUBLIC)
        )
        conditions.append(Meeting.audience == Audience.PUBLIC)
    now = now_utc()
    upcoming = db.session.scalars(
        sa.select(Meeting)
        .where(*conditions, Meeting.ends_at >= now)
        .order_by(Meeting.starts_at, Meeting.id)
        .limit(MEETINGS_SHOWN)
    ).all()
    past = db.session.scalars(
        sa.select(Meeting)
        .where(*conditions, Meeting.ends_at < now)
        .order_by(Meeting.starts_at.desc(), Meeting.id)
        .limit(MEETINGS_SHOWN)
    ).all()
    return {"territory": territory, "upcoming": upcoming, "past": past, "members_only": members_only}


def problems_context(territory: Territory, viewer: Viewer, args: Mapping[str, str]) -> dict | None:
    """Problems raised by the member collectivities inside: counts by lever; the list for coordinators
    (1 query, 2 more for coordinators); left out when there is none."""
    raised = Problem.collectivity_id.in_(
        sa.select(Collectivity.id).where(Collectivity.territory_id.in_(hierarchy.inside(territory.id)))
    )
    counts = dict(
        db.session.execute(sa.select(Problem.lever, sa.func.count()).where(raised).group_by(Problem.lever)).all()
    )
    total = sum(counts.values())
    if not total:
        return None
    by_lever = [(label, counts.get(key, 0)) for key, label in LEVERS.items()]
    unknown = sum(n for key, n in counts.items() if key not in LEVERS)
    if unknown:
        by_lever.append((NO_LEVER, unknown))
    problems = []
    if viewer.is_coordinator:
        problems = db.session.scalars(
            sa.select(Problem)
            .where(raised)
            .options(selectinload(Problem.collectivity))
            .order_by(Problem.created_at.desc(), Problem.id.desc())
            .limit(PROBLEMS_SHOWN)
        ).all()
    return {
        "territory": territory,
        "problem_total": total,
        "problem_levers": by_lever,
        "problems": problems,
        "levers": LEVERS,
        "no_lever": NO_LEVER,
    }


def participation_context(territory: Territory, viewer: Viewer, args: Mapping[str, str]) -> dict | None:
    """The last twelve months' participation of the collectivities inside: counts; each collectivity's figures
    for coordinators (2 queries, 2 more for coordinators); left out when none was a member then."""
    end = now_utc()
    window = (end - PARTICIPATION_WINDOW, end)
    inside = hierarchy.inside(territory.id)
    summary = participation.summary(inside, window)
    if not summary.members:
        return None
    rows = []
    if viewer.is_coordinator:
        rows = participation.participation(viewer.user, end.year, inside=inside, window=window).rows
    return {"territory": territory, "participation": summary, "participation_rows": rows, "since": window[0]}


def contributions_context(territory: Territory, viewer: Viewer, args: Mapping[str, str]) -> dict | None:
    """The workshops' published contributions about the territory, for members (3 queries); left out for
    visitors and when there is none."""
    if not viewer.is_member:
        return None
    items = contributions.contributions_for_territory(territory)
    if not items:
        return None
    return {"territory": territory, "contributions": items, "contribution_counts": contributions.count_by_kind(items)}


def register_sections() -> None:
    sections.register(Section("rencontres", "territories/_rencontres.html", meetings_context, order=30))
    sections.register(Section("problematiques", "territories/_problematiques.html", problems_context, order=40))
    sections.register(Section("participation", "territories/_participation.html", participation_context, order=50))
    sections.register(Section("contributions", "territories/_contributions.html", contributions_context, order=60))
