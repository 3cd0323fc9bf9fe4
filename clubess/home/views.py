"""The member home (`/espace`): the view lives with what it shows, above the domains it reads (DESIGN.md's
layering: a domain never imports the member home)."""

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from clubess.auth.forms import ROLE_LABELS
from clubess.core.forms import EmptyForm
from clubess.home.services import member_home

bp = Blueprint("home", __name__)


@bp.route("/espace")
@login_required
def account():
    from clubess.members.services import member_of

    membership = member_of(current_user)
    return render_template(
        "auth/account.html",
        form=EmptyForm(),
        role_labels=ROLE_LABELS,
        membership=membership,
        home=member_home(current_user, membership),
    )
