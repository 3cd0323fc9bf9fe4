"""The suppression list: addresses that must not receive a list (scope) any more, whoever they are.

An address lands here when its owner unsubscribes (the one-click POST or the page's button, member or
not) or when the server refuses it for good while it receives bulk mail. Every audience builder leaves
these addresses out (`not_suppressed`, `suppressed_among`), and the worker checks again just before it
sends, so a mail queued before the opt-out does not go.

Only the person themself lifts a suppression, by an act that records their consent or proves the mailbox
works: subscribing again to the communiqués and confirming from the mail, ticking "receive invitations"
again in their own profile, or following a password-reset or verification link (which lifts bounces).
Coordinators see the list; they cannot take anyone off it.

Domains say what unsubscribing also changes in their own data (a member's preference, a press contact's
status) with `register_scope`, called while the app is created: `mailing` imports no domain.
"""

import hashlib
from collections.abc import Callable

import sqlalchemy as sa
from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy.dialects import postgresql, sqlite

from clubess.core.audit import record
from clubess.core.db import now_utc
from clubess.core.emails import lookup_key
from clubess.core.labels import register_labels
from clubess.core.permissions import Role, require_role
from clubess.extensions import db
from clubess.mailing.models import Scope, Suppression, SuppressionReason
from clubess.mailing.sources import _registry

#: what the person is leaving, as the unsubscribe page says it ("Vous ne recevrez plus …")
SCOPE_LABELS = {
    Scope.INVITATIONS.value: _l("les invitations aux rencontres et ateliers du club"),
    Scope.COMMUNIQUES.value: _l("les communiqués de presse du club"),
    Scope.DIGEST.value: _l("la lettre d’information des membres"),
    Scope.SUIVI.value: _l("les comptes rendus et questionnaires des rencontres auxquelles vous avez participé"),
}

#: the list's name in the back office
SCOPE_NAMES = {
    Scope.INVITATIONS.value: _l("Invitations"),
    Scope.COMMUNIQUES.value: _l("Communiqués de presse"),
    Scope.DIGEST.value: _l("Lettre des membres"),
    Scope.SUIVI.value: _l("Suivi des rencontres (comptes rendus, questionnaires)"),
}

REASON_LABELS = {
    SuppressionReason.UNSUBSCRIBED.value: _l("Désabonnement"),
    SuppressionReason.BOUNCED.value: _l("Adresse refusée par le serveur"),
    SuppressionReason.ERASED.value: _l("Données effacées à la demande de la personne"),
}

register_labels(mail_scope=SCOPE_NAMES, suppression_reason=REASON_LABELS)

#: scopes named differently in links already mailed
LEGACY_SCOPES = {"press": Scope.COMMUNIQUES.value}


def register_scope(app: Flask, scope: Scope, on_unsubscribe: Callable[[str], int]) -> None:
    """Called while the app is created: `on_unsubscribe(email)` also runs when an address leaves `scope`
    (it updates the domain's own flags and returns how many rows it changed)."""
    _registry(app)["unsubscribe"].setdefault(Scope(scope).value, []).append(on_unsubscribe)


def scope_from_link(value) -> str | None:
    """The scope named in an unsubscribe link, or None when it names no list."""
    if not isinstance(value, str):
        return None
    value = LEGACY_SCOPES.get(value, value)
    return value if value in set(Scope) else None


def unsubscribe(scope: str, email: str) -> None:
    """The address leaves the list: recorded for any address, member or not; doing it twice is harmless."""
    email = lookup_key(email)
    added = suppress(email, scope, SuppressionReason.UNSUBSCRIBED)
    changed = sum(handler(email) for handler in _registry(current_app)["unsubscribe"].get(scope, []))
    record(None, "mailing.unsubscribed", None, scope=scope, email=email, changed=changed + int(added))


def suppress(email: str, scope: str, reason: str, detail: str = "") -> bool:
    """Add the address to the list's suppressions (an existing entry is kept as it is); True when added."""
    email = lookup_key(email)
    if not email:
        return False
    # ON CONFLICT DO NOTHING: two unsubscribes of the same address at once must not fail the second one.
    insert = postgresql.insert if db.session.get_bind().dialect.name == "postgresql" else sqlite.insert
    result = db.session.execute(
        insert(Suppression)
        .values(email=email, scope=Scope(scope).value, reason=reason, detail=detail[:500], created_at=now_utc())
        .on_conflict_do_nothing(index_elements=["email", "scope"])
    )
    return bool(result.rowcount)


def lift(email: str, scope: str | None = None, reason: str | None = None) -> int:
    """The person themself comes back (consent recorded, or the mailbox proved to work): remove their entries
    for `scope` (every scope when None), only those of `reason` when given. Returns how many went."""
    stmt = sa.delete(Suppression).where(Suppression.email.in_(_keys(email)))
    if scope:
        stmt = stmt.where(Suppression.scope == scope)
    if reason:
        stmt = stmt.where(Suppression.reason == reason)
    removed = db.session.execute(stmt.execution_options(synchronize_session=False)).rowcount or 0
    if removed:
        record(None, "mailing.resubscribed", None, email=lookup_key(email), scope=scope or "*", removed=removed)
    return removed


