"""The member area's commitments (/espace/engagements): the collectivity's list, and for its référent, recording,
updating the status with a note, editing. Another collectivity's commitment does not exist here (404)."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from clubess.commitments import pages, quarters, services
from clubess.commitments.forms import CommitmentForm, StatusForm, edit_form
from clubess.commitments.labels import LABELS
from clubess.commitments.models import CommitmentStatus
from clubess.core.errors import DomainError
from clubess.core.permissions import Role, has_role
from clubess.extensions import db
from clubess.members.services import member_of

bp = Blueprint("commitment_area", __name__)

#: the order of the list's sections: what is being done first, what is closed last
SECTIONS = (CommitmentStatus.IN_PROGRESS, CommitmentStatus.PLANNED, CommitmentStatus.DONE, CommitmentStatus.ABANDONED)


def _my_collectivity():
    member = member_of(current_user)
    if member is None:
        abort(404)
    return member.collectivity


@bp.route("/espace/engagements")
@login_required
def index():
    if member_of(current_user) is None and has_role(current_user, Role.COORDINATOR):
        return redirect(url_for("commitments.manage"))
    collectivity = _my_collectivity()
    commitments = services.list_for_collectivity(collectivity)
    sections = [(status.value, [c for c in commitments if c.status == status]) for status in SECTIONS]
    return render_template(
        "commitments/area/index.html",
        collectivity=collectivity,
        sections=sections,
        total=len(commitments),
        can_manage=services.can_manage(current_user, collectivity),
        today=quarters.today(),
        **LABELS,
    )


def _new_form(collectivity) -> CommitmentForm:
    form = CommitmentForm()
    form.set_choices(
        services.people_in_office([collectivity.id]), quarters.upcoming(), services.meetings_attended(collectivity)
    )
    return form


@bp.route("/espace/engagements/nouveau", methods=["GET", "POST"])
@login_required
def new():
    collectivity = _my_collectivity()
    services.require_manager(current_user, collectivity)
    form = _new_form(collectivity)
    if form.validate_on_submit():
        try:
            commitment = services.record_commitment(
                current_user, collectivity, services.CommitmentData(**form.data_values())
            )
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            db.session.commit()
            flash(_("L’engagement « %(title)s » est enregistré.", title=commitment.title), "success")
            return redirect(url_for("commitment_area.detail", commitment_id=commitment.id))
    return render_template("commitments/area/form.html", form=form, collectivity=collectivity, commitment=None)


def _mine(commitment_id: int):
    commitment = services.get_readable(current_user, commitment_id)
    if commitment.collectivity_id != _my_collectivity().id:
        abort(404)  # a coordinator who is also a member reads other collectivities in the back office
    return commitment


def _detail(commitment, status_form: StatusForm):
    return pages.detail_page(
        "commitment_area", commitment, status_form, services.can_manage(current_user, commitment.collectivity)
    )


@bp.route("/espace/engagements/<int:commitment_id>")
@login_required
def detail(commitment_id: int):
    commitment = _mine(commitment_id)
    return _detail(commitment, StatusForm(formdata=None, data={"status": commitment.status}))


@bp.route("/espace/engagements/<int:commitment_id>/statut", methods=["POST"])
@login_required
def change_status(commitment_id: int):
    commitment = _mine(commitment_id)
    services.require_manager(current_user, commitment.collectivity)
    return pages.change_status("commitment_area", commitment)


@bp.route("/espace/engagements/<int:commitment_id>/modifier", methods=["GET", "POST"])
@login_required
def edit(commitment_id: int):
    commitment = _mine(commitment_id)
    collectivity = commitment.collectivity
    services.require_manager(current_user, collectivity)
    form = edit_form(commitment, services.people_in_office([collectivity.id]))
    if form.validate_on_submit():
        try:
            changed = services.update_commitment(
                current_user, commitment, services.CommitmentData(**form.data_values())
            )
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            db.session.commit()
            flash(_("L’engagement est modifié.") if changed else _("Rien n’a changé."), "success")
            return redirect(url_for("commitment_area.detail", commitment_id=commitment.id))
    return render_template("commitments/area/form.html", form=form, collectivity=collectivity, commitment=commitment)
