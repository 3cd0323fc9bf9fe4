"""The matcher: a problem in everyday words -> the published practices that answer it, each with its reasons.

One explainable score per practice, the sum of:
- meaning: cosine similarity of sentence embeddings (paraphrase: « le papier rose » ~ permis de conduire);
- words: the library's BM25F score (French analysis, thesaurus, typo correction), scaled to the best hit and
  weighed by how much of the problem the practice covers (one common word is not five);
- structured signals: same lever, common themes, same kind of territory, same département, similar size;
- policy stage: a practice from a collectivity at the same ESS policy stage as the asking one
  (clubess.territories.policy_models) gets the smallest bonus of all, a tie-breaker;
- feedback: verdicts members gave on the same practice for similar problems (useful +, not relevant -).
The first two rank all published practices; the bounded bonuses then re-rank the best CANDIDATES.
"""

import math
import re
from dataclasses import dataclass, field

import numpy as np
import sqlalchemy as sa
from flask import current_app
from flask_babel import gettext as _

from clubess.core.vocabulary import LEVERS
from clubess.extensions import db
from clubess.practices.bonuses import (  # noqa: F401 (the bonuses are read as matching.X too)
    KIND_BONUS,
    LEVER_BONUS,
    MAX_THEME_BONUS,
    MEANING_REASON,
    NEAR_BONUS,
    SIZE_BONUS,
    STAGE_BONUS,
    THEME_BONUS,
    Ranking,
)
from clubess.practices.models import (
    MatchFeedback,
    Practice,
    Problem,
    SolutionFeedback,
    Verdict,
)
from clubess.practices.search import kinds, semantic
from clubess.practices.search.analysis import analyze, normalize, stem
from clubess.practices.search.engine import Filters, Scored, corpus, plan_query, score_postings
from clubess.practices.search.vectors import _VECTORS, Vectors, best_indices, vectors  # noqa: F401 (matching.X too)
from clubess.territories.policy_models import Stage, stages

MAX_TEXT = 5000
MAX_LIMIT = 50
CANDIDATES = 100
#: weights of the score's parts (tuned on the dev set, checked on the independent set: see bench/matching.py)
WORDS_WEIGHT = 0.1
WORDS_ONLY_WEIGHT = 0.6  # when the semantic signal is off
#: the words signal is scaled by coverage ** this (the share of the problem's information a practice holds):
#: 0.25, 0.5, 1 and 2 compared on dev, 0.5 best there (README « nDCG »)
COVERAGE_POWER = 0.5
USEFUL_BONUS = 0.08
NOT_RELEVANT_MALUS = 0.12
#: two problems this similar (cosine) share their feedback
SIMILAR_PROBLEM = 0.7
FEEDBACK_ROWS = 5000

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class MatchInputError(ValueError):
    """The text cannot be matched; the message says why, for a person."""


@dataclass
class Context:
    """Who asks: the optional lever and themes of the problem, and the asking collectivity's territory."""

    lever: str | None = None
    themes: list[str] = field(default_factory=list)
    territory_kind: str | None = None
    #: one département (the API's `department`)
    department: str | None = None
    #: every département the asking collectivity is found under (two for an EPT spanning two)
    departments: tuple[str, ...] = ()
    population: int | None = None
    #: the asking collectivity and the stage of its latest ESS policy profile (None: no profile)
    collectivity_id: int | None = None
    policy_stage: Stage | None = None

    def near(self) -> set[str]:
        return set(self.departments) | ({self.department} if self.department else set())


@dataclass
class Match:
    #: the document: a Practice, or a Solution when `kind` is kinds.SOLUTION
    practice: Practice
    score: float
    reasons: list[str]
    words: list[str]
    verdict: str | None = None
    kind: str = kinds.PRACTICE


def clean_text(text: str) -> str:
    """Control characters out, whitespace collapsed."""
    return " ".join(_CONTROL.sub(" ", text or "").split())


def check_text(text: str) -> str:
    """The cleaned text, or MatchInputError with a message a person understands."""
    text = clean_text(text)
    if not text:
        raise MatchInputError(_("Décrivez votre problématique en quelques phrases."))
    if len(text) > MAX_TEXT:
        raise MatchInputError(_("Le texte est trop long : %(max)s caractères au plus.", max="5 000"))
    if not analyze(text):
        raise MatchInputError(
            _("Ce texte ne contient aucun mot significatif : décrivez la situation, le public, ce qui bloque.")
        )
    return text


# --- feedback --------------------------------------------------------------------------------------------


