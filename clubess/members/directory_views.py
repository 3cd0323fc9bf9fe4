"""The directory of member collectivities: open to all, their people shown to members and coordinators."""

from flask import Blueprint, flash, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from clubess.core.fragments import FragmentCache
from clubess.core.inputs import page_arg
from clubess.core.pagecache import public_page
from clubess.core.permissions import Role
from clubess.core.vocabulary import LEVERS
from clubess.members import directory, hierarchy, services
from clubess.members.forms import TERRITORY_KIND_LABELS

bp = Blueprint("directory", __name__)
#: what the directory shows alike to every reader, per data version
_kept = FragmentCache(size=256, ttl=300.0)
#: a page of the list, per data version and within a minute of the clock (a mandate that ends today)
_listed = FragmentCache(size=256, ttl=60.0)


@bp.route("/annuaire")
@public_page
def index():
    department = request.args.get("departement", "")[:3]
    kind = request.args.get("type", "")[:20]
    is_member = bool(current_user.is_authenticated and services.member_of(current_user)) or _is_coordinator()
    interest = request.args.get("interet", "") if is_member else ""
    interest = interest if interest in LEVERS else ""
    territory = request.args.get("perimetre", "").strip()[:12]
    if territory and territory not in _target_codes():
        flash(_("Territoire inconnu : choisissez-le dans la liste."), "error")
        territory = ""
    filters = {"department": department, "kind": kind, "interest": interest, "territory": territory}
    page = page_arg()

    def render() -> Markup:
        pagination = directory.list_member_collectivities(
            department, kind, page=page, interest=interest, territory=territory
        )
        people = directory.people_for_directory(current_user, pagination.items, interest) if is_member else {}
        return Markup(  # noqa: S704 - rendered by Jinja with autoescape
            render_template(
                "members/_directory_list.html",
                pagination=pagination,
                people=people,
                **filters,
                levers=LEVERS,
                kind_labels=TERRITORY_KIND_LABELS,
            )
        )

    # the people shown are the same for every member (what each agreed to show): kept per kind of reader
    listing = _listed.get(("list", str(get_locale()), is_member, page, *sorted(filters.items())), render)
    return render_template("members/directory.html", head=_head(is_member, **filters), listing=listing)


def _target_codes() -> frozenset[str]:
    return _kept.get("target-codes", lambda: frozenset(t.code for t in hierarchy.targets()))


def _head(is_member: bool, **filters) -> Markup:
    """The counts by département and the filter form (a hundred territories to choose from), rendered once per
    data version, language and filters instead of on every request."""

    def render() -> Markup:
        return Markup(  # noqa: S704 - rendered by Jinja with autoescape
            render_template(
                "members/_directory_head.html",
                counts=directory.count_by_department(),
                targets=hierarchy.targets(),
                is_member=is_member,
                levers=LEVERS,
                kind_labels=TERRITORY_KIND_LABELS,
                **filters,
            )
        )

    return _kept.get(("head", str(get_locale()), is_member, *sorted(filters.items())), render)


def _is_coordinator() -> bool:
    from clubess.core.permissions import has_role

    return has_role(current_user, Role.COORDINATOR)
