"""The index's postings a worker has read, kept per index version: a match's words are read from memory.

The index lives in the database (every worker sees a publication at once); what one version holds never
changes, so the postings of a term read once serve every later query of that version, and a new version
(`index.bump_version`, checked on every search) starts afresh. A term's postings are two numpy arrays (the
documents' positions in the corpus' columns, ascending, and their BM25F frequencies: 16 bytes a posting), read
for all the missing terms of a query in one query that aggregates them per term in the database (the rows never
cross into Python one by one). Bounded: past MAX_CACHED_POSTINGS, the terms read longest ago go first.
"""

import threading
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import aggregate_order_by

from clubess.actors.models import SolutionTerm
from clubess.extensions import db
from clubess.practices.models import PracticeTerm

if TYPE_CHECKING:
    from clubess.practices.search.engine import Corpus

Postings = tuple[np.ndarray, np.ndarray]


@dataclass
class Cache:
    """One index version's postings read so far, per worker: term -> (positions, BM25F frequencies)."""

    version: int
    terms: dict[str, Postings] = field(default_factory=dict)
    size: int = 0


_POSTINGS: dict[str, Cache] = {}
#: postings a worker keeps (16 bytes each, ~32 MiB); past it, the terms read longest ago are dropped
MAX_CACHED_POSTINGS = 2_000_000
_postings_lock = threading.Lock()


def _fetch(data: "Corpus", missing: list[str]) -> dict[str, Postings]:
    """The published postings of `missing` terms, practices' and solutions' (keyed as kinds.solution_key says),
    in one query: one row per term, its documents and frequencies as text parsed by numpy."""
    rows = sa.union_all(
        sa.select(
            PracticeTerm.practice_id.label("document"), PracticeTerm.term.label("term"), PracticeTerm.weight
        ).where(PracticeTerm.term.in_(missing)),
        sa.select(-SolutionTerm.solution_id, SolutionTerm.term, SolutionTerm.weight).where(
            SolutionTerm.term.in_(missing)
        ),
    ).subquery()
    # PostgreSQL orders an aggregate's input only when told (both in one order); SQLite computes both aggregates
    # over the same rows in one pass
    if db.engine.dialect.name == "postgresql":
        documents = sa.func.string_agg(
            sa.cast(rows.c.document, sa.Text), aggregate_order_by(sa.literal_column("','"), rows.c.document)
        )
        weights = sa.func.string_agg(
            sa.cast(rows.c.weight, sa.Text), aggregate_order_by(sa.literal_column("','"), rows.c.document)
        )
    else:
        documents, weights = sa.func.group_concat(rows.c.document), sa.func.group_concat(rows.c.weight)
    found: dict[str, Postings] = {t: (np.zeros(0, dtype=np.int64), np.zeros(0)) for t in missing}
    columns = data.columns
    for term, keys, values in db.session.execute(sa.select(rows.c.term, documents, weights).group_by(rows.c.term)):
        positions = columns.positions(np.fromstring(keys, dtype=np.int64, sep=","))
        frequencies = np.fromstring(values, dtype=np.float64, sep=",")
        published = positions >= 0
        positions, frequencies = positions[published], frequencies[published]
        order = np.argsort(positions, kind="stable")
        found[term] = (positions[order], frequencies[order])
    return found


def read(data: "Corpus", terms: set[str]) -> dict[str, Postings]:
    """term -> its published postings: read from the database once per index version and term (one query for
    the terms not read yet), then from memory."""
    key = str(db.engine.url)
    cache = _POSTINGS.get(key)
    if cache is None or cache.version != data.version:
        cache = _POSTINGS[key] = Cache(data.version)
    missing = sorted(t for t in terms if t not in cache.terms)
    if missing:
        fetched = _fetch(data, missing)
        with _postings_lock:
            for term, postings in fetched.items():
                cache.terms[term] = postings
                cache.size += len(postings[0]) + 1
            for term in list(cache.terms):
                if cache.size <= MAX_CACHED_POSTINGS:
                    break
                if term not in terms:
                    cache.size -= len(cache.terms.pop(term)[0]) + 1
    out = {}
    for term in terms:
        postings = cache.terms.get(term)
        if postings is None:  # dropped by another thread meanwhile: read again
            return read(data, terms)
        out[term] = postings
    with _postings_lock:  # most recently read last, so that the oldest go first
        for term in terms:
            if term in cache.terms:
                cache.terms[term] = cache.terms.pop(term)
    return out


def cached_postings() -> int:
    """How many postings this worker keeps (every database it searched), for the bench."""
    return sum(cache.size for cache in _POSTINGS.values())