def feedback_adjustments(
    query_vector: np.ndarray | None,
    practice_ids: list[int],
    problem_id: int | None = None,
    own: frozenset[int] = frozenset(),
) -> dict[int, tuple]:
    """practice id -> (adjustment, useful count, not relevant count): the verdicts on this problem, and on
    similar problems as evidence (read for the candidate practices only). The verdicts of the people in `own`
    (who asks, who stated the problem) on other problems are never evidence for themselves, and a verdict
    on this very problem moves the score without being counted as one « from a similar problem »."""
    if not practice_ids:
        return {}
    parts = [
        sa.select(model.problem_id, key.label("key"), model.verdict, model.author_id, model.created_at).where(
            column.in_(ids)
        )
        for model, key, column, ids in (
            (MatchFeedback, MatchFeedback.practice_id, MatchFeedback.practice_id, [k for k in practice_ids if k > 0]),
            # a solution's key is its id negated (kinds.solution_key)
            (
                SolutionFeedback,
                -SolutionFeedback.solution_id,
                SolutionFeedback.solution_id,
                [-k for k in practice_ids if k < 0],
            ),
        )
        if ids
    ]
    found = sa.union_all(*parts).subquery() if len(parts) > 1 else parts[0].subquery()
    stmt = (
        sa.select(found.c.problem_id, found.c.key, found.c.verdict, Problem.vector, found.c.author_id)
        .join(Problem, Problem.id == found.c.problem_id)
        .order_by(found.c.created_at.desc())
        .limit(FEEDBACK_ROWS)
    )
    rows = db.session.execute(stmt).all()
    if not rows:
        return {}
    out: dict[int, list] = {}
    for pid, practice_id, verdict, vector, author_id in rows:
        this_problem = pid == problem_id
        if this_problem:
            similarity = 1.0
        elif author_id is not None and author_id in own:
            continue
        elif query_vector is None or vector is None or len(vector) != 4 * len(query_vector):
            continue
        else:
            similarity = float(semantic.meaning(float(semantic.from_bytes(vector) @ query_vector)))
            if similarity < SIMILAR_PROBLEM:
                continue
        entry = out.setdefault(practice_id, [0.0, 0, 0])
        if verdict == Verdict.NOT_RELEVANT:
            entry[0] -= NOT_RELEVANT_MALUS * similarity
            entry[2] += not this_problem
        else:  # useful, or already done: it answers this kind of problem
            entry[0] += USEFUL_BONUS * similarity
            entry[1] += not this_problem
    return {k: (max(-0.3, min(0.2, v[0])), v[1], v[2]) for k, v in out.items()}


# --- matching --------------------------------------------------------------------------------------------


def _query_words(text: str) -> list[tuple[str, str]]:
    """(stem, word as typed, lower case) of each distinct stem of the text, in the order first typed."""
    seen, out = set(), []
    for word in re.findall(r"\w+", text):
        s = stem(normalize(word))
        if s not in seen:
            seen.add(s)
            out.append((s, word.lower()))
    return out


def _matched_words(typed: list[tuple[str, str]], stems: set[str], corrections: list[tuple[str, str]]) -> list[str]:
    """The words of the text (`_query_words`) whose stem (or its typo correction) matched, as typed."""
    stems = stems | {t for t, corrected in corrections if corrected in stems}
    return [word for s, word in typed if s in stems]


def _information(plan, df: dict[str, int], total: int) -> dict[str, float]:
    """term -> its share of the query's information: idf times its weight (synonyms and typo corrections weigh
    less), phrases' stems at their phrase's weight."""

    def idf(term: str) -> float:
        return math.log(1 + (total - df.get(term, 0) + 0.5) / (df.get(term, 0) + 0.5))

    info = {t: idf(t) * w for t, w in plan.weights.items()}
    for stems, weight, _expr in plan.phrases:
        for t in stems:
            info.setdefault(t, idf(t) * weight)
    return info


def coverage(plan, matched: dict[int, set[str]], df: dict[str, int], total: int) -> dict[int, float]:
    """practice id -> the share of the query's information (its terms weighted by idf, synonyms and typo
    corrections by their own weight) the practice holds, 0..1."""
    info = _information(plan, df, total)
    whole = sum(info.values()) or 1.0
    return {pid: min(1.0, sum(info.get(t, 0.0) for t in terms) / whole) for pid, terms in matched.items()}


def coverage_of(plan, scored: Scored, df: dict[str, int], total: int) -> np.ndarray:
    """`coverage` of every document at once (position -> 0..1), from the positions holding each term."""
    info = _information(plan, df, total)
    whole = sum(info.values()) or 1.0
    holding: dict[str, np.ndarray] = dict(scored.terms)
    for stems, holders in scored.phrases:
        for t in stems:
            holding[t] = np.union1d(holding[t], holders) if t in holding else holders
    out = np.zeros(len(scored.scores))
    for term, positions in holding.items():
        out[positions] += info.get(term, 0.0)
    return np.minimum(1.0, out / whole)


