"""API v1 routes: thin, each reads its parameters strictly (api/params.py) and calls one domain service.

Every answer is JSON, errors included (core/errors.py answers JSON under /api/): 400, 404, 405, 413,
414, 429 and 500 carry {"error": {"status", "title", "message"}}. The OpenAPI document
(api/openapi.py) describes exactly this; tests run schemathesis against it.
"""

from flask import Blueprint, current_app, jsonify, request
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from clubess.api import params
from clubess.api.openapi import openapi_document
from clubess.api.schemas import RESOURCE_YEARS
from clubess.core.conditional import feed_response
from clubess.core.fictitious import FICTITIOUS, fictitious_label
from clubess.core.inputs import MAX_PAGE, InputRefused, query_choice, query_int
from clubess.core.pagination import link_header, page_links
from clubess.core.timezone import today, tz
from clubess.core.vocabulary import LEVERS
from clubess.extensions import csrf, limiter
from clubess.members.forms import TERRITORY_KIND_LABELS
from clubess.practices.visibility import sees_contacts

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)  # no cookie-authenticated writes: every route reads (the match POST only carries a long text)


def _external_url(endpoint: str, **values) -> str:
    from clubess.mailing.services import external_url

    return external_url(endpoint, **values)


def _fictitious(row) -> dict:
    """Demo rows say so in the API too: `fictitious`, and the notice to show with them."""
    return {"fictitious": row.demo, **({"fictitious_notice": fictitious_label(row)} if row.demo else {})}


@bp.route("/openapi.json")
def openapi():
    response = jsonify(openapi_document())
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.route("/territories")
@limiter.limit("120 per minute")
def territories():
    from clubess.members.territories import search_territories

    query = request.args.get("q", "")
    limit = query_int("limit", 10, minimum=1, maximum=50)
    if len(query) < 2:
        raise InputRefused(_l("« q » doit compter au moins 2 caractères."))
    results = search_territories(query[:100], limit=limit)
    return jsonify(
        results=[
            {
                "id": t.id,
                "code": t.code,
                "kind": t.kind,
                "name": t.name,
                "department_code": t.department_code,
                "department_codes": t.department_codes.split(),
                "population": t.population,
                "label": f"{t.name} ({TERRITORY_KIND_LABELS[t.kind]}"
                f"{', ' + t.departments_label if t.department_codes else ''})",
            }
            for t in results
        ]
    )


@bp.route("/territories/<code>")
@limiter.limit("120 per minute")
def territory(code: str):
    """A territory's public page as data: itself, its parents, what it holds, its latest figures."""
    from clubess.territories import browse

    found = browse.get_territory(code[:20])
    return jsonify(territory_json(found, browse.territory_summary(found)))


def territory_json(t, summary) -> dict:
    return {
        "code": t.code,
        "kind": t.kind,
        "name": t.name,
        "population": t.population,
        "department_codes": summary.department_codes,
        "url": _external_url("territories.detail", code=t.code),
        "parents": [
            {"code": p.code, "kind": p.kind, "name": p.name, "url": _external_url("territories.detail", code=p.code)}
            for p in summary.parents
        ],
        "children": summary.children,
        "members": summary.members,
        "practices": summary.practices,
        "indicators": [
            {
                "indicator": f["indicator"],
                "label": f["label"],
                "year": f["year"],
                "value": f["value"],
                "unit": f["unit"],
                "origin": f["origin"],
                "source": " ; ".join(f["sources"]),
                "fictitious": f["demo"],
                **({"fictitious_notice": str(FICTITIOUS)} if f["demo"] else {}),
            }
            for f in summary.indicators
        ],
    }


#: meetings per page of the API, by default and at most
MEETINGS_LIMIT, MEETINGS_MAX_LIMIT = 50, 200


@bp.route("/meetings")
@limiter.limit("120 per minute")
def meetings():
    """A page of the meetings of a window of time: by default the last twelve months and what is to come
    (`from`, `to` AAAA-MM-JJ), `page`, `limit`, with the links to the other pages; kept per data version and
    answered 304 when the client's copy is current."""
    from clubess.meetings import feeds, services
    from clubess.meetings.views import feed_page_url

    window = feeds.window_from(request.args)
    page = query_int("page", 1, minimum=1, maximum=MAX_PAGE)
    limit = query_int("limit", MEETINGS_LIMIT, minimum=1, maximum=MEETINGS_MAX_LIMIT)

    total = feeds.count_public_meetings(window)
    pages = feeds.pages_of(total, limit)
    links = page_links(feed_page_url, page, pages)

    def render() -> str:
        body = {
            "total": total,
            "page": page,
            "pages": pages,
            "limit": limit,
            "from": window.start.isoformat() if window.start else None,
            "to": window.end.isoformat() if window.end else None,
            "links": links,
            "results": [
                {
                    "id": m.id,
                    "title": m.title,
                    "kind": m.kind,
                    "format": m.format,
                    "status": m.status,
                    "starts_at": m.starts_at.astimezone(services.tz()).isoformat(),
                    "ends_at": m.ends_at.astimezone(services.tz()).isoformat(),
                    "venue": m.venue,
                    "address": m.address,
                    "department_code": m.department_code,
                    "audience": m.audience,
                    "url": _external_url("meetings.detail", meeting_id=m.id),
                    "ics": _external_url("meetings.meeting_ics", meeting_id=m.id),
                    **_fictitious(m),
                }
                for m in feeds.public_meetings(window, page, limit)
            ],
        }
        return current_app.json.dumps(body)

    key = ("api.meetings", window, page, limit, str(get_locale()), today())
    return feed_response(key, render, "application/json", daily=True, headers={"Link": link_header(links)})


