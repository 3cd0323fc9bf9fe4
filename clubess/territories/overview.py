"""The sections « membres » and « pratiques » of a territory page: the member collectivities and their people,
the published practices, for the territory and everything inside it.

Visitors read counts and names of collectivities (public, as in the directory) and titles of practices (as on
the library's public overview); members and coordinators read the people who agreed to appear in the directory
(clubess.members.directory.people_for_directory: current mandates only) and open the practices.
"""

from collections.abc import Mapping

import sqlalchemy as sa

from clubess.core.inputs import parse_int
from clubess.core.vocabulary import LEVERS
from clubess.extensions import db
from clubess.members import hierarchy
from clubess.members.directory import people_for_directory
from clubess.members.models import Collectivity, CollectivityStatus, Member, MemberKind, Territory
from clubess.practices.models import Practice
from clubess.territories import browse, sections
from clubess.territories.sections import Section, Viewer

#: member collectivities listed a page at a time (the directory, filtered on the territory, lists them all)
MEMBERS_PER_PAGE = 50
#: practices listed on the page (the library, filtered on the territory, lists them all)
PRACTICES_SHOWN = 10


def page_arg(args: Mapping[str, str], name: str) -> int:
    """A section's own page number in the query string: 1 when absent or malformed, at most 10,000."""
    return parse_int(args.get(name, ""), minimum=1, maximum=10_000) or 1


def is_target(territory: Territory) -> bool:
    """Whether the directory and the library can be filtered on it (« perimetre »)."""
    return territory.kind in hierarchy.TARGET_KINDS


def members_context(territory: Territory, viewer: Viewer, args: Mapping[str, str]) -> dict:
    """The active member collectivities inside, a page at a time; their élus and agents counted (current
    mandates); their names for members, within each person's consent (4 to 6 queries)."""
    inside = hierarchy.inside(territory.id)
    kind_order = sa.case(browse.KIND_ORDER, value=Territory.kind)
    stmt = (
        sa.select(Collectivity)
        .join(Collectivity.territory)
        .where(Collectivity.status == CollectivityStatus.ACTIVE, Territory.id.in_(inside))
        .order_by(kind_order, Territory.name, Collectivity.id)
    )
    pagination = db.paginate(
        stmt, page=page_arg(args, "membres"), per_page=MEMBERS_PER_PAGE, max_per_page=MEMBERS_PER_PAGE, error_out=False
    )
    rows = db.session.execute(
        sa.select(Member.kind, sa.func.count(Member.id))
        .where(
            Member.collectivity_id.in_(browse.active_inside(territory.id)),
            Member.anonymised_at.is_(None),
            sa.or_(Member.mandate_end_on.is_(None), Member.mandate_end_on >= sa.func.current_date()),
        )
        .group_by(Member.kind)
    ).all()
    people_counts = {kind.value: 0 for kind in MemberKind} | dict(rows)
    people = people_for_directory(viewer.user, pagination.items) if viewer.is_member else {}
    return {
        "territory": territory,
        "members": pagination,
        "people_counts": people_counts,
        "people": people,
        "show_people": viewer.is_member,
        "directory_code": territory.code if is_target(territory) else "",
    }


def practices_context(territory: Territory, viewer: Viewer, args: Mapping[str, str]) -> dict:
    """Published practices run inside: counted by lever, the latest listed (2 queries)."""
    published = browse.published_practices_inside(territory)
    by_lever = dict(
        db.session.execute(sa.select(Practice.lever, sa.func.count()).where(published).group_by(Practice.lever)).all()
    )
    latest = list(
        db.session.scalars(
            sa.select(Practice)
            .where(published)
            .order_by(Practice.published_at.desc().nulls_last(), Practice.ref)
            .limit(PRACTICES_SHOWN)
        )
    )
    return {
        "territory": territory,
        "practice_total": sum(by_lever.values()),
        "practice_levers": [(key, label, by_lever.get(key, 0)) for key, label in LEVERS.items()],
        "practices": latest,
        "library_code": territory.code if is_target(territory) else "",
    }


def register_sections() -> None:
    """The core sections of a territory page: these two, and those of overview_activity."""
    from clubess.territories import overview_activity

    sections.register(Section("membres", "territories/_membres.html", members_context, order=10))
    sections.register(Section("pratiques", "territories/_pratiques.html", practices_context, order=20))
    overview_activity.register_sections()
