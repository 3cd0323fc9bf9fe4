"""« Le club »: who the members are, where, how many people they cover and bring, at the end of a period.

A collectivity is a member on a day when it was approved (status active, or left since), joined on or before
that day (or has no date, an old row) and had not left before it (it is still a member on its `left_on`).
The figures are taken on the period's last day, or today while the period runs. One query per figure.
"""

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app

from clubess.auth.models import User
from clubess.core.db import alias
from clubess.core.timezone import today
from clubess.dashboard.period import Period, in_window, quarter_of
from clubess.extensions import db
from clubess.members.hierarchy import departments_of
from clubess.members.models import Collectivity, CollectivityStatus, Member, Territory, TerritoryKind, TerritoryLink

APPROVED = (CollectivityStatus.ACTIVE.value, CollectivityStatus.LEFT.value)


def as_of(period: Period) -> date:
    """The day the period's figures are taken: its last day, or today while it runs."""
    return min(period.end.date() - timedelta(days=1), today())


def members_on(day: date) -> list:
    """SQL conditions on Collectivity: a member on `day` (see the module docstring)."""
    return [
        Collectivity.status.in_(APPROVED),
        sa.or_(Collectivity.joined_on.is_(None), Collectivity.joined_on <= day),
        sa.or_(Collectivity.left_on.is_(None), Collectivity.left_on >= day),
    ]


def by_kind(day: date) -> list[tuple[str, int]]:
    """(territory kind, member collectivities), most first."""
    rows = db.session.execute(
        sa.select(Territory.kind, sa.func.count())
        .select_from(Collectivity)
        .join(Territory, Territory.id == Collectivity.territory_id)
        .where(*members_on(day))
        .group_by(Territory.kind)
    ).all()
    return sorted(((kind, n) for kind, n in rows), key=lambda r: (-r[1], r[0]))


def by_department(day: date) -> list[tuple[str, str, int]]:
    """(code, name, member collectivities found under it) by code: a grouping over two départements counts
    under both, so the counts may add up to more than the members."""
    department = departments_of()
    rows = db.session.execute(
        sa.select(department.c.code, department.c.name, sa.func.count(sa.distinct(Collectivity.id)))
        .select_from(Collectivity)
        .join(department, department.c.territory_id == Collectivity.territory_id)
        .where(*members_on(day))
        .group_by(department.c.code, department.c.name)
        .order_by(department.c.code)
    ).all()
    return [(code, name or code, n) for code, name, n in rows]


@dataclass
class Coverage:
    #: inhabitants of the communes the members cover, each commune once
    covered: int
    #: inhabitants of the région (its reference row; the sum of its communes when it has none)
    region: int

    @property
    def share(self) -> float:
        return self.covered / self.region if self.region else 0.0


def coverage(day: date) -> Coverage:
    """The population the members cover: a member commune inside a member EPT counts once (one query)."""
    member_territories = sa.select(Collectivity.territory_id).where(*members_on(day))
    communes = sa.select(TerritoryLink.descendant_id).where(TerritoryLink.ancestor_id.in_(member_territories))
    commune = alias(Territory, "coverage_commune")
    region = alias(Territory, "coverage_region")
    covered = (
        sa.select(sa.func.coalesce(sa.func.sum(Territory.population), 0))
        .where(Territory.kind == TerritoryKind.COMMUNE.value, Territory.id.in_(communes))
        .scalar_subquery()
    )
    region_population = (
        sa.select(sa.func.max(region.population))
        .where(region.kind == TerritoryKind.REGION.value, region.code == current_app.config["CLUB_REGION_CODE"])
        .scalar_subquery()
    )
    all_communes = (
        sa.select(sa.func.coalesce(sa.func.sum(commune.population), 0))
        .where(commune.kind == TerritoryKind.COMMUNE.value)
        .scalar_subquery()
    )
    covered_n, region_n, communes_n = db.session.execute(sa.select(covered, region_population, all_communes)).one()
    return Coverage(int(covered_n or 0), int(region_n or communes_n or 0))


def new_members_per_quarter(period: Period) -> list[int]:
    """Collectivities that joined in each quarter of the period's year (those that left since included)."""
    bounds = [b.date() for b in period.quarter_starts]
    quarter = quarter_of(Collectivity.joined_on, bounds).label("quarter")
    rows = db.session.execute(
        sa.select(quarter, sa.func.count())
        .where(Collectivity.status.in_(APPROVED), in_window(Collectivity.joined_on, bounds[0], bounds[4]))
        .group_by(quarter)
    ).all()
    found = dict(rows)
    return [found.get(q, 0) for q in (1, 2, 3, 4)]


@dataclass
class Accounts:
    #: enabled accounts of people of member collectivities (coordinators and admins aside)
    enabled: int
    #: of which signed in since the period began (the last sign-in is all an account keeps)
    signed_in: int


def people_and_accounts(period: Period, day: date) -> tuple[dict[str, int], Accounts]:
    """Élus and agents of the member collectivities in office on `day` (erased people aside), and their
    people's accounts that can sign in and those used since the period began (one query)."""

    def count_if(condition):
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    in_office = sa.and_(
        Member.anonymised_at.is_(None),
        sa.or_(Member.mandate_start_on.is_(None), Member.mandate_start_on <= day),
        sa.or_(Member.mandate_end_on.is_(None), Member.mandate_end_on >= day),
    )
    account = sa.and_(User.id.is_not(None), User.is_enabled.is_(True))
    rows = db.session.execute(
        sa.select(
            Member.kind,
            count_if(in_office),
            count_if(account),
            count_if(sa.and_(account, User.last_login_at >= period.start)),
        )
        .join(Collectivity, Collectivity.id == Member.collectivity_id)
        .outerjoin(User, User.id == Member.user_id)
        .where(*members_on(day))
        .group_by(Member.kind)
    ).all()
    people = {kind: int(n) for kind, n, _accounts, _used in rows}
    return people, Accounts(sum(int(r[2]) for r in rows), sum(int(r[3]) for r in rows))
