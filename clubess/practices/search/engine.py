"""Search: query analysis with the thesaurus and typo tolerance, BM25F ranking, facets, highlights.

The index lives in the database (practice_terms), so a practice published by one worker is found at
once by every other; scoring happens in Python on the postings of the query terms, which gives the
same ranking on SQLite and PostgreSQL.
"""

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC

import sqlalchemy as sa
from markupsafe import Markup, escape
from unidecode import unidecode

from clubess.extensions import db
from clubess.practices.models import (
    Practice,
    PracticeStatus,
    PracticeTerm,
    PracticeTheme,
    SearchState,
    ThesaurusEntry,
)
from clubess.practices.search.analysis import STOP_WORDS, analyze, edit_distance, stem

#: title > themes > summary > description
FIELD_WEIGHTS = {"t": 3.0, "h": 2.0, "s": 1.5, "d": 1.0}
LENGTH_COLUMNS = {"t": "len_title", "h": "len_themes", "s": "len_summary", "d": "len_description"}
K1, B = 1.2, 0.75
SYNONYM_WEIGHT = 0.7
TYPO_WEIGHT = 0.8


@dataclass
class Filters:
    lever: str = ""
    theme: str = ""
    territory_kind: str = ""
    department: str = ""
    year: int | None = None

    def apply(self, stmt, practice=Practice):
        if self.lever:
            stmt = stmt.where(practice.lever == self.lever)
        if self.territory_kind:
            stmt = stmt.where(practice.territory_kind == self.territory_kind)
        if self.department:
            stmt = stmt.where(practice.department_code == self.department)
        if self.year:
            stmt = stmt.where(practice.year == self.year)
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
class SearchResult:
    practices: list[Practice]
    total: int
    page: int
    per_page: int
    facets: dict[str, list[tuple]]
    plan: QueryPlan
    scores: dict[int, float]
    #: practice id -> stems of the query found in it
    matched: dict[int, set[str]]

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    # the pagination macro's interface (as Flask-SQLAlchemy's Pagination)
    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def prev_num(self) -> int:
        return self.page - 1

    @property
    def next_num(self) -> int:
        return self.page + 1

    def iter_pages(self, left_edge=1, right_edge=1, left_current=2, right_current=2):
        last = 0
        for n in range(1, self.pages + 1):
            if (
                n <= left_edge
                or self.page - left_current <= n <= self.page + right_current
                or n > self.pages - right_edge
            ):
                if last + 1 != n:
                    yield None
                yield n
                last = n


def _thesaurus() -> list[list[tuple[str, list[str]]]]:
    """Each group as [(expression, stems)]: one small query, so edits apply at once in every worker."""
    groups = []
    for entry in db.session.scalars(sa.select(ThesaurusEntry)):
        groups.append([(e, analyze(e)) for e in entry.expression_list if analyze(e)])
    return groups


def _contains(sequence: list[str], part: list[str]) -> bool:
    n = len(part)
    return any(sequence[i : i + n] == part for i in range(len(sequence) - n + 1))


def plan_query(text: str, weights: dict[str, float] | None = None) -> QueryPlan:
    """Analyse a query: its stems (weighted), thesaurus expansions, and typo corrections of unknown words."""
    plan = QueryPlan()
    stems = analyze(text)
    for s in stems:
        plan.add(s, (weights or {}).get(s, 1.0), s)
    for group in _thesaurus():
        present = [expr for expr, expr_stems in group if _contains(stems, expr_stems)]
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
    _correct_typos(plan, [s for s in dict.fromkeys(stems)])
    return plan


#: per-process cache of the vocabulary (term -> document frequency), valid for one index version
_VOCABULARY: dict[str, tuple[int, dict[str, int], dict[str, list[str]]]] = {}
#: terms found in more than this share of practices carry almost no information: left out of long queries
COMMON_SHARE = 0.15
MAX_QUERY_TERMS = 16


