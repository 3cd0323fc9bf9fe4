"""Passages: a practice scored by its best-matching sentence, not only by its whole text.

A member describes one situation; a practice often answers it in one sentence of its summary or description
while its title and the rest speak of something broader. Each sentence of a published practice (title,
summary, description) is embedded when the practice is indexed (read as a statement like a problem's:
`semantic.embed_sentences`) and stored in `practice_passages`; the matcher takes the best passage's cosine beside
the whole text's (`combine`).
"""

import re

import numpy as np
import sqlalchemy as sa

from clubess.extensions import db
from clubess.practices.models import Practice, PracticePassage, PracticeStatus
from clubess.practices.search import semantic
from clubess.practices.search.analysis import analyze

#: passages kept per practice (the first ones: a fiche says what matters first)
MAX_PASSAGES = 24
#: a passage needs this many content words (« Contexte. » alone says nothing)
MIN_WORDS = 3
#: share of the best passage in the meaning score (the rest: the whole text); 0, 0.25 and 0.5 compared in the
#: bench: 0.25 best on the two independent sets together (dev alike), see README « nDCG »
PASSAGE_WEIGHT = 0.25

_SENTENCE = re.compile(r"(?<=[.!?;…])\s+|\n+")
_MARKUP = re.compile(r"[*_#>`]+")


def split(title: str, summary: str, description: str) -> list[str]:
    """The practice's sentences, in order, each once, without markdown marks."""
    out, seen = [], set()
    for block in (title, summary, description):
        for sentence in _SENTENCE.split(_MARKUP.sub(" ", block or "")):
            sentence = " ".join(sentence.split())
            key = sentence.lower()
            if len(analyze(sentence)) >= MIN_WORDS and key not in seen:
                seen.add(key)
                out.append(sentence[:600])
    return out[:MAX_PASSAGES]


def load(practice_ids: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """(row -> index in `practice_ids`, matrix) of the current model's passages of those practices."""
    position = {pid: i for i, pid in enumerate(practice_ids)}
    rows = db.session.execute(
        sa.select(PracticePassage.practice_id, PracticePassage.vector)
        .join(Practice, Practice.id == PracticePassage.practice_id)
        .where(Practice.status == PracticeStatus.PUBLISHED, PracticePassage.model == semantic.sentence_model_name())
        .order_by(PracticePassage.practice_id, PracticePassage.position)
    ).all()
    rows = [r for r in rows if r[0] in position]
    if not rows:
        return np.zeros(0, dtype=np.int64), np.zeros((0, semantic.dimensions()), dtype=np.float32)
    owners = np.array([position[r[0]] for r in rows], dtype=np.int64)
    return owners, np.vstack([semantic.from_bytes(r[1]) for r in rows])


def best(owners: np.ndarray, matrix: np.ndarray, query: np.ndarray, count: int) -> np.ndarray:
    """Per practice (count of them), the best passage's cosine; -1 where a practice has no passage.

    A practice's passages are consecutive rows (as `load` orders them): one maximum per run of rows, which
    takes a fraction of a millisecond where `np.maximum.at` took tens at 5,000 practices."""
    out = np.full(count, -1.0, dtype=np.float32)
    if len(owners):
        starts = np.flatnonzero(np.concatenate(([True], owners[1:] != owners[:-1])))
        out[owners[starts]] = np.maximum(np.maximum.reduceat(matrix @ query, starts), -1.0)
    return out


def combine(whole: np.ndarray, passage: np.ndarray, weight: float = PASSAGE_WEIGHT) -> np.ndarray:
    """The meaning cosine: the whole text's and the best passage's (the whole text's alone without passages)."""
    return np.where(passage > -1.0, (1 - weight) * whole + weight * passage, whole)
