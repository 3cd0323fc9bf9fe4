"""The directory of member collectivities: open to all, their people shown to members and coordinators."""

from flask import Blueprint, flash, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from clubess.core.inputs import page_arg
from clubess.core.pagecache import public_page
from clubess.core.permissions import Role
from clubess.core.vocabulary import LEVERS
from clubess.members import directory, hierarchy, services
from clubess.members.forms import TERRITORY_KIND_LABELS

bp = Blueprint("directory", __name__)


@bp.route("/annuaire")
@public_page
def index():
    department = request.args.get("departement", "")[:3]
    kind = request.args.get("type", "")[:20]
    is_member = bool(current_user.is_authenticated and services.member_of(current_user)) or _is_coordinator()
    interest = request.args.get("interet", "") if is_member else ""
    interest = interest if interest in LEVERS else ""
    targets = hierarchy.targets()
    territory = request.args.get("perimetre", "").strip()[:12]
    if territory and territory not in {t.code for t in targets}:
        flash(_("Territoire inconnu : choisissez-le dans la liste."), "error")
        territory = ""
    pagination = directory.list_member_collectivities(
        department, kind, page=page_arg(), interest=interest, territory=territory
    )
    people = directory.people_for_directory(current_user, pagination.items, interest) if is_member else {}
    return render_template(
        "members/directory.html",
        pagination=pagination,
        people=people,
        is_member=is_member,
        counts=directory.count_by_department(),
        department=department,
        kind=kind,
        interest=interest,
        territory=territory,
        targets=targets,
        levers=LEVERS,
        kind_labels=TERRITORY_KIND_LABELS,
    )


def _is_coordinator() -> bool:
    from clubess.core.permissions import has_role

    return has_role(current_user, Role.COORDINATOR)