def vocabulary() -> tuple[dict[str, int], dict[str, list[str]]]:
    """Every indexed term with its document frequency, and the terms by first letter (for typo search).

    Cached per process but checked against the index version on every call, so it is never stale.
    """
    version = db.session.scalar(sa.select(SearchState.version).where(SearchState.id == 1)) or 0
    key = str(db.engine.url)
    cached = _VOCABULARY.get(key)
    if cached is None or cached[0] != version:
        df = dict(
            db.session.execute(
                sa.select(PracticeTerm.term, sa.func.count(sa.distinct(PracticeTerm.practice_id))).group_by(
                    PracticeTerm.term
                )
            ).all()
        )
        by_letter: dict[str, list[str]] = defaultdict(list)
        for term in df:
            by_letter[term[:1]].append(term)
        cached = (version, df, dict(by_letter))
        _VOCABULARY[key] = cached
    return cached[1], cached[2]


def _correct_typos(plan: QueryPlan, stems: list[str]) -> None:
    """A query word no published practice contains is replaced by the closest indexed term (edit distance)."""
    if not stems:
        return
    df, by_letter = vocabulary()
    for s in stems:
        if s in df or len(s) < 4 or s.isdigit() or s in STOP_WORDS:
            continue
        limit = 1 if len(s) <= 6 else 2
        scored = [
            (d, -df[term], term)
            for term in by_letter.get(s[:1], ())
            if abs(len(term) - len(s)) <= limit and (d := edit_distance(s, term, limit)) <= limit
        ]
        if scored:
            best = min(scored)
            plan.add(best[2], TYPO_WEIGHT * plan.weights.get(s, 1.0), s)
            plan.corrections.append((s, best[2]))


def _prune(plan: QueryPlan, total_docs: int) -> None:
    """Drop terms nobody uses, and in long queries the terms most practices contain (they rank nothing)."""
    df, _ = vocabulary()
    for term in [t for t in plan.weights if t not in df]:
        del plan.weights[term]
    if len(plan.weights) > 4 and total_docs > 20:
        for term in [t for t in plan.weights if df[t] > COMMON_SHARE * total_docs]:
            del plan.weights[term]
    if len(plan.weights) > MAX_QUERY_TERMS:
        keep = sorted(plan.weights, key=lambda t: df[t])[:MAX_QUERY_TERMS]
        plan.weights = {t: plan.weights[t] for t in keep}


def _stats() -> tuple[int, dict[str, float]]:
    row = db.session.execute(
        sa.select(sa.func.count(), *[sa.func.avg(getattr(Practice, c)) for c in LENGTH_COLUMNS.values()]).where(
            Practice.status == PracticeStatus.PUBLISHED
        )
    ).one()
    return row[0], {f: float(v or 1.0) or 1.0 for f, v in zip(LENGTH_COLUMNS, row[1:], strict=True)}


def score_postings(plan: QueryPlan, filters: Filters, extra=None):
    """BM25F over the postings of the plan's terms; returns (scores, matched stems, metadata per practice)."""
    total_docs, avg = _stats()
    _prune(plan, total_docs)
    terms = plan.all_terms()
    if not terms:
        return {}, {}, {}
    stmt = (
        sa.select(
            PracticeTerm.practice_id,
            PracticeTerm.field,
            PracticeTerm.term,
            PracticeTerm.tf,
            # only the length of the posting's own field: fewer columns, fewer conversions per row
            sa.case(
                (PracticeTerm.field == "t", Practice.len_title),
                (PracticeTerm.field == "h", Practice.len_themes),
                (PracticeTerm.field == "s", Practice.len_summary),
                else_=Practice.len_description,
            ),
            Practice.lever,
            Practice.territory_kind,
            Practice.department_code,
            Practice.year,
            Practice.ref,
        )
        .join(Practice, Practice.id == PracticeTerm.practice_id)
        .where(PracticeTerm.term.in_(sorted(terms)), Practice.status == PracticeStatus.PUBLISHED)
    )
    stmt = filters.apply(stmt)
    if extra is not None:
        stmt = extra(stmt)
    # term -> practice -> weighted, length-normalised frequency
    tf: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    meta: dict[int, tuple] = {}
    for practice_id, fld, term, freq, length, *rest in db.session.execute(stmt):
        norm = 1 - B + B * (length or 1) / avg[fld]
        tf[term][practice_id] += FIELD_WEIGHTS[fld] * freq / norm
        meta[practice_id] = rest
    # BM25 contribution of each term to each practice, before the query's weights
    part: dict[str, dict[int, float]] = {}
    for term, docs in tf.items():
        idf = math.log(1 + (total_docs - len(docs) + 0.5) / (len(docs) + 0.5))
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
    meta = {pid: m for pid, m in meta.items() if pid in scores}
    return scores, matched, meta


