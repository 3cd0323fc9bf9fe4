"""Which territories contain which: the one answer every filter, count and invitation by territory uses.

The rules, computed from the loaded territories (`refresh_links`, run by `flask territories load`) into
`territory_links` (ancestor, descendant), every territory linked to itself:

- a territory *covers* communes: a commune itself; a département the communes whose `department_code` is
  its code; an EPT, EPCI or the Métropole the communes whose direct grouping it is, and the communes of its
  own members (the Métropole covers the communes of its EPTs and Paris, its member in no EPT); the région
  every commune;
- a commune lies in its département; an EPT or EPCI in every département one of its communes is in
  (Boucle Nord de Seine in 92 and 95), though that département does not cover its other communes;
- a territory other than the Métropole lies in every EPT, EPCI or Métropole covering all its communes (a
  commune in its EPT or EPCI and the Métropole, an EPT in the Métropole, the départements 75, 92, 93 and 94
  in the Métropole); the Métropole lies in no département (it spans six);
- Paris the commune and Paris the département lie in each other: one for filters;
- everything lies in the région, and in itself.

"""

from collections import defaultdict

import sqlalchemy as sa

from clubess.core.db import alias
from clubess.extensions import db
from clubess.members.models import Territory, TerritoryKind, TerritoryLink

GROUPINGS = (TerritoryKind.METROPOLE, TerritoryKind.EPT, TerritoryKind.EPCI)
#: a commune that is also a département (Paris, a collectivité à statut particulier since 2019)
COMMUNE_DEPARTEMENTS = {"75056": "75"}


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
    by_code = {(t.kind, t.code): t for t in territories}
    regions = {t.id for t in territories if t.kind == TerritoryKind.REGION}
    departments = [t for t in territories if t.kind == TerritoryKind.DEPARTEMENT]
    groupings = [t for t in territories if t.kind in GROUPINGS]
    metropoles = [t for t in groupings if t.kind == TerritoryKind.METROPOLE]
    links: set[tuple[int, int]] = set()
    for territory in territories:
        communes = coverage[territory.id]
        ancestors = {territory.id} | regions
        if territory.kind == TerritoryKind.COMMUNE or territory.kind in (TerritoryKind.EPT, TerritoryKind.EPCI):
            # a commune in its département; an EPT or EPCI in every département it has a commune in
            ancestors |= {d.id for d in departments if communes & coverage[d.id]}
        if territory.kind != TerritoryKind.METROPOLE:
            # in every grouping covering all its communes (an EPT's communes: the Métropole's; a commune: its
            # EPT or EPCI; the départements 75, 92, 93, 94: the Métropole's). A département only in the
            # Métropole: never in an EPT or EPCI, even in a partial file.
            within = metropoles if territory.kind == TerritoryKind.DEPARTEMENT else groupings
            ancestors |= {g.id for g in within if communes and g.id != territory.id and communes <= coverage[g.id]}
        links.update((ancestor, territory.id) for ancestor in ancestors)
    for commune_code, department_code in COMMUNE_DEPARTEMENTS.items():
        commune = by_code.get((TerritoryKind.COMMUNE, commune_code))
        department = by_code.get((TerritoryKind.DEPARTEMENT, department_code))
        if commune is not None and department is not None:
            links.add((commune.id, department.id))  # one for filters, both ways
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
    department_code = {t.id: t.code for t in territories if t.kind == TerritoryKind.DEPARTEMENT}
    found_under: dict[int, set[str]] = defaultdict(set)
    for ancestor_id, descendant_id in wanted:
        if ancestor_id in department_code:
            found_under[descendant_id].add(department_code[ancestor_id])
    for territory in territories:
        codes = " ".join(sorted(found_under.get(territory.id, ())))
        if territory.department_codes != codes:
            territory.department_codes = codes
    db.session.flush()
    return {"links": len(wanted), "added": len(added), "removed": len(stale)}


def inside(territory_id) -> sa.Select:
    """SQL: the ids of the territory and of every territory inside it (for `Territory.id.in_(...)`).
    `territory_id` is an int or a SQL expression."""
    return sa.select(TerritoryLink.descendant_id).where(TerritoryLink.ancestor_id == territory_id)


def in_departments(codes) -> sa.Select:
    """SQL: the ids of the territories found under any of the départements `codes` (each itself, its
    communes, the groupings with a commune in it, Paris the commune for 75)."""
    department = alias(Territory, "in_department")
    return (
        sa.select(TerritoryLink.descendant_id)
        .join(department, department.id == TerritoryLink.ancestor_id)
        .where(department.kind == TerritoryKind.DEPARTEMENT, department.code.in_(list(codes)))
    )


def in_department(code: str) -> sa.Select:
    return in_departments([code])


def departments_of() -> sa.Subquery:
    """SQL (territory_id, code, name): one row per territory and département it is found under, for counts
    and choices by département (outer-join it: the région and the Métropole have none)."""
    department = alias(Territory, "found_under")
    return (
        sa.select(
            TerritoryLink.descendant_id.label("territory_id"),
            department.code.label("code"),
            department.name.label("name"),
        )
        .join(department, department.id == TerritoryLink.ancestor_id)
        .where(department.kind == TerritoryKind.DEPARTEMENT)
        .subquery("departments_of")
    )


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


#: the territories a filter can target with "and everything inside it" (a commune holds nothing else)
TARGET_KINDS = (
    TerritoryKind.REGION,
    TerritoryKind.DEPARTEMENT,
    TerritoryKind.METROPOLE,
    TerritoryKind.EPT,
    TerritoryKind.EPCI,
)


def targets() -> list[Territory]:
    """The région, départements, Métropole, EPTs and EPCIs, in that order then by name (1 query)."""
    order = sa.case({k.value: i for i, k in enumerate(TerritoryKind)}, value=Territory.kind)
    stmt = sa.select(Territory).where(Territory.kind.in_(TARGET_KINDS)).order_by(order, Territory.name)
    return list(db.session.scalars(stmt))


def find_target(code: str) -> Territory | None:
    """The target territory with this code (INSEE or SIREN), None when there is none."""
    code = (code or "").strip()[:12]
    if not code:
        return None
    stmt = sa.select(Territory).where(Territory.kind.in_(TARGET_KINDS), Territory.code == code).limit(1)
    return db.session.scalar(stmt)


def inside_target(code: str) -> sa.Select:
    """SQL: the ids of the target territory with this code and of everything inside it (none for no target)."""
    target = alias(Territory, "target")
    return (
        sa.select(TerritoryLink.descendant_id)
        .join(target, target.id == TerritoryLink.ancestor_id)
        .where(target.kind.in_(TARGET_KINDS), target.code == code)
    )
