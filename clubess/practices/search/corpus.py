"""What a worker caches of one index version: the vocabulary, the documents' facet data, their columns.

Rebuilt when the index version moves (`index.bump_version`; checked on every search: never stale).
"""

from collections import defaultdict
from dataclasses import dataclass

import sqlalchemy as sa

from clubess.actors.models import Organisation, OrganisationStatus, Solution, SolutionTerm, solution_territories
from clubess.extensions import db
from clubess.members.hierarchy import departments_of
from clubess.members.models import Territory
from clubess.practices.models import Practice, PracticeStatus, PracticeTerm, PracticeTheme, SearchState
from clubess.practices.search import columns as columnar
from clubess.practices.search.kinds import solution_key


@dataclass
class Corpus:
    """What a worker caches, for one index version: vocabulary, and the facet data of published practices."""

    version: int
    df: dict[str, int]
    by_letter: dict[str, list[str]]
    #: practice id -> (lever, territory_kind, département codes, year, ref, published timestamp, themes); the
    #: départements: the practice's own and those its territory is found under (clubess.members.hierarchy)
    meta: dict[int, tuple]
    #: the same documents numbered 0..N-1 in key order, their facet data as arrays
    columns: columnar.Columns = None


_CORPUS: dict[str, Corpus] = {}


def corpus() -> Corpus:
    """The cached corpus data, rebuilt when the index version moved (checked on every search: never stale)."""
    version = db.session.scalar(sa.select(SearchState.version).where(SearchState.id == 1)) or 0
    key = str(db.engine.url)
    cached = _CORPUS.get(key)
    if cached is not None and cached.version == version:
        return cached
    # counted per table, each in the order of its term index, then added up (grouping the union of the rows,
    # SQLite sorted all of them first: 6 s instead of 0.5 s at 50,000 practices)
    counts = sa.union_all(
        *(sa.select(column, sa.func.count()).group_by(column) for column in (PracticeTerm.term, SolutionTerm.term))
    )
    df: dict[str, int] = defaultdict(int)
    for term, count in db.session.execute(counts):
        df[term] += count
    df = dict(df)
    by_letter: dict[str, list[str]] = defaultdict(list)
    for term in df:
        by_letter[term[:1]].append(term)
    themes: dict[int, list[str]] = defaultdict(list)
    for practice_id, theme in db.session.execute(
        sa.select(PracticeTheme.practice_id, PracticeTheme.theme)
        .join(Practice, Practice.id == PracticeTheme.practice_id)
        .where(Practice.status == PracticeStatus.PUBLISHED)
    ):
        themes[practice_id].append(theme)
    department = departments_of()
    departments: dict[int, set[str]] = defaultdict(set)
    for practice_id, code in db.session.execute(
        sa.select(Practice.id, department.c.code)
        .join(department, department.c.territory_id == Practice.territory_id)
        .where(Practice.status == PracticeStatus.PUBLISHED)
    ):
        departments[practice_id].add(code)
    meta = {
        row[0]: (
            row[1],
            row[2],
            tuple(sorted(departments.get(row[0], set()) | ({row[3]} if row[3] else set()))),
            row[4],
            row[5],
            row[6].timestamp() if row[6] else 0.0,
            tuple(sorted(themes.get(row[0], ()))),
        )
        for row in db.session.execute(
            sa.select(
                Practice.id,
                Practice.lever,
                Practice.territory_kind,
                Practice.department_code,
                Practice.year,
                Practice.ref,
                Practice.published_at,
            ).where(Practice.status == PracticeStatus.PUBLISHED)
        )
    }
    meta.update(_solutions_meta())
    cached = Corpus(version, df, dict(by_letter), meta, columnar.build(meta))
    _CORPUS[key] = cached
    return cached


def _solutions_meta() -> dict[int, tuple]:
    """The published solutions' metadata, keyed as kinds.solution_key says (one query): no territory kind nor
    year; the départements of the territories they serve."""
    rows: dict[int, list] = {}
    for solution_id, lever, ref, published, themes, department in db.session.execute(
        sa.select(
            Solution.id, Solution.lever, Solution.ref, Solution.published_at, Solution.themes, Territory.department_code
        )
        .join(Organisation, Organisation.id == Solution.organisation_id)
        .outerjoin(solution_territories, solution_territories.c.solution_id == Solution.id)
        .outerjoin(Territory, Territory.id == solution_territories.c.territory_id)
        .where(Solution.status == PracticeStatus.PUBLISHED, Organisation.status == OrganisationStatus.ACTIVE)
    ):
        entry = rows.setdefault(solution_id, [lever, ref, published, themes, set()])
        if department:
            entry[4].add(department)
    return {
        solution_key(sid): (
            lever,
            None,
            tuple(sorted(departments)),
            None,
            ref,
            published.timestamp() if published else 0.0,
            tuple(sorted(set(themes or ()))),
        )
        for sid, (lever, ref, published, themes, departments) in rows.items()
    }


def vocabulary() -> tuple[dict[str, int], dict[str, list[str]]]:
    data = corpus()
    return data.df, data.by_letter
