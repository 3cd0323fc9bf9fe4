"""Which territories contain which: the one answer every filter, count and invitation by territory uses.

The rules, computed from the loaded territories (`refresh_links`, run by `flask territories load`) into
`territory_links` (ancestor, descendant), every territory linked to itself:

- a territory *covers* communes: a commune itself; a département the communes whose `department_code` is
  its code; an EPT, EPCI or the Métropole the communes whose direct grouping it is, and the communes of its
  own members (the Métropole covers the communes of its EPTs and Paris, its member in no EPT); the région
  every commune;
- A lies in B when every commune A covers, B covers too (so Paris the commune and Paris the département lie
  in each other, and count as one for filters; the départements 75, 92, 93 and 94 lie in the Métropole;
  everything lies in the région);
- an EPT or EPCI lies, for filters by département, in every département one of its communes is in
  (Boucle Nord de Seine in 92 and 95), though that département does not cover its other communes.

A territory covering no commune (a partial reference file) lies in itself and the région only.
"""

from collections import defaultdict

import sqlalchemy as sa

from clubess.extensions import db
from clubess.members.models import Territory, TerritoryKind, TerritoryLink

GROUPINGS = (TerritoryKind.METROPOLE, TerritoryKind.EPT, TerritoryKind.EPCI)


def _coverage(territories: list[Territory]) -> dict[int, frozenset[int]]:
    """territory id -> the ids of the communes it covers."""
    communes = [t for t in territories if t.kind == TerritoryKind.COMMUNE]
    by_code = {(t.kind, t.code): t for t in territories}
    grouping_by_code = {t.code: t for t in territories if t.kind in GROUPINGS}
    covered: dict[int, set[int]] = defaultdict(set)
    for commune in communes:
        covered[commune.id].add(commune.id)
        department = by_code.get((TerritoryKind.DEPARTEMENT, commune.department_code))
        if department is not None:
            covered[department.id].add(commune.id)
        seen: set[str] = set()
        grouping = grouping_by_code.get(commune.parent_code or "")
        while grouping is not None and grouping.code not in seen:  # the EPT, then the Métropole
            seen.add(grouping.code)
            covered[grouping.id].add(commune.id)
            grouping = grouping_by_code.get(grouping.parent_code or "")
        for region in (t for t in territories if t.kind == TerritoryKind.REGION):
            covered[region.id].add(commune.id)
    return {t.id: frozenset(covered.get(t.id, ())) for t in territories}


def compute_links(territories: list[Territory]) -> set[tuple[int, int]]:
    """(ancestor id, descendant id) pairs, by the rules of this module's docstring."""
    coverage = _coverage(territories)
    regions = {t.id for t in territories if t.kind == TerritoryKind.REGION}
    departments = {t.id for t in territories if t.kind == TerritoryKind.DEPARTEMENT}
    # for each commune, the territories covering it: A's ancestors are those covering all of A's communes
    covering: dict[int, set[int]] = defaultdict(set)
    for territory_id, communes in coverage.items():
        for commune_id in communes:
            covering[commune_id].add(territory_id)
    links: set[tuple[int, int]] = set()
    for territory in territories:
        communes = coverage[territory.id]
        if not communes:
            ancestors = {territory.id} | regions
        else:
            ancestors = set.intersection(*(covering[c] for c in communes)) | {territory.id}
            if territory.kind in (TerritoryKind.EPT, TerritoryKind.EPCI):
                ancestors |= departments & set().union(*(covering[c] for c in communes))
        links.update((ancestor, territory.id) for ancestor in ancestors)
    return links


def refresh_links() -> dict[str, int]:
    """Bring territory_links in line with the territories (idempotent; flush, never commit)."""
    territories = list(db.session.scalars(sa.select(Territory)))
    wanted = compute_links(territories)
    existing = set(db.session.execute(sa.select(TerritoryLink.ancestor_id, TerritoryLink.descendant_id)))
    stale = existing - wanted
    for ancestor_id, descendant_id in stale:
        db.session.execute(
            sa.delete(TerritoryLink).where(
                TerritoryLink.ancestor_id == ancestor_id, TerritoryLink.descendant_id == descendant_id
            )
        )
    added = sorted(wanted - existing)
    if added:
        db.session.execute(sa.insert(TerritoryLink), [{"ancestor_id": a, "descendant_id": d} for a, d in added])
    db.session.flush()
    return {"links": len(wanted), "added": len(added), "removed": len(stale)}


def inside(territory_id) -> sa.Select:
    """SQL: the ids of the territory and of every territory inside it (for `Territory.id.in_(...)`).
    `territory_id` is an int or a SQL expression."""
    return sa.select(TerritoryLink.descendant_id).where(TerritoryLink.ancestor_id == territory_id)


def in_department(code: str) -> sa.Select:
    """SQL: the ids of the territories found under the département `code` (itself, its communes, the
    groupings with a commune in it, Paris the commune for 75)."""
    department = (
        sa.select(Territory.id)
        .where(Territory.kind == TerritoryKind.DEPARTEMENT, Territory.code == code)
        .scalar_subquery()
    )
    return inside(department)


def containing(territory: Territory) -> list[Territory]:
    """The territories this one lies in, itself excluded, largest first (région, Métropole, département…)."""
    order = sa.case({k.value: i for i, k in enumerate(TerritoryKind)}, value=Territory.kind)
    stmt = (
        sa.select(Territory)
        .join(TerritoryLink, TerritoryLink.ancestor_id == Territory.id)
        .where(TerritoryLink.descendant_id == territory.id, Territory.id != territory.id)
        .order_by(order, Territory.code)
    )
    return list(db.session.scalars(stmt))


def covered_communes(territory: Territory) -> list[Territory]:
    """The communes this territory covers (a département: its communes only, not the other communes of an
    EPT that spans two), by name."""
    communes = sa.select(TerritoryLink.descendant_id).where(TerritoryLink.ancestor_id == territory.id)
    stmt = sa.select(Territory).where(Territory.kind == TerritoryKind.COMMUNE, Territory.id.in_(communes))
    return list(db.session.scalars(stmt.order_by(Territory.name, Territory.code)))
