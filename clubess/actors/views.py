"""Public pages of the directory: the list, an organisation's portrait, a solution, the request to be listed."""

from flask import Blueprint, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from clubess.actors import links, services, solutions
from clubess.actors.forms import (
    CONSENT_TEXT,
    DirectoryFilterForm,
    ListingRequestForm,
    form_errors,
    organisation_data,
    solution_data,
)
from clubess.actors.labels import KIND_LABELS
from clubess.core.errors import DomainError
from clubess.core.inputs import page_arg, parse_int
from clubess.core.vocabulary import LEVERS
from clubess.extensions import db, limiter

bp = Blueprint("actors", __name__)


@bp.app_context_processor
def directory_links():
    """`directory_links("meeting", id)` in any template: the listed organisations linked to a speaker, a meeting
    (co-organisers) or a practice (partners)."""
    return {"directory_links": links.organisations_of}


@bp.route("/acteurs")
def directory():
    filters = DirectoryFilterForm(request.args)
    served = services.served_territories()
    filters.territoire.choices = [
        SelectChoice("", _("Tous les territoires")),
        *(SelectChoice(str(t.id), t.name) for t in served),
    ]
    territory_id = parse_int(filters.territoire.data)
    if territory_id is not None and territory_id not in {t.id for t in served}:
        territory_id = None
    kind = filters.type.data if filters.type.data in KIND_LABELS else ""
    pagination = services.list_directory(filters.q.data or "", kind, territory_id, page=page_arg())
    return render_template(
        "actors/directory.html",
        filters=filters,
        pagination=pagination,
        args={"q": filters.q.data or "", "type": kind, "territoire": territory_id or ""},
    )


@bp.route("/acteurs/<int:organisation_id>")
def detail(organisation_id: int):
    organisation = services.get_organisation(organisation_id, current_user)
    return render_template(
        "actors/detail.html",
        organisation=organisation,
        solutions=services.published_solutions(organisation),
        linked=links.public_links(organisation),
        show_contact=services.can_see_contacts(current_user),
        levers=LEVERS,
    )


@bp.route("/acteurs/solutions/<int:solution_id>")
def solution(solution_id: int):
    found = solutions.get_solution(solution_id, current_user)
    return render_template(
        "actors/solution.html",
        solution=found,
        organisation=found.organisation,
        show_contact=services.can_see_contacts(current_user),
        levers=LEVERS,
    )


@bp.route("/acteurs/proposer", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"], deduct_when=lambda r: r.status_code == 302)
def propose():
    """A structure of the ESS asks to be listed, with a first solution if it likes (moderated)."""
    form = ListingRequestForm()
    if request.method == "POST" and form.homepage.data:
        return redirect(url_for("actors.proposed"))  # a bot filled the honeypot: pretend, keep nothing
    if form.validate_on_submit():
        try:
            data = organisation_data(form)
            first = solution_data(form, data.territory_ids) if form.with_solution.data else None
            services.request_listing(data, str(CONSENT_TEXT), first)
        except DomainError as exc:
            form.add_domain_errors(form_errors(exc))
        else:
            db.session.commit()
            return redirect(url_for("actors.proposed"))
    return render_template("actors/propose.html", form=form)


@bp.route("/acteurs/proposer/envoye")
def proposed():
    return render_template("actors/proposed.html")
