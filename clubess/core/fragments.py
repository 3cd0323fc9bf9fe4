"""Rendered page parts kept per data version, in each process.

`FragmentCache.get(key, render)` returns what `render()` returned for the same key while the data has not
changed (clubess.core.versions) and for at most `ttl` seconds, so that parts depending on the clock too
(« à venir », « sur 12 mois ») are redone within a minute. The key must name everything else the part depends
on: the viewer's rights, the language, the query arguments. Bounded: the least recently used entries go first.

What rendering leaves in `g` for the rest of the request (e.g. « this page shows a demo row », which puts the
notice on the page) is kept with the entry and set again when the entry is served: see `replay_flag()`.

A part holding forms is kept for every viewer alike: it is rendered with `FORM_TOKEN` where each form's CSRF token
goes, and `with_form_token()` puts the viewer's own token there when the part is served.
"""

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable

from flask import g
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from clubess.core import versions

#: names in `g` a rendering may set to True, that a page served from the cache must set too
_FLAGS: list[str] = []


def replay_flag(name: str) -> None:
    if name not in _FLAGS:
        _FLAGS.append(name)


def flag_names() -> tuple[str, ...]:
    return tuple(_FLAGS)


#: stands for the viewer's CSRF token in a kept part: random per process, so no text a person writes can hold it
FORM_TOKEN = f"form-token-{secrets.token_hex(16)}"


def with_form_token(part: str) -> Markup:
    """A kept part rendered with `FORM_TOKEN`, with this viewer's CSRF token in its forms."""
    return Markup(part.replace(FORM_TOKEN, generate_csrf()))  # noqa: S704 - the part was rendered with autoescape


def _render_capturing(render: Callable[[], object]) -> tuple[object, tuple[str, ...]]:
    before = {name: g.pop(name, None) for name in _FLAGS}
    try:
        value = render()
        raised = tuple(name for name in _FLAGS if g.get(name))
    finally:
        for name, old in before.items():
            if old or g.get(name):
                setattr(g, name, True)
    return value, raised


class FragmentCache:
    def __init__(self, size: int = 512, ttl: float = 60.0):
        self.size = size
        self.ttl = ttl
        self._entries: OrderedDict = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, render: Callable[[], object]):
        token = versions.current()
        if token is None:  # no change ever recorded: nothing to tell a stale entry by
            return render()
        full = (token, key)
        now = time.monotonic()
        with self._lock:
            entry = self._entries.get(full)
            if entry is not None and entry[0] > now:
                self._entries.move_to_end(full)
                for name in entry[2]:
                    setattr(g, name, True)
                return entry[1]
        value, raised = _render_capturing(render)
        with self._lock:
            self._entries[full] = (now + self.ttl, value, raised)
            self._entries.move_to_end(full)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value

    def peek(self, key: Hashable):
        """The value kept for `key` in this data version, or None (then the caller renders and `put`s)."""
        token = versions.current()
        if token is None:
            return None
        with self._lock:
            entry = self._entries.get((token, key))
            if entry is None or entry[0] <= time.monotonic():
                return None
            self._entries.move_to_end((token, key))
            return entry[1]

    def put(self, key: Hashable, value) -> None:
        """Keep `value` for `key` in this data version (nothing is kept when no version exists yet)."""
        token = versions.current()
        if token is None:
            return
        with self._lock:
            self._entries[(token, key)] = (time.monotonic() + self.ttl, value, ())
            self._entries.move_to_end((token, key))
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
