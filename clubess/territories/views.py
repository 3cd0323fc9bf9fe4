"""The territory pages: `/territoires` (the région, a search, the hierarchy) and `/territoires/<code>`.

A page is a header, the territories it lies in and those inside it, then the sections the features registered
(clubess.territories.sections), each rendered from its template with its own variables.
"""

from flask import Blueprint, Response, current_app, render_template, request, url_for
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from clubess.core.fragments import FragmentCache
from clubess.core.pagecache import public_page
from clubess.extensions import limiter
from clubess.members.forms import TERRITORY_KIND_LABELS
from clubess.members.territories import search_territories
from clubess.territories import browse, diagnostic, sections
from clubess.territories.diagnostic_pdf import render as render_pdf
from clubess.territories.overview import page_arg

bp = Blueprint("territories", __name__)

#: territories a search lists at most
SEARCH_LIMIT = 20


#: the sections as rendered, per data version: (page, section, territory, what the viewer may see, language,
#: script root, query arguments) -> the HTML, or None for a section left out
_SECTIONS = FragmentCache(size=2048)
#: query arguments longer than this are not cached (a crawler's junk would only evict useful entries)
MAX_CACHED_ARGS = 200


def _viewer_key(viewer) -> tuple:
    collectivity = getattr(viewer.collectivity, "id", None)
    return (viewer.is_member, viewer.is_coordinator, collectivity, bool(current_user.is_authenticated))


def _render_sections(page: str, territory, viewer) -> list[tuple[sections.Section, Markup]]:
    """Each section shown to this viewer, rendered: its template gets the section's variables, plus
    `territory`, `viewer` and `section` unless the section sets them itself."""
    args = tuple(sorted(request.args.items(multi=True)))
    cacheable = len(repr(args)) <= MAX_CACHED_ARGS
    base = (page, territory.id, _viewer_key(viewer), str(get_locale()), request.script_root, args)
    rendered = []
    for section in sections.sections(page):

        def render(section=section):
            context = section.context(territory, viewer, request.args)
            if context is None:
                return None
            variables = {"territory": territory, "viewer": viewer, "section": section, **context}
            return Markup(render_template(section.template, **variables))  # noqa: S704 - Jinja autoescapes

        html = _SECTIONS.get((section.key, *base), render) if cacheable else render()
        if html is not None:
            rendered.append((section, html))
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
@public_page
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
@public_page
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
