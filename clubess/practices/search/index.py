"""Keeping the inverted index in step with practices: rows written in the same transaction as the change."""

from collections import Counter

import sqlalchemy as sa

from clubess.extensions import db
from clubess.practices.models import Practice, PracticeStatus, PracticeTerm, PracticeTheme, SearchState
from clubess.practices.search.analysis import analyze

FIELDS = {"t": "title", "h": "themes", "s": "summary", "d": "description"}


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
    rows = []
    for field, attribute in FIELDS.items():
        terms = analyze(field_text(practice, field))
        setattr(practice, f"len_{attribute}", len(terms))
        if practice.status == PracticeStatus.PUBLISHED:
            rows.extend(
                {"practice_id": practice.id, "field": field, "term": term[:60], "tf": tf}
                for term, tf in Counter(terms).items()
            )
    if rows:
        db.session.execute(sa.insert(PracticeTerm), rows)
    bump_version()


def bump_version() -> None:
    """Tell every worker its vocabulary cache is out of date (same transaction as the index change)."""
    updated = db.session.execute(
        sa.update(SearchState).where(SearchState.id == 1).values(version=SearchState.version + 1)
    ).rowcount
    if not updated:
        db.session.add(SearchState(id=1, version=1))
        db.session.flush()


def reindex_all() -> int:
    """Rebuild every practice's index rows (after a change of the analysis)."""
    count = 0
    for practice in db.session.scalars(sa.select(Practice)):
        index_practice(practice)
        count += 1
    return count
