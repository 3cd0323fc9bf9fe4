"""The member directory: what each person agreed to show, and a public view without personal data."""

import sqlalchemy as sa

from clubess.core.errors import Forbidden
from clubess.core.permissions import Role, has_role
from clubess.extensions import db
from clubess.members.hierarchy import departments_of, in_department, inside_target
from clubess.members.models import Collectivity, CollectivityStatus, Member, Territory


def _has_interest(interest: str):
    # JSON list stored as text on both databases: match the quoted value
    return sa.cast(Member.interests, sa.String).contains(f'"{interest}"', autoescape=True)


def list_member_collectivities(
    department: str = "", kind: str = "", page: int = 1, per_page: int = 30, interest: str = "", territory: str = ""
):
    """Active collectivities with their territory, filtered; visible to everyone (no personal data).

    With `interest`, only collectivities where someone visible in the directory declared it; with `territory`
    (a code, see clubess.members.hierarchy.find_target), only that territory and those inside it.
    """
    stmt = (
        sa.select(Collectivity)
        .join(Collectivity.territory)
        .where(Collectivity.status == CollectivityStatus.ACTIVE)
        .order_by(Territory.department_code, Territory.name)
    )
    if department:
        stmt = stmt.where(Territory.id.in_(in_department(department)))
    if kind:
        stmt = stmt.where(Territory.kind == kind)
    if territory:
        stmt = stmt.where(Territory.id.in_(inside_target(territory)))
    if interest:
        stmt = stmt.where(
            Collectivity.id.in_(
                sa.select(Member.collectivity_id).where(Member.show_in_directory.is_(True), _has_interest(interest))
            )
        )
    return db.paginate(stmt, page=max(1, page), per_page=per_page, max_per_page=100, error_out=False)


def count_by_department() -> list[tuple[str | None, str, int]]:
    """(code, name, count) of member collectivities per département; code None for those without one
    (the région, the métropole), last. A grouping spanning two départements counts in both. One query."""
    department = departments_of()
    rows = db.session.execute(
        sa.select(department.c.code, sa.func.max(department.c.name), sa.func.count(Collectivity.id))
        .select_from(Collectivity)
        .outerjoin(department, department.c.territory_id == Collectivity.territory_id)
        .where(Collectivity.status == CollectivityStatus.ACTIVE)
        .group_by(department.c.code)
    ).all()
    return sorted(((code, name or code or "", count) for code, name, count in rows), key=lambda r: (r[0] is None, r[0]))


def people_for_directory(actor, collectivities: list[Collectivity], interest: str = "") -> dict[int, list[Member]]:
    """Current people of these collectivities who agreed to appear, in one query (members only)."""
    if not has_role(actor, Role.MEMBER):
        raise Forbidden("members only")
    ids = [c.id for c in collectivities]
    if not ids:
        return {}
    stmt = (
        sa.select(Member)
        .where(
            Member.collectivity_id.in_(ids),
            Member.show_in_directory.is_(True),
            Member.anonymised_at.is_(None),
            sa.or_(Member.mandate_end_on.is_(None), Member.mandate_end_on >= sa.func.current_date()),
        )
        .order_by(Member.last_name, Member.first_name)
    )
    people: dict[int, list[Member]] = {i: [] for i in ids}
    if interest:
        stmt = stmt.where(_has_interest(interest))
    for member in db.session.scalars(stmt):
        people[member.collectivity_id].append(member)
    return people
