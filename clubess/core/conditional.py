"""Feeds that calendar clients and feed readers poll every few minutes: rendered once per data version, and
answered `304 Not Modified` without any rendering when the client already holds the current version.

- The ETag is a digest of the data version (core.versions) and of everything else the body depends on (the
  caller's `key`: the feed, its window, its page, the language, the person for a personal feed).
- `Last-Modified` is when the data last changed; for a feed whose window follows the calendar (« the last
  twelve months and what is to come ») it is at least today's midnight (Europe/Paris), so a client asking
  `If-Modified-Since` gets the window moved each day.
- The body is kept in the process (core.fragments) for the same version, one minute at most.
"""

import hashlib
from collections.abc import Callable, Hashable
from datetime import datetime, time

from flask import Response, request

from clubess.core import versions
from clubess.core.fragments import FragmentCache
from clubess.core.timezone import today, tz

FEEDS = FragmentCache(size=256)


def _midnight() -> datetime:
    return datetime.combine(today(), time(0), tzinfo=tz())


def _unchanged(etag: str, modified: datetime | None) -> bool:
    if request.if_none_match:  # the ETag wins over the date when a client sends both (RFC 9110 § 13.2.2)
        return request.if_none_match.contains(etag) or request.if_none_match.star_tag
    since = request.if_modified_since
    return bool(since and modified and modified <= since)


def feed_response(
    key: Hashable,
    render: Callable[[], bytes | str],
    mimetype: str,
    *,
    headers: dict | None = None,
    private: bool = False,
    daily: bool = False,
) -> Response:
    """The feed's response: 304 when the client's copy is current, else the body (rendered or kept)."""
    cache_control = ("private" if private else "public") + ", no-cache"
    token, changed_at = versions.stamp()
    if token is None:  # no change ever recorded: nothing tells one version from another
        response = Response(render(), mimetype=mimetype, headers=headers or {})
        response.headers["Cache-Control"] = cache_control
        return response
    etag = hashlib.sha256(repr((token, key)).encode()).hexdigest()[:32]
    modified = max(changed_at, _midnight()) if daily else changed_at
    modified = modified.replace(microsecond=0)
    if _unchanged(etag, modified):
        response = Response(status=304)
    else:
        response = Response(FEEDS.get(key, render), mimetype=mimetype, headers=headers or {})
    response.set_etag(etag)
    response.last_modified = modified
    response.headers["Cache-Control"] = cache_control
    response.vary.update(("Accept-Language", "Cookie"))
    return response
