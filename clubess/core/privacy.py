"""Erasure helpers every domain shares: the label an erased person leaves, and a sweep of every text column.

A person's name or address is copied in many places (audit details, mail bodies, revision snapshots, free
text others wrote). The domains scrub the rows they know belong to the person; `scrub_everywhere` then
replaces whatever copy is left, in any table the models declare, so nothing is forgotten when a table is
added later.
"""

import html
import json
import re

import sqlalchemy as sa

from clubess.core.audit import AuditEvent
from clubess.core.db import Base

#: reference data and derived rows: never personal, or rebuilt by their domain (the search index)
SKIPPED_TABLES = frozenset({"territories", "search_postings", "practice_themes", "search_state", "thesaurus_entries"})


def erased_label(ref) -> str:
    """What stays where the person was named: who did what is still readable, not who they were."""
    return f"personne effacée #{ref}"


def needles_of(emails=(), names=(), phones=()) -> list[str]:
    """The strings that identify a person, safe to replace everywhere: addresses, full names of two words
    or more, phone numbers of 8 digits or more. Longest first, so a full name goes before its parts."""
    found = {e.strip().lower() for e in emails if e and "@" in e}
    found |= {" ".join(n.split()) for n in names if n and len(n.split()) >= 2 and len(n.strip()) >= 5}
    found |= {p.strip() for p in phones if p and sum(ch.isdigit() for ch in p) >= 8}
    return sorted(found, key=lambda n: (-len(n), n))


def pattern_of(needles: list[str]) -> re.Pattern | None:
    """One case-insensitive pattern for the needles, as typed and HTML-escaped (mail bodies)."""
    forms = set()
    for needle in needles:
        forms |= {needle, html.escape(needle), html.escape(needle, quote=False), needle.replace("'", "&#39;")}
    if not forms:
        return None
    return re.compile("|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)), re.IGNORECASE)


def scrub_value(value, pattern: re.Pattern, label: str):
    """The value with every needle replaced by the label: strings, and strings inside JSON data."""
    if isinstance(value, str):
        return pattern.sub(label, value)
    if isinstance(value, list):
        return [scrub_value(v, pattern, label) for v in value]
    if isinstance(value, dict):
        return {k: scrub_value(v, pattern, label) for k, v in value.items()}
    return value


def _like_forms(needle: str) -> set[str]:
    # JSON columns keep non-ASCII as \u escapes; mail bodies keep HTML escapes.
    forms = {needle, json.dumps(needle)[1:-1], html.escape(needle)}
    return {f.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") for f in forms}


def _text_columns(table: sa.Table) -> list[sa.Column]:
    return [
        c
        for c in table.columns
        if isinstance(c.type, (sa.String, sa.Text, sa.JSON))
        or getattr(c.type, "impl", None) is not None
        and isinstance(c.type.impl, (sa.String, sa.Text, sa.JSON))
    ]


def scrub_everywhere(session, needles: list[str], label: str) -> dict[str, int]:
    """Replace the needles in every text and JSON column of every table; returns {table: rows changed}.

    A LIKE on each column finds the few rows concerned; the replacement is made in Python (case-insensitive,
    inside JSON too) and written back by primary key. The caller flushed its changes first.
    """
    pattern = pattern_of(needles)
    if pattern is None:
        return {}
    forms = set().union(*(_like_forms(n.lower()) for n in needles))
    changed: dict[str, int] = {}
    for table in Base.metadata.tables.values():
        columns = _text_columns(table)
        keys = list(table.primary_key.columns)
        if table.name in SKIPPED_TABLES or not columns or not keys:
            continue
        where = sa.or_(
            *(sa.func.lower(sa.cast(c, sa.Text)).like(f"%{f}%", escape="\\") for c in columns for f in forms)
        )
        for row in session.execute(sa.select(*keys, *columns).where(where)).all():
            values = dict(zip([c.name for c in keys + columns], row, strict=True))
            updates = {
                c.name: new for c in columns if (new := scrub_value(values[c.name], pattern, label)) != values[c.name]
            }
            if updates:
                session.execute(sa.update(table).where(*(k == values[k.name] for k in keys)).values(**updates))
                changed[table.name] = changed.get(table.name, 0) + 1
    return changed


def relabel_actor(session, user_id: int, label: str) -> int:
    """The audit log keeps what the person did, under the label instead of their name or address."""
    result = session.execute(
        sa.update(AuditEvent)
        .where(AuditEvent.actor_id == user_id)
        .values(actor_label=label)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount or 0