def practice_json(p, full: bool = False) -> dict:
    data = {
        "ref": p.ref,
        "title": p.title,
        "summary": p.summary,
        "lever": p.lever,
        "themes": p.themes or [],
        "year": p.year,
        "territory_name": p.territory_name,
        "territory_kind": p.territory_kind,
        "department_code": p.department_code,
        "url": _external_url("practices.detail", practice_id=p.id),
        **_fictitious(p),
    }
    if full:  # the public portrait (practices/visibility.py); the contact for members and coordinators only
        data.update({"description": p.description, "partners": p.partners or [], "links": p.links or []})
        if sees_contacts(current_user):
            data["contact_role"] = p.contact_role
    return data


@bp.route("/practices")
@limiter.limit("120 per minute")
def practices():
    from clubess.practices.search.engine import Filters, search

    filters = Filters(
        lever=query_choice("lever", LEVERS) or "",
        theme=request.args.get("theme", "")[:100],
        territory_kind=query_choice("territory_kind", TERRITORY_KIND_LABELS) or "",
    )
    page = query_int("page", 1, minimum=1, maximum=MAX_PAGE)
    result = search(request.args.get("q", "")[:500], filters, page=page)
    return jsonify(
        total=result.total, page=result.page, pages=result.pages, results=[practice_json(p) for p in result.practices]
    )


@bp.route("/practices/match", methods=["GET", "POST"])
@limiter.limit("60 per minute")
def match():
    """The published practices and ESS actors' solutions that answer a problem described in everyday words,
    with reasons; each result says its `kind` (`practice` or `solution`).

    GET for short texts in the query string; POST with a JSON body for long ones (up to 5,000 characters).
    """
    from clubess.practices import matching
    from clubess.practices.answered import READS, is_answered

    asked = params.match_from_body() if request.method == "POST" else params.match_from_query()
    results = matching.match(asked.text, asked.context, limit=max(asked.limit, READS))
    answered = is_answered(results)  # read on the first two, whatever the limit
    return jsonify(
        answered=answered,
        results=[
            {
                "ref": m.practice.ref,
                "kind": m.kind,
                "title": m.practice.title,
                "score": m.score,
                "reasons": m.reasons,
                **_fictitious(m.practice),
            }
            for m in results[: asked.limit]
        ],
    )


@bp.route("/practices/<ref>")
@limiter.limit("120 per minute")
def practice(ref: str):
    from clubess.practices.services import get_published_by_ref

    return jsonify(practice_json(get_published_by_ref(ref[:40]), full=True))


def resource_json(d) -> dict:
    meeting = None
    if d.meeting is not None:
        meeting = {
            "id": d.meeting.id,
            "title": d.meeting.title,
            "url": _external_url("meetings.detail", meeting_id=d.meeting.id),
        }
    return {
        "id": d.id,
        "title": d.title,
        "description": d.description,
        "kind": d.kind,
        "lever": d.lever,
        "year": d.year if d.meeting is None else d.meeting.starts_at.astimezone(tz()).year,
        "meeting": meeting,
        "url": _external_url("resources.document", document_id=d.id),
        "file_url": None if d.is_link else _external_url("resources.download", document_id=d.id),
        "video_url": d.url if d.is_link else None,
        "filename": d.filename or None,
        "content_type": d.content_type or None,
        "size": d.size if not d.is_link else None,
        **_fictitious(d),
    }


@bp.route("/resources")
@limiter.limit("120 per minute")
def resources():
    """The resource centre's public documents, with the same filters as its page."""
    from clubess.resources.labels import KIND_LABELS
    from clubess.resources.models import Visibility
    from clubess.resources.search import Filters, search

    filters = Filters(
        kind=query_choice("kind", KIND_LABELS) or "",
        lever=query_choice("lever", LEVERS) or "",
        year=query_int("year", 0, minimum=RESOURCE_YEARS[0], maximum=RESOURCE_YEARS[1]) or None,
        meeting_id=query_int("meeting", 0, minimum=1) or None,
    )
    page = query_int("page", 1, minimum=1, maximum=MAX_PAGE)
    result = search(request.args.get("q", "")[:500], filters, {Visibility.PUBLIC.value}, page=page)
    return jsonify(
        total=result.total, page=result.page, pages=result.pages, results=[resource_json(d) for d in result.documents]
    )
