"""Search: query analysis with the thesaurus and typo tolerance, BM25F ranking, facets, highlights.

The index lives in the database (search_postings), so a practice published by one worker is found at
once by every other; scoring happens in Python on the postings of the query terms, which gives the
same ranking on SQLite and PostgreSQL.
"""

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

import sqlalchemy as sa
from markupsafe import Markup, escape
from unidecode import unidecode

from clubess.actors.models import Organisation, OrganisationStatus, Solution, SolutionTerm, solution_territories
from clubess.core.pagination import PageWindow
from clubess.extensions import db
from clubess.members.hierarchy import departments_of, in_department, inside_target
from clubess.members.models import Territory
from clubess.practices.models import (
    Practice,
    PracticeStatus,
    PracticeTerm,
    PracticeTheme,
    SearchState,
)
from clubess.practices.search import postings
from clubess.practices.search.analysis import analyze, stem
from clubess.practices.search.expansion import contains, correct_typos, thesaurus
from clubess.practices.search.kinds import PRACTICE, SOLUTION, kind_of, solution_key

K1 = 1.2
SYNONYM_WEIGHT = 0.7


@dataclass
class Filters:
    lever: str = ""
    theme: str = ""
    territory_kind: str = ""
    department: str = ""
    year: int | None = None
    #: the code of a territory (clubess.members.hierarchy.find_target): practices there and inside it
    perimeter: str = ""
    #: the kinds of document searched (clubess.practices.search.kinds): the library's practices by default
    kinds: tuple[str, ...] = (PRACTICE,)

    def apply(self, stmt, practice=Practice):
        if self.lever:
            stmt = stmt.where(practice.lever == self.lever)
        if self.territory_kind:
            stmt = stmt.where(practice.territory_kind == self.territory_kind)
        if self.department:
            stmt = stmt.where(
                sa.or_(
                    practice.department_code == self.department,
                    practice.territory_id.in_(in_department(self.department)),
                )
            )
        if self.year:
            stmt = stmt.where(practice.year == self.year)
        if self.perimeter:
            stmt = stmt.where(practice.territory_id.in_(inside_target(self.perimeter)))
        if self.theme:
            stmt = stmt.where(
                sa.exists().where(PracticeTheme.practice_id == practice.id, PracticeTheme.theme == self.theme)
            )
        return stmt


@dataclass
class QueryPlan:
    """What a query means once analysed: weighted stems and where each came from (for the reasons)."""

    weights: dict[str, float] = field(default_factory=dict)
    #: stem -> the words of the query or the thesaurus expression it comes from
    origin: dict[str, str] = field(default_factory=dict)
    synonyms: list[tuple[str, str]] = field(default_factory=list)
    corrections: list[tuple[str, str]] = field(default_factory=list)
    #: multi-word synonyms: they count only where all their words are found
    phrases: list[tuple[tuple[str, ...], float, str]] = field(default_factory=list)

    def all_terms(self) -> set[str]:
        return set(self.weights) | {t for stems, _, _ in self.phrases for t in stems}

    def add(self, term: str, weight: float, origin: str) -> None:
        if weight > self.weights.get(term, 0):
            self.weights[term] = weight
            self.origin[term] = origin


@dataclass
class SearchResult(PageWindow):
    practices: list[Practice]
    total: int
    page: int
    per_page: int
    facets: dict[str, list[tuple]]
    plan: QueryPlan
    scores: dict[int, float]
    #: practice id -> stems of the query found in it
    matched: dict[int, set[str]]


def plan_query(text: str, weights: dict[str, float] | None = None, vocabulary_of=None) -> QueryPlan:
    """Analyse a query: its stems (weighted), thesaurus expansions, and typo corrections of unknown words.

    `vocabulary_of` gives the (df, by_letter) of the indexed terms typos are corrected to: the practices'
    by default; the resource centre passes its own documents'."""
    plan = QueryPlan()
    stems = analyze(text)
    for s in stems:
        plan.add(s, (weights or {}).get(s, 1.0), s)
    for group in thesaurus():
        present = [expr for expr, expr_stems in group if contains(stems, expr_stems)]
        if not present:
            continue
        for expr, expr_stems in group:
            if expr in present:
                continue
            plan.synonyms.append((present[0], expr))
            if len(expr_stems) == 1:
                plan.add(expr_stems[0], SYNONYM_WEIGHT, expr)
            else:
                plan.phrases.append((tuple(expr_stems), SYNONYM_WEIGHT / len(expr_stems), expr))
    correct_typos(plan, [s for s in dict.fromkeys(stems)], vocabulary_of or vocabulary)
    return plan


