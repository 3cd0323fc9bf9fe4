"""Search: query analysis with the thesaurus and typo tolerance, BM25F ranking, facets, highlights.

The index lives in the database (search_postings), so a practice published by one worker is found at
once by every other; scoring happens in the worker on the postings of the query terms, read once per index
version (postings.py) as arrays over the corpus' numbered documents (columns.py): every matching document is
scored, filtered and counted in the facets by whole-array operations, the same on SQLite and PostgreSQL, so the
same ranking.
"""

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field

import numpy as np
import sqlalchemy as sa
from markupsafe import Markup, escape
from unidecode import unidecode

from clubess.core.pagination import PageWindow
from clubess.extensions import db
from clubess.members.hierarchy import in_department, inside_target
from clubess.practices.models import Practice, PracticeTheme
from clubess.practices.search import columns as columnar
from clubess.practices.search import postings
from clubess.practices.search.analysis import analyze, stem
from clubess.practices.search.corpus import Corpus, corpus, vocabulary  # noqa: F401 (read as engine.X too)
from clubess.practices.search.expansion import contains, correct_typos, thesaurus
from clubess.practices.search.kinds import PRACTICE, SOLUTION

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
    #: the shown practices' scores and the stems of the query found in each (practice id ->)
    scores: dict[int, float]
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


#: terms found in more than this share of practices carry almost no information: left out of long queries
COMMON_SHARE = 0.15
MAX_QUERY_TERMS = 16


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


@dataclass
class Scored:
    """A query's BM25 scores over the corpus' columns (engine.Corpus.columns), and which terms each holds."""

    #: position -> score (0 where no term of the query is found)
    scores: np.ndarray
    #: position -> holds a term of the query (within the filters)
    hit: np.ndarray
    #: each term of the plan's weights found -> the positions holding it (ascending)
    terms: dict[str, np.ndarray]
    #: each multi-word synonym found -> (its stems, the positions holding all of them)
    phrases: list[tuple[tuple[str, ...], np.ndarray]]

    def matched(self, position: int) -> set[str]:
        """The stems of the query the document at `position` holds (asked for the results shown only)."""
        found = {term for term, positions in self.terms.items() if _holds(positions, position)}
        for stems, holders in self.phrases:
            if _holds(holders, position):
                found.update(stems)
        return found


def _holds(positions: np.ndarray, position: int) -> bool:
    at = int(np.searchsorted(positions, position))
    return at < len(positions) and positions[at] == position


def filter_mask(columns: columnar.Columns, filters: Filters) -> np.ndarray | None:
    """Boolean mask of the documents the filters accept (kinds and facets; None: every one)."""
    masks = []
    if not set(filters.kinds) >= {PRACTICE, SOLUTION}:
        masks.append(columns.is_practice if PRACTICE in filters.kinds else np.zeros(len(columns), dtype=bool))
        if SOLUTION in filters.kinds:
            masks[-1] = ~columns.is_practice
    if filters.lever:
        masks.append(columns.lever == columns.code("lever", filters.lever))
    if filters.territory_kind:
        masks.append(columns.territory_kind == columns.code("territory_kind", filters.territory_kind))
    if filters.department:
        masks.append(columns.holders("department", filters.department))
    if filters.year:
        masks.append(columns.year == columns.code("year", filters.year))
    if filters.theme:
        masks.append(columns.holders("theme", filters.theme))
    if not masks:
        return None
    mask = masks[0].copy()
    for other in masks[1:]:
        mask &= other
    return mask


def score_postings(plan: QueryPlan, filters: Filters) -> Scored:
    """BM25 over the postings of the plan's terms, every matching document at once (whole-array operations: the
    same sums in the same order as `rank`, so the same scores)."""
    data = corpus()
    columns = data.columns
    total_docs = len(data.meta)
    prune(plan, total_docs, data.df)
    terms = plan.all_terms()
    scored = Scored(np.zeros(len(columns)), np.zeros(len(columns), dtype=bool), {}, [])
    if not terms:
        return scored
    mask = filter_mask(columns, filters)
    part: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for term, (positions, weights) in postings.read(data, terms).items():
        if mask is not None:
            kept = mask[positions]
            positions, weights = positions[kept], weights[kept]
        if not len(positions):
            continue
        df = data.df.get(term, len(positions))
        idf = math.log(1 + (total_docs - df + 0.5) / (df + 0.5))
        part[term] = (positions, idf * weights * (K1 + 1) / (weights + K1))
    found = [(part[t][0], weight * part[t][1]) for t, weight in plan.weights.items() if t in part]
    if found:
        positions = np.concatenate([f[0] for f in found])
        # bincount adds each document's parts in the order of the terms, as `rank` does
        scored.scores = np.bincount(positions, weights=np.concatenate([f[1] for f in found]), minlength=len(columns))
        scored.hit[positions] = True
        scored.terms = {t: part[t][0] for t in plan.weights if t in part}
    for stems, weight, _expr in plan.phrases:
        if not all(t in part for t in stems):
            continue
        holders = part[stems[0]][0]
        for t in stems[1:]:
            holders = np.intersect1d(holders, part[t][0], assume_unique=True)
        if not len(holders):
            continue
        total = 0
        for t in stems:
            total = total + part[t][1][np.searchsorted(part[t][0], holders)]
        scored.scores[holders] += weight * total
        scored.hit[holders] = True
        scored.phrases.append((stems, holders))
    return scored


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
    columns = data.columns
    plan = plan_query(text) if text.strip() else QueryPlan()
    scored = None
    if plan.all_terms():
        scored = score_postings(plan, filters)
        selected = scored.hit
    else:
        mask = filter_mask(columns, filters)
        selected = np.ones(len(columns), dtype=bool) if mask is None else mask
    if filters.perimeter:
        inside = columns.positions(
            list(
                db.session.scalars(
                    sa.select(Practice.id).where(Practice.territory_id.in_(inside_target(filters.perimeter)))
                )
            )
        )
        perimeter = np.zeros(len(columns), dtype=bool)
        perimeter[inside[inside >= 0]] = True
        selected = selected & perimeter
    ranked = sort != "date" and scored is not None and selected.any()
    order = columns.order(selected, scored.scores if ranked else None)
    shown = [int(p) for p in order[(page - 1) * per_page : page * per_page]]
    page_ids = [int(columns.keys[p]) for p in shown]
    practices = (
        {p.id: p for p in db.session.scalars(sa.select(Practice).where(Practice.id.in_(page_ids)))} if page_ids else {}
    )
    return SearchResult(
        [practices[i] for i in page_ids if i in practices],
        len(order),
        page,
        per_page,
        columns.facets(selected),
        plan,
        {key: float(scored.scores[p]) for key, p in zip(page_ids, shown, strict=True)} if scored else {},
        {key: scored.matched(p) for key, p in zip(page_ids, shown, strict=True)} if scored else {},
    )


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
