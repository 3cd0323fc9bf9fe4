"""Asking before creating what may already exist: a service finds it, the page lists it, the person goes on.

Not to be confused with `core.confirm`, the confirmation page before an action that cannot be taken back.

Nothing is refused (a second meeting at the same time or a homonym can be legitimate) and nothing is
created silently. A service raises `NeedsConfirmation` before changing anything; the view shows what was
found with a button that sends the form again with the warning's `key` (the `acknowledge` field). A key
given for one warning does not cover another: if what is found changes, the person is asked again.
"""

import re
import unicodedata


class NeedsConfirmation(Exception):
    """What looks like a duplicate: `found` rows (each with an `id`) of a `kind` ("meeting", "speaker"…)."""

    def __init__(self, kind: str, found: list):
        super().__init__(f"{kind} needs confirmation")
        self.kind = kind
        self.found = list(found)

    @property
    def key(self) -> str:
        return self.kind + ":" + ",".join(str(i) for i in sorted(row.id for row in self.found))


def confirm(kind: str, found: list, acknowledged: str) -> None:
    """Raise NeedsConfirmation if anything was found, unless the person already confirmed exactly that."""
    if found and NeedsConfirmation(kind, found).key != acknowledged:
        raise NeedsConfirmation(kind, found)


def normalise(text: str) -> str:
    """A name or title as compared for duplicates: lower case, no accents, punctuation and spaces as one space."""
    text = unicodedata.normalize("NFKD", text.casefold())
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[\W_]+", " ", text).split())