def search(
    text: str = "", filters: Filters | None = None, sort: str = "relevance", page: int = 1, per_page: int = 20
) -> SearchResult:
    """Published practices matching `text` (all of them without text), with facet counts."""
    filters = filters or Filters()
    page, per_page = max(1, page), max(1, min(per_page, 100))
    plan = plan_query(text) if text.strip() else QueryPlan()
    if plan.all_terms():
        scores, matched, meta = score_postings(plan, filters)
        if sort == "date":
            dates = dict(
                db.session.execute(
                    sa.select(Practice.id, Practice.published_at).where(Practice.id.in_(list(scores)[:30000]))
                ).all()
            )
            order = sorted(scores, key=lambda i: (dates.get(i) or _epoch(), meta[i][4]), reverse=True)
        else:
            order = sorted(scores, key=lambda i: (-round(scores[i], 9), meta[i][4]))
        total = len(order)
        page_ids = order[(page - 1) * per_page : page * per_page]
        facets = _facets_from_meta([meta[i] for i in order])
        facets["theme"] = _theme_counts(order)
    else:
        scores, matched = {}, {}
        base = filters.apply(sa.select(Practice.id).where(Practice.status == PracticeStatus.PUBLISHED))
        total = db.session.scalar(sa.select(sa.func.count()).select_from(base.subquery()))
        page_ids = list(
            db.session.scalars(
                base.order_by(Practice.published_at.desc(), Practice.ref).offset((page - 1) * per_page).limit(per_page)
            )
        )
        facets = _facets_sql(filters)
    practices = (
        {p.id: p for p in db.session.scalars(sa.select(Practice).where(Practice.id.in_(page_ids)))} if page_ids else {}
    )
    return SearchResult(
        [practices[i] for i in page_ids if i in practices],
        total,
        page,
        per_page,
        facets,
        plan,
        dict(scores),
        dict(matched),
    )


def _epoch():
    from datetime import datetime

    return datetime(1970, 1, 1, tzinfo=UTC)


def _facets_from_meta(rows: list[tuple]) -> dict[str, list[tuple]]:
    counts = {name: defaultdict(int) for name in ("lever", "territory_kind", "department", "year")}
    for lever, kind, department, year, *_ in rows:
        counts["lever"][lever] += 1
        if kind:
            counts["territory_kind"][kind] += 1
        if department:
            counts["department"][department] += 1
        if year:
            counts["year"][year] += 1
    facets = {name: sorted(c.items(), key=lambda kv: (-kv[1], str(kv[0]))) for name, c in counts.items()}
    facets["year"] = sorted(counts["year"].items(), reverse=True)
    return facets


def _theme_counts(ids: list[int], limit: int = 20) -> list[tuple]:
    """Theme counts over the matching practices (ids in chunks, under SQLite's bound-parameter limit)."""
    counts: dict[str, int] = defaultdict(int)
    for chunk in range(0, len(ids), 5000):
        for theme, count in db.session.execute(
            sa.select(PracticeTheme.theme, sa.func.count())
            .where(PracticeTheme.practice_id.in_(ids[chunk : chunk + 5000]))
            .group_by(PracticeTheme.theme)
        ):
            counts[theme] += count
    return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:limit]


def _facets_sql(filters: Filters) -> dict[str, list[tuple]]:
    published = filters.apply(sa.select(Practice).where(Practice.status == PracticeStatus.PUBLISHED)).subquery()
    facets = {}
    for name, column in (
        ("lever", published.c.lever),
        ("territory_kind", published.c.territory_kind),
        ("department", published.c.department_code),
        ("year", published.c.year),
    ):
        rows = db.session.execute(sa.select(column, sa.func.count()).where(column.is_not(None)).group_by(column)).all()
        facets[name] = sorted(((k, n) for k, n in rows), key=lambda kv: (-kv[1], str(kv[0])))
    facets["year"] = sorted(facets["year"], reverse=True)
    facets["theme"] = [
        (theme, n)
        for theme, n in db.session.execute(
            sa.select(PracticeTheme.theme, sa.func.count())
            .join(published, published.c.id == PracticeTheme.practice_id)
            .group_by(PracticeTheme.theme)
            .order_by(sa.func.count().desc(), PracticeTheme.theme)
            .limit(20)
        )
    ]
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
