"""The territory pages: `/territoires` (the région, a search, the hierarchy) and `/territoires/<code>`.

A page is a header, the territories it lies in and those inside it, then the sections the features registered
(clubess.territories.sections), each rendered from its template with its own variables.
"""

from flask import Blueprint, Response, current_app, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from clubess.extensions import limiter
from clubess.members.forms import TERRITORY_KIND_LABELS
from clubess.members.territories import search_territories
from clubess.territories import browse, diagnostic, sections
from clubess.territories.diagnostic_pdf import render as render_pdf
from clubess.territories.overview import page_arg

bp = Blueprint("territories", __name__)

#: territories a search lists at most
SEARCH_LIMIT = 20


def _render_sections(page: str, territory, viewer) -> list[tuple[sections.Section, Markup]]:
    """Each section shown to this viewer, rendered: its template gets the section's variables, plus
    `territory`, `viewer` and `section` unless the section sets them itself."""
    rendered = []
    for section, context in sections.render_list(page, territory, viewer, request.args):
        variables = {"territory": territory, "viewer": viewer, "section": section, **context}
        html = render_template(section.template, **variables)  # escaped by Jinja's autoescape, as any page
        rendered.append((section, Markup(html)))  # noqa: S704
    return rendered


#: the index's hierarchy, rendered: (language, script root, every territory with its member count) -> HTML. Seventy
#: links with their counts cost more to render than the rest of the page; they change when a member joins.
_HIERARCHY: dict[tuple, Markup] = {}


def _hierarchy(groups: list[browse.Group]) -> Markup:
    key = (
        str(get_locale()),
        request.script_root,
        tuple((t.id, t.code, t.name, group.members[t.id]) for group in groups for t in group.territories),
    )
    html = _HIERARCHY.get(key)
    if html is None:
        if len(_HIERARCHY) > 64:
            _HIERARCHY.clear()
        html = _HIERARCHY[key] = Markup(  # noqa: S704 - rendered by Jinja with autoescape
            render_template("territories/_hierarchy.html", groups=groups, kind_labels=TERRITORY_KIND_LABELS)
        )
    return html


@bp.route("/territoires")
def index():
    query = request.args.get("q", "")[:100].strip()
    region = browse.get_region()
    viewer = browse.viewer_for(current_user)
    groups = browse.index_groups(region) if region is not None else []
    return render_template(
        "territories/index.html",
        region=region,
        query=query,
        results=search_territories(query, limit=SEARCH_LIMIT) if query else [],
        groups=groups,
        hierarchy=_hierarchy(groups) if groups else "",
        region_members=browse.count_members(region) if region is not None else 0,
        shown=_render_sections(sections.INDEX, region, viewer) if region is not None else [],
        kind_labels=TERRITORY_KIND_LABELS,
    )


@bp.route("/territoires/<code>")
def detail(code: str):
    territory = browse.get_territory(code)
    viewer = browse.viewer_for(current_user)
    return render_template(
        "territories/detail.html",
        territory=territory,
        parents=browse.parents(territory),
        groups=browse.child_groups(territory),
        communes=browse.communes(territory, page_arg(request.args, "communes")),
        communes_open="communes" in request.args,
        shown=_render_sections(sections.DETAIL, territory, viewer),
        kind_labels=TERRITORY_KIND_LABELS,
    )


@bp.route("/territoires/<code>/diagnostic.pdf")
@limiter.limit("30 per minute")  # a PDF costs a hundred times a page: a crawler may not loop on 1,338 of them
def diagnostic_sheet(code: str):
    """The territory's two-page synthesis, as this viewer may read it (a visitor's holds no name)."""
    territory = browse.get_territory(code)
    viewer = browse.viewer_for(current_user)
    sheet = diagnostic.build(territory, viewer, url_for("territories.detail", code=territory.code, _external=True))
    pdf = render_pdf(sheet, current_app.config.get("PDF_FONT_DIR"))
    filename = f"diagnostic-{territory.code}.pdf"
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"', "Cache-Control": "private, no-store"},
    )