def match(
    text: str,
    context: Context | None = None,
    limit: int = 5,
    problem: Problem | None = None,
    query_vector: np.ndarray | None = None,
    viewer_id: int | None = None,
) -> list[Match]:
    """The best published practices for `text` (already checked), best first; `viewer_id`: who asks (their
    verdicts on other problems are not evidence for them, nor those of the problem's author)."""
    context = context or Context()
    limit = max(1, min(limit, MAX_LIMIT))
    data = corpus()
    use_meaning = semantic.enabled()
    meaning: dict[int, float] = {}
    population: dict[int, int] = {}
    columns = data.columns
    # per position in the corpus' columns: the meaning of the CANDIDATES * 2 closest documents (0 for the others)
    meaning_of = np.zeros(len(columns))
    near_meaning = np.zeros(len(columns), dtype=bool)
    if use_meaning:
        if query_vector is None or len(query_vector) != semantic.dimensions():
            query_vector = semantic.embed_query(text)
        vec = vectors(data)
        population = vec.population
        if vec.ids:
            sims = vec.meaning(query_vector)
            top = best_indices(sims, CANDIDATES * 2)
            for i in top:
                meaning[vec.ids[i]] = float(sims[i])
            positions = vec.positions[top]
            known = positions >= 0
            meaning_of[positions[known]] = sims[top][known]
            near_meaning[positions[known]] = True
    plan = plan_query(text[:MAX_TEXT])
    scored = score_postings(plan, Filters(kinds=kinds.ALL))
    lexical = scored.scores
    best_lexical = float(lexical.max(initial=0.0)) or 1.0
    # the bench sets MATCH_WORDS_WEIGHT to 0 to measure the meaning signal alone
    words_weight = current_app.config.get("MATCH_WORDS_WEIGHT", WORDS_WEIGHT) if use_meaning else WORDS_ONLY_WEIGHT
    cover = coverage_of(plan, scored, data.df, len(data.meta))
    # a BM25 score from one common word of a long problem must not count like one from most of its words
    combined = meaning_of + words_weight * (lexical / best_lexical * cover**COVERAGE_POWER)
    # the CANDIDATES best by (score, ref), as sorted(...)[:CANDIDATES] would give, without sorting every document
    chosen = np.flatnonzero(near_meaning | scored.hit)
    if len(chosen) > CANDIDATES:
        cut = -np.partition(-combined[chosen], CANDIDATES - 1)[CANDIDATES - 1]
        chosen = chosen[combined[chosen] >= cut]
    chosen = chosen[np.lexsort((columns.ref_rank[chosen], -combined[chosen]))][:CANDIDATES]
    candidates = [int(columns.keys[p]) for p in chosen]
    scores = {int(columns.keys[p]): float(combined[p]) for p in chosen}
    position_of = dict(zip(candidates, (int(p) for p in chosen), strict=True))
    own = frozenset(i for i in (viewer_id, problem.author_id if problem else None) if i is not None)
    adjustments = feedback_adjustments(query_vector, candidates, problem.id if problem else None, own)
    context_themes = {normalize(t).strip() for t in context.themes if t.strip()}
    near = context.near()
    practice_stages = _practice_stages(candidates, context)
    ranking = Ranking(
        context, data.meta, scores, meaning, population, adjustments, practice_stages, context_themes, near
    )
    ranked = sorted(
        ((ranking.score(pid), pid) for pid in candidates), key=lambda r: (-int(r[0] * 1e9), data.meta[r[1]][4])
    )
    # the reasons only for the results shown: they never move a score
    typed = _query_words(text)
    matched = {pid: scored.matched(position_of[pid]) for _score, pid in ranked[:limit]}
    ranked = [
        (score, pid, *ranking.reasons(pid, _matched_words(typed, matched[pid], plan.corrections), matched))
        for score, pid in ranked[:limit]
    ]
    ids = [r[1] for r in ranked]
    practices = kinds.load(ids)
    verdicts = {}
    if problem is not None and problem.id:
        verdicts = {f.practice_id: f.verdict for f in problem.feedback}
        verdicts |= {kinds.solution_key(f.solution_id): f.verdict for f in problem.solution_feedback}
    return [
        Match(practices[pid], round(score, 4), reasons, words, verdicts.get(pid), kinds.kind_of(pid))
        for score, pid, reasons, words in ranked
        if pid in practices
    ]


def _practice_stages(practice_ids: list[int], context: Context) -> dict[int, Stage]:
    """practice id -> the policy stage of its collectivity, when the asking collectivity has one (2 queries)."""
    if context.policy_stage is None or not practice_ids:
        return {}
    owners = dict(
        db.session.execute(
            sa.select(Practice.id, Practice.collectivity_id).where(
                Practice.id.in_(practice_ids),
                Practice.collectivity_id.is_not(None),
                Practice.collectivity_id != context.collectivity_id,  # its own practices need no boost
            )
        ).all()
    )
    found = stages(owners.values())
    return {pid: found[owner] for pid, owner in owners.items() if owner in found}


def context_of(collectivity, lever: str | None = None, themes: list[str] | None = None) -> Context:
    territory = getattr(collectivity, "territory", None)
    collectivity_id = getattr(collectivity, "id", None)
    return Context(
        collectivity_id=collectivity_id,
        policy_stage=stages([collectivity_id]).get(collectivity_id) if collectivity_id else None,
        lever=lever if lever in LEVERS else None,
        themes=list(themes or []),
        territory_kind=getattr(territory, "kind", None),
        department=getattr(territory, "department_code", None),
        departments=tuple((getattr(territory, "department_codes", "") or "").split()),
        population=getattr(territory, "population", None) or None,
    )
