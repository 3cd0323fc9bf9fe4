"""Reading a territory for its page and the API: found by code, its parents and children, its headline counts.

Everything is counted for the territory *and everything inside it* (clubess.members.hierarchy), each read in a
bounded number of queries whatever the number of territories, collectivities or practices.
"""

from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from clubess.core.errors import NotFound
from clubess.core.permissions import Role, has_role
from clubess.extensions import db
from clubess.members import hierarchy
from clubess.members.models import Collectivity, CollectivityStatus, Territory, TerritoryKind, TerritoryLink
from clubess.members.territories import find_by_code
from clubess.practices.models import Practice, PracticeStatus
from clubess.territories.figures import latest_figures
from clubess.territories.sections import Viewer

#: the groupings a territory page lists as its children, by the territory's kind (communes come apart)
CHILD_KINDS = {
    TerritoryKind.REGION: (TerritoryKind.DEPARTEMENT, TerritoryKind.METROPOLE, TerritoryKind.EPT, TerritoryKind.EPCI),
    TerritoryKind.DEPARTEMENT: (TerritoryKind.EPT, TerritoryKind.EPCI),
    TerritoryKind.METROPOLE: (TerritoryKind.EPT,),
}
#: communes listed a page at a time on a territory page
COMMUNES_PER_PAGE = 100
KIND_ORDER = {k.value: i for i, k in enumerate(TerritoryKind)}


def _kind_order():
    return sa.case(KIND_ORDER, value=Territory.kind)


def get_territory(code: str) -> Territory:
    """The territory with this code (INSEE for a commune or département, SIREN for a grouping, the région's
    code), or NotFound for an unknown or malformed one."""
    territory = find_by_code(code)
    if territory is None:
        raise NotFound("territory")
    return territory


def get_region() -> Territory | None:
    """The club's région (None before `flask territories load`)."""
    code = current_app.config["CLUB_REGION_CODE"]
    return db.session.scalar(
        sa.select(Territory).where(Territory.kind == TerritoryKind.REGION, Territory.code == code).limit(1)
    )


def viewer_for(user) -> Viewer:
    """What this user may see on a territory page (1 query for a signed-in user)."""
    from clubess.members.services import member_of

    if not getattr(user, "is_authenticated", False):
        return Viewer.anonymous()
    coordinator = has_role(user, Role.COORDINATOR)
    membership = member_of(user)
    return Viewer(
        user=user,
        is_member=coordinator or membership is not None,
        is_coordinator=coordinator,
        collectivity=membership.collectivity if membership is not None else None,
    )


def parents(territory: Territory) -> list[Territory]:
    """The territories this one lies in, largest first (1 query)."""
    return hierarchy.containing(territory)


def active_inside(territory_id) -> sa.Select:
    """SQL: the ids of the active member collectivities of the territory and of every territory inside it."""
    return sa.select(Collectivity.id).where(
        Collectivity.status == CollectivityStatus.ACTIVE,
        Collectivity.territory_id.in_(hierarchy.inside(territory_id)),
    )


def member_counts(territory_ids: list[int]) -> dict[int, int]:
    """territory id -> its active member collectivities, itself and those inside it (1 query)."""
    if not territory_ids:
        return {}
    rows = db.session.execute(
        sa.select(TerritoryLink.ancestor_id, sa.func.count(Collectivity.id))
        .join(Collectivity, Collectivity.territory_id == TerritoryLink.descendant_id)
        .where(TerritoryLink.ancestor_id.in_(territory_ids), Collectivity.status == CollectivityStatus.ACTIVE)
        .group_by(TerritoryLink.ancestor_id)
    ).all()
    counts = dict.fromkeys(territory_ids, 0)
    counts.update({territory_id: count for territory_id, count in rows})
    return counts


@dataclass
class Group:
    """Territories of one kind, each with its number of member collectivities (rolled up)."""

    kind: str
    territories: list[Territory]
    members: dict[int, int]


def _groups(territories: list[Territory]) -> list[Group]:
    counts = member_counts([t.id for t in territories])
    groups: dict[str, list[Territory]] = {}
    for territory in territories:
        groups.setdefault(territory.kind, []).append(territory)
    return [Group(kind, items, counts) for kind, items in groups.items()]


def child_groups(territory: Territory) -> list[Group]:
    """The groupings inside a région, département or the Métropole, by kind then name, with their member
    counts (2 queries; none for the others)."""
    kinds = CHILD_KINDS.get(territory.kind)
    if not kinds:
        return []
    stmt = (
        sa.select(Territory)
        .where(
            Territory.kind.in_(kinds),
            Territory.id != territory.id,
            Territory.id.in_(hierarchy.inside(territory.id)),
        )
        .order_by(_kind_order(), Territory.name)
    )
    return _groups(list(db.session.scalars(stmt)))


def index_groups(region: Territory) -> list[Group]:
    """The région's départements, Métropole, EPTs and EPCIs with their member counts (2 queries)."""
    return child_groups(region)


def communes(territory: Territory, page: int = 1):
    """The communes a territory covers, by name, a page at a time (2 queries; none for a commune)."""
    if territory.kind == TerritoryKind.COMMUNE:
        return None
    stmt = (
        sa.select(Territory)
        .where(
            Territory.kind == TerritoryKind.COMMUNE,
            Territory.id != territory.id,
            Territory.id.in_(hierarchy.inside(territory.id)),
        )
        .order_by(Territory.name, Territory.code)
    )
    return db.paginate(stmt, page=max(1, page), per_page=COMMUNES_PER_PAGE, error_out=False)


def child_counts(territory: Territory) -> dict[str, int]:
    """{kind: number} of the groupings the page lists and of the communes covered (1 query)."""
    kinds = (*CHILD_KINDS.get(territory.kind, ()), *(() if territory.kind == "commune" else ("commune",)))
    if not kinds:
        return {}
    rows = db.session.execute(
        sa.select(Territory.kind, sa.func.count())
        .where(
            Territory.kind.in_(kinds),
            Territory.id != territory.id,
            Territory.id.in_(hierarchy.inside(territory.id)),
        )
        .group_by(Territory.kind)
    ).all()
    counts = dict.fromkeys(kinds, 0)
    counts.update(dict(rows))
    return {str(kind): count for kind, count in counts.items()}


def count_members(territory: Territory) -> int:
    return member_counts([territory.id])[territory.id]


def published_practices_inside(territory: Territory):
    return sa.and_(
        Practice.status == PracticeStatus.PUBLISHED,
        Practice.territory_id.in_(hierarchy.inside(territory.id)),
    )


def count_practices(territory: Territory) -> int:
    """Published practices of the territory and of those inside it (1 query)."""
    return db.session.scalar(sa.select(sa.func.count(Practice.id)).where(published_practices_inside(territory)))


@dataclass
class TerritorySummary:
    """What the API says of a territory beyond its own fields (9 queries)."""

    parents: list[Territory]
    #: the départements it lies in (itself for a département; none for the région and the Métropole)
    department_codes: list[str]
    children: dict[str, int]
    members: int
    practices: int
    #: figures.latest_figures: its latest figures as its page shows them (own, summed or recomputed)
    indicators: list[dict]


def territory_summary(territory: Territory) -> TerritorySummary:
    return TerritorySummary(
        parents=parents(territory),
        department_codes=territory.department_codes.split(),
        children=child_counts(territory),
        members=count_members(territory),
        practices=count_practices(territory),
        indicators=latest_figures(territory),
    )