@dataclass
class Corpus:
    """What a worker caches, for one index version: vocabulary, and the facet data of published practices."""

    version: int
    df: dict[str, int]
    by_letter: dict[str, list[str]]
    #: practice id -> (lever, territory_kind, département codes, year, ref, published timestamp, themes); the
    #: départements: the practice's own and those its territory is found under (clubess.members.hierarchy)
    meta: dict[int, tuple]


_CORPUS: dict[str, Corpus] = {}
#: terms found in more than this share of practices carry almost no information: left out of long queries
COMMON_SHARE = 0.15
MAX_QUERY_TERMS = 16


def corpus() -> Corpus:
    """The cached corpus data, rebuilt when the index version moved (checked on every search: never stale)."""
    version = db.session.scalar(sa.select(SearchState.version).where(SearchState.id == 1)) or 0
    key = str(db.engine.url)
    cached = _CORPUS.get(key)
    if cached is not None and cached.version == version:
        return cached
    terms = sa.union_all(sa.select(PracticeTerm.term), sa.select(SolutionTerm.term)).subquery()
    df = dict(db.session.execute(sa.select(terms.c.term, sa.func.count()).group_by(terms.c.term)).all())
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
    cached = Corpus(version, df, dict(by_letter), meta)
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


def prune(plan: QueryPlan, total_docs: int, df: dict[str, int]) -> None:
    """Drop terms nobody uses, and in long queries the terms most documents contain (they rank nothing)."""
    for term in [t for t in plan.weights if t not in df]:
        del plan.weights[term]
    if len(plan.weights) > 4 and total_docs > 20:
        for term in [t for t in plan.weights if df[t] > COMMON_SHARE * total_docs]:
            del plan.weights[term]
    if len(plan.weights) > MAX_QUERY_TERMS:
        keep = sorted(plan.weights, key=lambda t: (df[t], t))[:MAX_QUERY_TERMS]
        plan.weights = {t: plan.weights[t] for t in keep}


def _accepts(filters: Filters, meta: tuple) -> bool:
    lever, kind, department, year, _ref, _published, themes = meta
    return (
        (not filters.lever or lever == filters.lever)
        and (not filters.territory_kind or kind == filters.territory_kind)
        and (not filters.department or filters.department in department)
        and (not filters.year or year == filters.year)
        and (not filters.theme or filters.theme in themes)
    )


def score_postings(plan: QueryPlan, filters: Filters):
    """BM25 over the postings of the plan's terms; returns (scores, matched stems per practice)."""
    data = corpus()
    total_docs = len(data.meta)
    prune(plan, total_docs, data.df)
    terms = plan.all_terms()
    if not terms:
        return {}, {}
    cached = postings.read(data, terms)
    # the matcher reads every kind without filters: the published postings as cached
    every_kind = set(filters.kinds) >= {PRACTICE, SOLUTION}
    filtered = any((filters.lever, filters.territory_kind, filters.department, filters.year, filters.theme))
    if every_kind and not filtered:
        weight_of = {term: docs for term, docs in cached.items() if docs}
    else:
        weight_of = {}
        for term, docs in cached.items():
            kept = {
                pid: w
                for pid, w in docs.items()
                if (every_kind or kind_of(pid) in filters.kinds) and (not filtered or _accepts(filters, data.meta[pid]))
            }
            if kept:
                weight_of[term] = kept
    return rank(plan, weight_of, data.df, total_docs)