def fingerprint(email: str) -> str:
    """What the list keeps of an erased person's address: it matches the address, it does not hold it."""
    return "sha256:" + hashlib.sha256(lookup_key(email).encode()).hexdigest()


def _keys(email: str) -> tuple[str, str]:
    return lookup_key(email), fingerprint(email)


def is_suppressed(email: str, scope: str) -> bool:
    return (
        db.session.scalar(
            sa.select(Suppression.id).where(Suppression.email.in_(_keys(email)), Suppression.scope == scope).limit(1)
        )
        is not None
    )


def not_suppressed(email_column, scope: str):
    """A WHERE clause for audience queries: the address in `email_column` is not suppressed for `scope`.

    It compares plain addresses only: an erased person's fingerprint matches no row of the audiences any
    more (their address left every table), and the worker checks fingerprints again before it sends."""
    return ~sa.exists().where(Suppression.scope == scope, Suppression.email == sa.func.lower(email_column))


def suppressed_among(emails: list[str], scope: str) -> set[str]:
    """Which of these addresses (lower case) are suppressed for `scope`, an erased person's included."""
    by_key: dict[str, str] = {}
    for email in emails:
        if email:
            key, mark = _keys(email)
            by_key[key] = by_key[mark] = key
    keys = sorted(by_key)
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        found.update(
            by_key[k]
            for k in db.session.scalars(
                sa.select(Suppression.email).where(
                    Suppression.scope == scope, Suppression.email.in_(keys[start : start + 500])
                )
            )
        )
    return found


def forget_addresses(emails: list[str], *, keep_objection: bool) -> int:
    """RGPD erasure: the list's entries for these addresses keep only the address's fingerprint, so an
    opt-out outlives the erasure without the address staying on record. With `keep_objection` (a person
    erased their own data) every list gets such an entry: a coordinator pasting the address later, or an
    import, reaches nobody. Returns how many entries hold a fingerprint now."""
    now, kept = now_utc(), 0
    for email in {lookup_key(e) for e in emails if e}:
        mark = fingerprint(email)
        rows = db.session.scalars(sa.select(Suppression).where(Suppression.email.in_((email, mark)))).all()
        scopes = {row.scope for row in rows if row.email == mark}
        for row in rows:
            if row.email == email:
                if row.scope in scopes:
                    db.session.delete(row)
                else:
                    row.email, row.detail = mark, ""  # a bounce's detail may quote the address
                    scopes.add(row.scope)
        if keep_objection:
            for scope in Scope:
                if scope.value not in scopes:
                    db.session.add(
                        Suppression(email=mark, scope=scope.value, reason=SuppressionReason.ERASED, created_at=now)
                    )
                    scopes.add(scope.value)
        kept += len(scopes)
    db.session.flush()
    return kept


def export(emails: list[str]) -> list[dict]:
    """The person's entries (RGPD access): which lists their addresses left, when and why."""
    rows = db.session.scalars(
        sa.select(Suppression)
        .where(Suppression.email.in_(sorted({lookup_key(e) for e in emails if e}) or [""]))
        .order_by(Suppression.id)
    ).all()
    return [{"email": r.email, "list": r.scope, "reason": r.reason, "since": r.created_at.isoformat()} for r in rows]


# --- the coordinators' page -------------------------------------------------------------------------


def list_suppressions(actor, scope: str = "", q: str = "", page: int = 1, per_page: int = 50):
    """The suppression list, newest first, for coordinators (addresses are personal data: never public)."""
    require_role(actor, Role.COORDINATOR)
    stmt = sa.select(Suppression).order_by(Suppression.created_at.desc(), Suppression.id.desc())
    if scope in set(Scope):
        stmt = stmt.where(Suppression.scope == scope)
    if q.strip():
        escaped = q.strip().lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        stmt = stmt.where(Suppression.email.like(f"%{escaped}%", escape="\\"))
    return db.paginate(stmt, page=max(1, page), per_page=per_page, max_per_page=100, error_out=False)


def counts(actor) -> dict[str, dict[str, int]]:
    """{scope: {reason: count}} for every scope, zeros included."""
    require_role(actor, Role.COORDINATOR)
    result = {scope.value: {reason.value: 0 for reason in SuppressionReason} for scope in Scope}
    rows = db.session.execute(
        sa.select(Suppression.scope, Suppression.reason, sa.func.count()).group_by(
            Suppression.scope, Suppression.reason
        )
    )
    for scope, reason, count in rows:
        result[scope][reason] = count
    return result
