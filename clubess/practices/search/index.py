"""Keeping the inverted index in step with practices: rows written in the same transaction as the change."""

import secrets
from collections import Counter, defaultdict

import sqlalchemy as sa

from clubess.extensions import db
from clubess.practices.models import (
    Practice,
    PracticePassage,
    PracticeStatus,
    PracticeTerm,
    PracticeTheme,
    PracticeVector,
    SearchState,
)
from clubess.practices.search import passages, semantic
from clubess.practices.search.analysis import analyze

FIELDS = {"t": "title", "h": "themes", "s": "summary", "d": "description"}
#: title > themes > summary > description
FIELD_WEIGHTS = {"t": 3.0, "h": 2.0, "s": 1.5, "d": 1.0}
#: typical field lengths (in terms) for BM25 length normalisation; fixed, so weights never drift
REFERENCE_LENGTHS = {"t": 8.0, "h": 5.0, "s": 30.0, "d": 120.0}
B = 0.75


def field_text(practice: Practice, field: str) -> str:
    if field == "h":
        return " . ".join(practice.themes or [])
    return getattr(practice, FIELDS[field]) or ""


def index_practice(practice: Practice) -> None:
    """(Re)write a practice's index rows; only published practices are searchable."""
    db.session.flush()
    db.session.execute(sa.delete(PracticeTerm).where(PracticeTerm.practice_id == practice.id))
    db.session.execute(sa.delete(PracticeTheme).where(PracticeTheme.practice_id == practice.id))
    db.session.add_all(PracticeTheme(practice_id=practice.id, theme=t) for t in sorted(set(practice.themes or [])))
    rows = term_rows(practice)
    if rows:
        db.session.execute(sa.insert(PracticeTerm), rows)
    write_vector(practice)
    bump_version()


def term_rows(practice: Practice) -> list[dict]:
    """The practice's index rows (none unless published); sets its fields' lengths in terms."""
    weights: dict[str, float] = defaultdict(float)
    for field, attribute in FIELDS.items():
        terms = analyze(field_text(practice, field))
        setattr(practice, f"len_{attribute}", len(terms))
        norm = 1 - B + B * max(1, len(terms)) / REFERENCE_LENGTHS[field]
        for term, tf in Counter(terms).items():
            weights[term[:60]] += FIELD_WEIGHTS[field] * tf / norm
    if practice.status != PracticeStatus.PUBLISHED:
        return []
    return [{"practice_id": practice.id, "term": term, "weight": round(w, 6)} for term, w in weights.items()]


def write_vector(practice: Practice) -> None:
    """The practice's sentence embeddings, whole text and passages, for the matcher (published practices only)."""
    db.session.execute(sa.delete(PracticeVector).where(PracticeVector.practice_id == practice.id))
    db.session.execute(sa.delete(PracticePassage).where(PracticePassage.practice_id == practice.id))
    if practice.status == PracticeStatus.PUBLISHED and semantic.enabled():
        write_vectors([practice])


def write_vectors(practices: list[Practice]) -> None:
    """The sentence embeddings of published practices, whole texts and passages: two calls of the model for the
    lot (one practice when it is published, a batch in `flask practices reindex`); their old rows are gone."""
    name = semantic.model_name()
    matrix = semantic.embed([semantic.document_text(p.title, p.summary, p.themes) for p in practices])
    db.session.execute(
        sa.insert(PracticeVector),
        [
            {"practice_id": p.id, "model": name, "vector": semantic.to_bytes(v)}
            for p, v in zip(practices, matrix, strict=True)
        ],
    )
    sentences = [
        (p.id, i, s) for p in practices for i, s in enumerate(passages.split(p.title, p.summary, p.description))
    ]
    if sentences:
        vectors = semantic.embed_sentences([s for _pid, _i, s in sentences])
        sentence_model = semantic.sentence_model_name()
        db.session.execute(
            sa.insert(PracticePassage),
            [
                {"practice_id": pid, "model": sentence_model, "position": i, "vector": semantic.to_bytes(v)}
                for (pid, i, _s), v in zip(sentences, vectors, strict=True)
            ],
        )


def term_weights(fields: list[tuple[str, float, float]]) -> dict[str, float]:
    """BM25F frequencies of the terms of (text, field weight, typical length in terms) fields: each field's
    counts times its weight, normalised by its length (as `index_practice` does; the resource centre too)."""
    weights: dict[str, float] = defaultdict(float)
    for text, field_weight, reference in fields:
        terms = analyze(text)
        norm = 1 - B + B * max(1, len(terms)) / reference
        for term, tf in Counter(terms).items():
            weights[term[:60]] += field_weight * tf / norm
    return {term: round(w, 6) for term, w in weights.items()}


def bump_version(state_id: int = 1) -> None:
    """Tell every worker its cached corpus is out of date (same transaction as the index change).

    A random value, not a counter: a version never comes back, even if the row is deleted and recreated.
    `state_id` 1 is the practices' index, 2 the resource centre's.
    """
    version = secrets.randbits(62)
    updated = db.session.execute(
        sa.update(SearchState).where(SearchState.id == state_id).values(version=version)
    ).rowcount
    if not updated:
        db.session.add(SearchState(id=state_id, version=version))
        db.session.flush()


def reindex_all() -> int:
    """Rebuild every practice's index rows (after a change of the analysis), in one transaction: see
    rebuild.reindex_practices for batches the caller commits one by one."""
    from clubess.practices.search.rebuild import reindex_practices

    return sum(reindex_practices())
