"""The back office of the directory: structures, requests to be listed, solutions and their moderation."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from clubess.actors import confirmations, links, services, solutions
from clubess.actors.forms import (
    CoordinationFilterForm,
    LinksForm,
    OrganisationForm,
    RejectForm,
    SolutionForm,
    form_errors,
    organisation_data,
    solution_data,
)
from clubess.actors.labels import STATUS_LABELS
from clubess.actors.models import OrganisationStatus
from clubess.core.confirm import confirmation_page, is_confirmed
from clubess.core.errors import DomainError
from clubess.core.forms import EmptyForm
from clubess.core.inputs import page_arg
from clubess.core.permissions import Role, role_required
from clubess.core.vocabulary import LEVERS
from clubess.extensions import db
from clubess.practices.labels import STATUS_LABELS as SOLUTION_STATUS_LABELS
from clubess.practices.models import PracticeStatus

bp = Blueprint("actors_coordination", __name__)


@bp.route("/coordination/acteurs")
@role_required(Role.COORDINATOR)
def manage():
    filters = CoordinationFilterForm(request.args)
    status = filters.statut.data if filters.statut.data in STATUS_LABELS else ""
    pagination = services.list_for_coordination(current_user, status, filters.q.data or "", page=page_arg())
    return render_template(
        "actors/coordination/list.html",
        filters=filters,
        pagination=pagination,
        pending=services.count_pending(current_user),
        args={"q": filters.q.data or "", "statut": status},
    )


def _form_values(organisation) -> dict:
    return {
        "name": organisation.name,
        "kind": organisation.kind,
        "siret": organisation.siret or "",
        "description": organisation.description,
        "website": organisation.website,
        "contact_name": organisation.contact_name,
        "contact_email": organisation.contact_email,
        "contact_phone": organisation.contact_phone,
        "territories": services.territories_text(organisation.territories),
    }


@bp.route("/coordination/acteurs/nouveau", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def create():
    form = OrganisationForm()
    if form.validate_on_submit():
        try:
            organisation = services.create_organisation(current_user, organisation_data(form))
        except DomainError as exc:
            form.add_domain_errors(form_errors(exc))
        else:
            db.session.commit()
            flash(_("La structure est ajoutée à l’annuaire."), "success")
            return redirect(url_for("actors_coordination.edit", organisation_id=organisation.id))
    return render_template("actors/coordination/form.html", form=form, organisation=None)


@bp.route("/coordination/acteurs/<int:organisation_id>", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def edit(organisation_id: int):
    organisation = services.get_organisation(organisation_id, current_user)
    form = OrganisationForm(data=None if request.method == "POST" else _form_values(organisation))
    if form.validate_on_submit():
        try:
            services.update_organisation(current_user, organisation, organisation_data(form))
        except DomainError as exc:
            form.add_domain_errors(form_errors(exc))
        else:
            db.session.commit()
            flash(_("La structure est enregistrée."), "success")
            return redirect(url_for("actors_coordination.edit", organisation_id=organisation.id))
    return _edit_page(organisation, form)


@bp.route("/coordination/acteurs/<int:organisation_id>/accepter", methods=["POST"])
@role_required(Role.COORDINATOR)
def approve(organisation_id: int):
    organisation = services.get_organisation(organisation_id, current_user)
    form = EmptyForm()
    if form.validate_on_submit():
        if organisation.status == OrganisationStatus.PENDING and not is_confirmed():
            return confirmation_page(confirmations.approve_request(organisation), form)
        try:
            services.approve_request(current_user, organisation)
        except DomainError as exc:
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(_("La structure est dans l’annuaire ; ses solutions proposées sont publiées."), "success")
    return redirect(url_for("actors_coordination.edit", organisation_id=organisation.id))


@bp.route("/coordination/acteurs/<int:organisation_id>/refuser", methods=["POST"])
@role_required(Role.COORDINATOR)
def reject(organisation_id: int):
    organisation = services.get_organisation(organisation_id, current_user)
    reject_form = RejectForm()
    if reject_form.validate_on_submit():
        try:
            services.reject_request(current_user, organisation, reject_form.reason.data or "")
        except DomainError as exc:
            reject_form.add_domain_errors(exc)
        else:
            db.session.commit()
            flash(_("La demande est refusée ; la raison est envoyée à la structure."), "success")
            return redirect(url_for("actors_coordination.manage"))
    return _edit_page(organisation, OrganisationForm(formdata=None, data=_form_values(organisation)), reject_form)


def _links_form(organisation, formdata=None) -> LinksForm:
    linked = links.current(organisation)
    form = LinksForm(
        formdata=formdata,
        data=None if formdata else {**linked, "practices": ", ".join(linked["practices"])},
    )
    options = links.choices()
    form.speakers.choices = [
        SelectChoice(s.id, f"{s.name} — {s.organisation}" if s.organisation else s.name) for s in options["speakers"]
    ]
    form.meetings.choices = [SelectChoice(m.id, m.title) for m in options["meetings"]]
    return form


def _edit_page(organisation, form, reject_form=None, links_form=None):
    return render_template(
        "actors/coordination/form.html",
        form=form,
        organisation=organisation,
        reject_form=reject_form or RejectForm(formdata=None),
        links_form=links_form or _links_form(organisation),
        action_form=EmptyForm(),
        solution_status_labels=SOLUTION_STATUS_LABELS,
        levers=LEVERS,
    )


@bp.route("/coordination/acteurs/<int:organisation_id>/liens", methods=["POST"])
@role_required(Role.COORDINATOR)
def set_links(organisation_id: int):
    organisation = services.get_organisation(organisation_id, current_user)
    form = _links_form(organisation, request.form)
    if form.validate_on_submit():
        refs = [r for r in (form.practices.data or "").replace(";", ",").split(",")]
        try:
            links.set_links(current_user, organisation, form.speakers.data or [], form.meetings.data or [], refs)
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            db.session.commit()
            flash(_("Les liens de la structure sont enregistrés."), "success")
            return redirect(url_for("actors_coordination.edit", organisation_id=organisation.id))
    return _edit_page(organisation, OrganisationForm(formdata=None, data=_form_values(organisation)), links_form=form)


@bp.route("/coordination/acteurs/<int:organisation_id>/archiver", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def archive(organisation_id: int):
    organisation = services.get_organisation(organisation_id, current_user)
    form = EmptyForm()
    if not is_confirmed():
        return confirmation_page(confirmations.archive_organisation(organisation), form)
    if form.validate_on_submit():
        services.archive_organisation(current_user, organisation)
        db.session.commit()
        flash(_("La structure est archivée : elle ne figure plus dans l’annuaire."), "success")
    return redirect(url_for("actors_coordination.manage"))


# --- solutions --------------------------------------------------------------------------------------------


@bp.route("/coordination/acteurs/solutions")
@role_required(Role.COORDINATOR)
def moderation():
    status = request.args.get("statut", "submitted")
    status = status if status in SOLUTION_STATUS_LABELS else "submitted"
    return render_template(
        "actors/coordination/solutions.html",
        pagination=solutions.list_for_moderation(current_user, status, page=page_arg()),
        status=status,
        status_labels=SOLUTION_STATUS_LABELS,
        levers=LEVERS,
    )


@bp.route("/coordination/acteurs/<int:organisation_id>/solutions/nouvelle", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def add_solution(organisation_id: int):
    organisation = services.get_organisation(organisation_id, current_user)
    form = SolutionForm()
    if form.validate_on_submit():
        publish = request.form.get("action") != "draft"
        try:
            # saved first, published on the confirmation page's button: « Ne rien changer » loses nothing typed
            found = solutions.add_solution(
                current_user,
                organisation,
                solution_data(form, [t.id for t in organisation.territories]),
                status=PracticeStatus.SUBMITTED.value,
            )
        except DomainError as exc:
            form.add_domain_errors(_solution_errors(exc))
        else:
            db.session.commit()
            if publish:
                return redirect(url_for("actors_coordination.moderate", solution_id=found.id, action="publier"))
            flash(_("La solution est enregistrée."), "success")
            return redirect(url_for("actors_coordination.solution", solution_id=found.id))
    return render_template(
        "actors/coordination/solution_form.html", form=form, organisation=organisation, solution=None
    )


def _solution_errors(exc: DomainError) -> DomainError:
    names = {"territory_ids": "solution_territories"}
    errors = {
        names.get(k, k if k is None or k.startswith("solution_") else f"solution_{k}"): v for k, v in exc.errors.items()
    }
    return DomainError(exc.message, errors=errors)


@bp.route("/coordination/acteurs/solutions/<int:solution_id>", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def solution(solution_id: int):
    found = solutions.get_solution(solution_id, current_user)
    values = {
        "solution_title": found.title,
        "solution_lever": found.lever,
        "solution_summary": found.summary,
        "solution_description": found.description,
        "solution_themes": ", ".join(found.themes or []),
        "solution_territories": services.territories_text(found.territories),
    }
    form = SolutionForm(data=None if request.method == "POST" else values)
    if form.validate_on_submit():
        try:
            solutions.update_solution(current_user, found, solution_data(form))
        except DomainError as exc:
            form.add_domain_errors(_solution_errors(exc))
        else:
            db.session.commit()
            flash(_("La solution est enregistrée."), "success")
            return redirect(url_for("actors_coordination.solution", solution_id=found.id))
    return render_template(
        "actors/coordination/solution_form.html",
        form=form,
        organisation=found.organisation,
        solution=found,
        action_form=EmptyForm(),
        status_labels=SOLUTION_STATUS_LABELS,
    )


@bp.route("/coordination/acteurs/solutions/<int:solution_id>/<any(publier, archiver):action>", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def moderate(solution_id: int, action: str):
    found = solutions.get_solution(solution_id, current_user)
    form = EmptyForm()
    if not is_confirmed():
        return confirmation_page(confirmations.moderate_solution(found, action), form)
    if form.validate_on_submit():
        try:
            if action == "publier":
                solutions.publish_solution(current_user, found)
                message = _("La solution est publiée : elle est proposée dès maintenant en réponse aux problématiques.")
            else:
                solutions.archive_solution(current_user, found)
                message = _("La solution est archivée.")
        except DomainError as exc:
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(message, "success")
    return redirect(url_for("actors_coordination.solution", solution_id=found.id))
