"""The resource centre (public part and members' part), a document's page and its file, checked on every request.

The meeting page, a member's registrations page and a practice page list their documents through the
template globals below: those pages belong to the meetings and practices packages, and each global is one
call to this package's services (one or two queries), so they show documents without knowing about them.
"""

import math

from flask import Blueprint, abort, g, render_template, request, send_file
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from clubess.core import uploads
from clubess.core.errors import Forbidden, render_error
from clubess.core.inputs import page_arg, parse_int
from clubess.core.pagecache import public_page
from clubess.core.vocabulary import LEVERS
from clubess.extensions import login_manager
from clubess.mailing.services import external_url
from clubess.resources import presentations, services
from clubess.resources.access import viewer_for
from clubess.resources.labels import KIND_LABELS, VISIBILITY_LABELS
from clubess.resources.search import Filters, search

bp = Blueprint("resources", __name__)

LABELS = {"kind_labels": KIND_LABELS, "visibility_labels": VISIBILITY_LABELS, "levers": LEVERS}
#: what a downloaded file may do in the browser: nothing (no script, no form, no plugin, no frame)
FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox; frame-ancestors 'none'"


def viewer():
    """The current person's rights, read once per request."""
    if "resources_viewer" not in g:
        g.resources_viewer = viewer_for(current_user)
    return g.resources_viewer


@bp.app_template_filter("filesize")
def filesize(size: int) -> str:
    """« 820 Ko », « 2,4 Mo » in the page's language."""
    if size >= 1024 * 1024:
        return _("%(n)s Mo", n=format_decimal(round(size / (1024 * 1024), 1)))
    return _("%(n)s Ko", n=format_decimal(max(1, math.ceil(size / 1024))))


@bp.app_template_global("meeting_documents")
def meeting_documents(meeting):
    return services.for_meeting_page(meeting, viewer())


@bp.app_template_global("registration_documents")
def registration_documents(registrations):
    return services.for_meetings([r.meeting_id for r in registrations], viewer())


@bp.app_template_global("attendee_documents")
def attendee_documents(meeting_id: int, is_member: bool) -> list[tuple[str, str]]:
    """(title, address) of the documents the minutes mail offers an attendee (rendered by the outbox worker)."""
    return [
        (d.title, d.url if d.is_link else external_url("resources.document", document_id=d.id))
        for d in services.for_attendee(meeting_id, is_member)
    ]


@bp.app_template_global("practice_resources")
def practice_resources(practice):
    return {
        "documents": services.for_practice(practice, viewer()),
        "presented_at": presentations.presented_at(practice, members_only=viewer().is_member),
    }


def _filters() -> Filters:
    kind = request.args.get("type", "")
    lever = request.args.get("levier", "")
    return Filters(
        kind=kind if kind in KIND_LABELS else "",
        lever=lever if lever in LEVERS else "",
        year=parse_int(request.args.get("annee", ""), minimum=1000, maximum=9999),
        meeting_id=parse_int(request.args.get("rencontre", ""), minimum=1),
    )


@bp.route("/ressources")
@public_page
def centre():
    from clubess.practices.search.engine import highlight

    query = request.args.get("q", "")[:500]
    filters = _filters()
    who = viewer()
    result = search(query, filters, who.visibilities, page=page_arg())
    return render_template(
        "resources/centre.html",
        result=result,
        query=query,
        filters=filters,
        viewer=who,
        highlight=highlight,
        matched=result.plan.all_terms(),
        **LABELS,
    )


def _open(document_id: int):
    try:
        return services.get_for(viewer(), document_id)
    except services.LoginNeeded:
        return login_manager.unauthorized()
    except Forbidden as exc:
        return render_error(403, exc.message)


@bp.route("/ressources/<int:document_id>")
def document(document_id: int):
    document = _open(document_id)
    if not isinstance(document, services.Document):
        return document
    return render_template("resources/document.html", document=document, viewer=viewer(), **LABELS)


@bp.route("/ressources/<int:document_id>/fichier")
def download(document_id: int):
    """The file, as its type, never run: `nosniff`, a sandboxing CSP; PDFs and pictures open in the browser,
    the rest downloads under the name it had."""
    document = _open(document_id)
    if not isinstance(document, services.Document):
        return document
    if document.is_link:
        abort(404)
    file = uploads.sendable(document.stored_name)
    if file is None:
        return render_error(
            404, _("Le fichier de ce document est introuvable sur le serveur : prévenez l’équipe du club.")
        )
    response = send_file(
        file,
        mimetype=document.content_type,
        as_attachment=not document.opens_inline,
        download_name=document.filename or f"document.{uploads.EXTENSIONS.get(document.content_type, 'bin')}",
        conditional=True,
        etag=document.stored_name.rsplit("/", 1)[-1],  # a stored name is never reused: its bytes never change
        max_age=0,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = FILE_CSP
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    response.headers["Cache-Control"] = "private, no-cache" if document.visibility != "public" else "no-cache"
    return response
