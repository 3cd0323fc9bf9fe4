"""What a query's words expand to: the thesaurus' synonyms (coordinators edit it) and typo corrections.

The thesaurus is read on every query (one small query: an edit applies at once in every worker); what depends
only on an expression, or on one index version's vocabulary, is computed once per worker.
"""

from functools import lru_cache

import sqlalchemy as sa

from clubess.extensions import db
from clubess.practices.models import ThesaurusEntry
from clubess.practices.search.analysis import STOP_WORDS, analyze, edit_distance

TYPO_WEIGHT = 0.8


def thesaurus() -> list[list[tuple[str, list[str]]]]:
    """Each group as [(expression, stems)]: one small query, so edits apply at once in every worker."""
    groups = []
    for entry in db.session.scalars(sa.select(ThesaurusEntry)):
        analysed = [(e, list(_expression_stems(e))) for e in entry.expression_list]
        groups.append([(e, stems) for e, stems in analysed if stems])
    return groups


@lru_cache(maxsize=20000)
def _expression_stems(expression: str) -> tuple[str, ...]:
    """A thesaurus expression's stems, analysed once per worker (the query re-reads the entries every time)."""
    return tuple(analyze(expression))


def contains(sequence: list[str], part: list[str]) -> bool:
    n = len(part)
    if n and part[0] not in sequence:  # most expressions of the thesaurus: one scan in C, no slicing
        return False
    return any(sequence[i : i + n] == part for i in range(len(sequence) - n + 1))


def correct_typos(plan, stems: list[str], vocabulary_of) -> None:
    """A query word no indexed text contains is replaced by the closest indexed term (edit distance)."""
    if not stems:
        return
    df, by_letter = vocabulary_of()
    for s in stems:
        if s in df or len(s) < 4 or s.isdigit() or s in STOP_WORDS:
            continue
        best = _closest(s, df, by_letter)
        if best is not None:
            plan.add(best, TYPO_WEIGHT * plan.weights.get(s, 1.0), s)
            plan.corrections.append((s, best))


#: id(df) -> (that df, stem -> its closest indexed term or None): what depends only on one vocabulary (one
#: index version) is computed once per worker; a new version brings a new df, so a stale entry is never read
_CLOSEST: dict[int, tuple[dict, dict[str, str | None]]] = {}


def _closest(s: str, df: dict[str, int], by_letter: dict[str, list[str]]) -> str | None:
    """The indexed term closest to the unknown stem `s` (edit distance, then the most used), None if none."""
    entry = _CLOSEST.get(id(df))
    if entry is None or entry[0] is not df:
        if len(_CLOSEST) >= 8:
            _CLOSEST.clear()
        entry = _CLOSEST[id(df)] = (df, {})
    found = entry[1]
    if s not in found:
        limit = 1 if len(s) <= 6 else 2
        scored = [
            (d, -df[term], term)
            for term in by_letter.get(s[:1], ())
            if abs(len(term) - len(s)) <= limit and (d := edit_distance(s, term, limit)) <= limit
        ]
        if len(found) >= 20000:
            found.clear()
        found[s] = min(scored)[2] if scored else None
    return found[s]