def rank(plan: QueryPlan, weight_of: dict[str, dict[int, float]], df_of: dict[str, int], total_docs: int):
    """BM25 scores of the documents holding the plan's terms (`weight_of`: term -> document id -> its
    precomputed BM25F frequency); returns (scores, matched stems per document)."""
    part: dict[str, dict[int, float]] = {}
    for term, docs in weight_of.items():
        df = df_of.get(term, len(docs))
        idf = math.log(1 + (total_docs - df + 0.5) / (df + 0.5))
        part[term] = {pid: idf * w * (K1 + 1) / (w + K1) for pid, w in docs.items()}
    scores: dict[int, float] = defaultdict(float)
    matched: dict[int, set[str]] = defaultdict(set)
    for term, weight in plan.weights.items():
        for practice_id, value in part.get(term, {}).items():
            scores[practice_id] += weight * value
            matched[practice_id].add(term)
    for stems, weight, _expr in plan.phrases:
        holders = set.intersection(*(set(part.get(t, {})) for t in stems))
        for practice_id in holders:
            scores[practice_id] += weight * sum(part[t][practice_id] for t in stems)
            matched[practice_id].update(stems)
    return scores, matched


def search(
    text: str = "", filters: Filters | None = None, sort: str = "relevance", page: int = 1, per_page: int = 20
) -> SearchResult:
    """Published practices matching `text` (all of them without text), with facet counts."""
    filters = filters or Filters()
    page, per_page = max(1, page), max(1, min(per_page, 100))
    data = corpus()
    plan = plan_query(text) if text.strip() else QueryPlan()
    if plan.all_terms():
        scores, matched = score_postings(plan, filters)
        ids = list(scores)
    else:
        scores, matched = {}, {}
        ids = [pid for pid, meta in data.meta.items() if kind_of(pid) in filters.kinds and _accepts(filters, meta)]
    if filters.perimeter:
        inside = set(
            db.session.scalars(
                sa.select(Practice.id).where(Practice.territory_id.in_(inside_target(filters.perimeter)))
            )
        )
        ids = [i for i in ids if i in inside]
    if sort == "date" or not scores:
        order = sorted(ids, key=lambda i: (-data.meta[i][5], data.meta[i][4]))
    else:
        # rounded so that float noise from the row order never changes a tie between databases
        order = sorted(ids, key=lambda i: (-int(scores[i] * 1e9), data.meta[i][4]))
    page_ids = order[(page - 1) * per_page : page * per_page]
    practices = (
        {p.id: p for p in db.session.scalars(sa.select(Practice).where(Practice.id.in_(page_ids)))} if page_ids else {}
    )
    return SearchResult(
        [practices[i] for i in page_ids if i in practices],
        len(order),
        page,
        per_page,
        _facets([data.meta[i] for i in order]),
        plan,
        dict(scores),
        dict(matched),
    )


def _facets(rows: list[tuple]) -> dict[str, list[tuple]]:
    counts = {name: defaultdict(int) for name in ("lever", "territory_kind", "department", "year", "theme")}
    for lever, kind, department, year, _ref, _published, themes in rows:
        counts["lever"][lever] += 1
        if kind:
            counts["territory_kind"][kind] += 1
        for code in department:
            counts["department"][code] += 1
        if year:
            counts["year"][year] += 1
        for theme in themes:
            counts["theme"][theme] += 1
    facets = {name: sorted(c.items(), key=lambda kv: (-kv[1], str(kv[0]))) for name, c in counts.items()}
    facets["year"] = sorted(counts["year"].items(), reverse=True)
    facets["theme"] = facets["theme"][:20]
    return facets


_WORD_SPLIT = re.compile(r"(\w+)", re.UNICODE)


def highlight(text: str, stems: set[str]) -> Markup:
    """Escape `text` and wrap the words whose stem was matched in <mark>."""
    if not text or not stems:
        return escape(text or "")
    out = []
    for part in _WORD_SPLIT.split(text):
        if part and _WORD_SPLIT.fullmatch(part) and stem(unidecode(part).lower()) in stems:
            out.append(Markup("<mark>%s</mark>") % part)
        else:
            out.append(escape(part))
    return Markup("").join(out)
