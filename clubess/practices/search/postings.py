"""The index's postings a worker has read, kept per index version: a match's words are read from memory.

The index lives in the database (every worker sees a publication at once); what one version holds never
changes, so the postings of a term read once serve every later query of that version, and a new version
(`index.bump_version`, checked on every search) starts afresh. Bounded: the terms read longest ago go first.
"""

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import sqlalchemy as sa

from clubess.actors.models import SolutionTerm
from clubess.extensions import db
from clubess.practices.models import PracticeTerm

if TYPE_CHECKING:
    from clubess.practices.search.engine import Corpus


@dataclass
class Cache:
    """One index version's postings read so far, per worker: term -> {document key: BM25F frequency}."""

    version: int
    terms: dict[str, dict[int, float]] = field(default_factory=dict)
    size: int = 0


_POSTINGS: dict[str, Cache] = {}
#: postings a worker keeps (~100 bytes each); past it, the terms read longest ago are dropped
MAX_CACHED_POSTINGS = 200_000
_postings_lock = threading.Lock()


def read(data: "Corpus", terms: set[str]) -> dict[str, dict[int, float]]:
    """term -> its published postings, practices' and solutions' (keyed as kinds.solution_key says): read from
    the database once per index version and term (one query for the terms not read yet), then from memory."""
    key = str(db.engine.url)
    cache = _POSTINGS.get(key)
    if cache is None or cache.version != data.version:
        cache = _POSTINGS[key] = Cache(data.version)
    missing = sorted(t for t in terms if t not in cache.terms)
    if missing:
        read: dict[str, dict[int, float]] = {t: {} for t in missing}
        postings = sa.union_all(
            sa.select(PracticeTerm.practice_id, PracticeTerm.term, PracticeTerm.weight).where(
                PracticeTerm.term.in_(missing)
            ),
            sa.select(-SolutionTerm.solution_id, SolutionTerm.term, SolutionTerm.weight).where(
                SolutionTerm.term.in_(missing)
            ),
        )
        for document, term, weight in db.session.execute(postings):
            if document in data.meta:  # published
                read[term][document] = weight
        with _postings_lock:
            for term, docs in read.items():
                cache.terms[term] = docs
                cache.size += len(docs) + 1
            for term in list(cache.terms):
                if cache.size <= MAX_CACHED_POSTINGS:
                    break
                if term not in terms:
                    cache.size -= len(cache.terms.pop(term)) + 1
    out = {}
    for term in terms:
        docs = cache.terms.get(term)
        if docs is None:  # dropped by another thread meanwhile: read again
            return read(data, terms)
        out[term] = docs
    with _postings_lock:  # most recently read last, so that the oldest go first
        for term in terms:
            if term in cache.terms:
                cache.terms[term] = cache.terms.pop(term)
    return out
