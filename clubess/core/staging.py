"""An uploaded file kept on the server between an import's check page and its confirmation.

The check page runs the import and rolls it back, states its effect, and keeps the file in the uploads'
storage (`core.storage`: shared by every instance, so the confirmation may reach another one) under
imports/<token> with who uploaded it and the counts it announced. Its button posts only the
token: the file is never sent back by the browser, only the coordinator who uploaded it may confirm it, and
it is deleted once imported, or after `LIFETIME` (every check and confirmation sweeps older files away).
"""

import json
import re
import secrets
from dataclasses import dataclass

from flask_babel import gettext as _

from clubess.core.errors import DomainError
from clubess.core.storage import age, storage

#: the form field holding the token on the check page
FIELD = "jeton"
#: how long a checked file waits for its confirmation
LIFETIME = 3600
#: the largest file kept (the imports read less than this)
MAX_BYTES = 10 * 1024 * 1024
TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")


class Unavailable(DomainError):
    """The token names no file this person may import (expired, already imported, another's, forged)."""

    status = 400


@dataclass
class Staged:
    token: str
    content: bytes
    #: what the check recorded: the import's options and the counts it announced
    meta: dict


#: the storage's folder holding files in transit (never backed up: they live an hour at most)
FOLDER = "imports"


def _names(token: str) -> tuple[str, str]:
    return f"{FOLDER}/{token}.data", f"{FOLDER}/{token}.json"


def sweep() -> None:
    """Delete the files older than LIFETIME."""
    kept = storage()
    for name, modified in kept.listing(FOLDER):
        if age(modified) > LIFETIME:
            try:
                kept.delete(name)
            except OSError:  # another worker deleted it first
                continue


def stage(kind: str, user_id: int, content: bytes, meta: dict) -> str:
    """Keep `content` for `user_id`'s confirmation of a `kind` import; its token."""
    if len(content) > MAX_BYTES:
        raise ValueError(_("Le fichier dépasse %(n)d Mo : découpez-le.", n=MAX_BYTES // (1024 * 1024)))
    sweep()
    token = secrets.token_urlsafe(24)
    data, info = _names(token)
    storage().write(data, content)
    storage().write(info, json.dumps({"kind": kind, "user_id": user_id, "meta": meta}).encode())
    return token


def load(kind: str, token: str, user_id: int) -> Staged:
    """The file `token` names, if `user_id` uploaded it for a `kind` import less than LIFETIME ago."""
    gone = Unavailable(
        _("Ce fichier n’est plus disponible (déjà importé, ou vérifié il y a plus d’une heure) : déposez-le à nouveau.")
    )
    if not TOKEN.fullmatch(token or ""):
        raise gone
    sweep()
    data, info = _names(token)
    try:
        stored, content = json.loads(storage().read(info) or b"null"), storage().read(data)
    except (OSError, ValueError):
        raise gone from None
    if not isinstance(stored, dict) or content is None:
        raise gone
    if stored.get("kind") != kind:
        raise gone
    if stored.get("user_id") != user_id:
        raise Unavailable(_("Ce fichier a été déposé par une autre personne : seule elle peut confirmer son import."))
    return Staged(token, content, stored.get("meta") or {})


def update(staged: Staged, meta: dict) -> None:
    """Record new counts after a new check (the file's lifetime starts again)."""
    staged.meta = meta
    data, info = _names(staged.token)
    stored = json.loads(storage().read(info) or b"{}")
    storage().write(info, json.dumps({**stored, "meta": meta}).encode())
    storage().write(data, staged.content)  # written again: its age starts again too


def discard(token: str) -> None:
    for name in _names(token):
        storage().delete(name)


@dataclass
class Rerun:
    staged: Staged
    report: object
    #: the import no longer does what the check page said: nothing is kept, the new counts are recorded
    changed: bool


def rerun(kind: str, token: str, user_id: int, run, counts_of) -> Rerun:
    """The check page's button: run the import again on the kept file (`run(staged)` returns its report).
    When its counts differ from the ones the page announced, it is rolled back and the new counts are kept
    for a fresh check; otherwise the caller commits it and discards the file. Unavailable for a bad token."""
    from clubess.extensions import db

    staged = load(kind, token, user_id)
    report = run(staged)
    counts = counts_of(report)
    if counts == staged.meta["counts"]:
        return Rerun(staged, report, changed=False)
    db.session.rollback()
    update(staged, {**staged.meta, "counts": counts})
    return Rerun(staged, report, changed=True)
