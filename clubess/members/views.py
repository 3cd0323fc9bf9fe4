"""Applying to join, confirming the application by mail, and the coordinators' review of applications."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from clubess.core.confirm import confirmation_page, is_confirmed
from clubess.core.errors import DomainError
from clubess.core.forms import EmptyForm
from clubess.core.fragments import FragmentCache
from clubess.core.inputs import page_arg, parse_int
from clubess.core.permissions import Role, role_required
from clubess.extensions import db, limiter
from clubess.members import confirmations, services
from clubess.members.forms import (
    COLLECTIVITY_STATUS_LABELS,
    TERRITORY_KIND_LABELS,
    AdditionRequestForm,
    ApplicationFilterForm,
    ApplicationForm,
    ReviewRejectForm,
)
from clubess.members.territories import search_territories

bp = Blueprint("members", __name__)


def person_data(form) -> services.PersonData:
    return services.PersonData(
        kind=form.kind.data,
        first_name=form.first_name.data or "",
        last_name=form.last_name.data or "",
        email=form.email.data or "",
        function=form.function.data or "",
        delegation=getattr(form, "delegation", None) and form.delegation.data or "",
        phone=getattr(form, "phone", None) and form.phone.data or "",
    )


@bp.route("/adherer", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"], deduct_when=lambda r: r.status_code == 302)
def apply():
    form = ApplicationForm()
    action = request.form.get("action", "submit")
    territory_id = parse_int(form.territory_id.data)
    territory = services.get_territory(territory_id) if territory_id is not None else None
    query = (form.territory_query.data or "").strip() if request.method == "POST" else request.args.get("q", "")
    if request.method == "GET" and query:
        form.territory_query.data = query[:100]
    candidates = search_territories(query, limit=15) if query and (action == "search" or territory is None) else []
    if request.method == "POST" and action == "add_person" and len(form.others) < form.others.max_entries:
        form.others.append_entry()
    elif request.method == "POST" and action == "submit" and form.website.data:
        return redirect(url_for("members.apply_sent"))  # a bot filled the honeypot: pretend, keep nothing
    elif action == "submit" and form.validate_on_submit():
        response = _submit_application(form, territory)
        if response is not None:
            return response
    return render_template(
        "members/apply.html",
        form=form,
        territory=territory,
        candidates=candidates,
        query=query,
        kind_labels=TERRITORY_KIND_LABELS,
    )


def _submit_application(form, territory):
    """Record a valid application; None when the form must be shown again with errors."""
    if territory is None:
        form.territory_id.errors = [_("Choisissez votre collectivité dans la liste.")]
        return None
    others = [
        services.PersonData(
            kind=o.kind.data,
            first_name=o.first_name.data,
            last_name=o.last_name.data,
            email=o.email.data,
            function=o.function.data,
        )
        for o in (entry.form for entry in form.others)
        if not o.is_blank()
    ]
    try:
        services.apply_to_join(territory, person_data(form), others, form.message.data or "")
    except services.AlreadyMember as exc:
        request_form = AdditionRequestForm(
            formdata=None, name=f"{form.first_name.data} {form.last_name.data}", email=form.email.data
        )
        return render_template("members/already_member.html", collectivity=exc.collectivity, form=request_form), 409
    except DomainError as exc:
        form.add_domain_errors(exc)
        return None
    db.session.commit()
    return redirect(url_for("members.apply_sent"))


@bp.route("/adherer/demande-ajout/<int:collectivity_id>", methods=["POST"])
@limiter.limit("5 per hour")
def request_addition(collectivity_id: int):
    collectivity = services.get_collectivity(collectivity_id)
    form = AdditionRequestForm()
    if form.validate_on_submit():
        try:
            services.request_addition(collectivity, form.name.data, form.email.data, form.message.data or "")
        except DomainError as exc:
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(_("Votre demande a été transmise au référent de %(name)s.", name=collectivity.name), "success")
            return redirect(url_for("pages.home"))
    return render_template("members/already_member.html", collectivity=collectivity, form=form), 200


@bp.route("/adherer/envoye")
def apply_sent():
    return render_template("members/apply_sent.html")


@bp.route("/adherer/confirmer/<token>", methods=["GET", "POST"])
def confirm_application(token: str):
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            collectivity = services.confirm_application(token)
        except DomainError as exc:
            return render_template("auth/link_invalid.html", message=exc.message), 410
        db.session.commit()
        return render_template("members/confirmed.html", collectivity=collectivity)
    return render_template("members/confirm.html", form=form)


# --- coordinators -------------------------------------------------------------------------------


@bp.route("/coordination/adhesions")
@role_required(Role.COORDINATOR)
def review_list():
    filters = ApplicationFilterForm(request.args)
    if filters.status.data not in COLLECTIVITY_STATUS_LABELS:
        filters.status.data = "pending"
    pagination = services.list_applications(
        current_user,
        status=filters.status.data,
        department=(filters.department.data or "").strip(),
        kind=filters.kind.data or "",
        page=page_arg(),
    )
    return render_template(
        "members/review_list.html",
        filters=filters,
        pagination=pagination,
        kind_labels=TERRITORY_KIND_LABELS,
        member_export=_member_export(),
    )


#: what the applications page shows alike to every coordinator, per data version
_kept = FragmentCache(size=16, ttl=300.0)


def _member_export() -> Markup:
    """The members' export form (a hundred territories to choose from), rendered once per data version and
    language instead of on every request."""

    def render() -> Markup:
        return Markup(render_template("members/_member_export.html"))  # noqa: S704 - Jinja autoescapes

    return _kept.get(("member-export", str(get_locale())), render)


@bp.route("/coordination/adhesions/<int:collectivity_id>")
@role_required(Role.COORDINATOR)
def review_detail(collectivity_id: int):
    collectivity = services.get_collectivity(collectivity_id)
    return render_template(
        "members/review_detail.html",
        collectivity=collectivity,
        approve_form=EmptyForm(),
        reject_form=ReviewRejectForm(),
        kind_labels=TERRITORY_KIND_LABELS,
    )


@bp.route("/coordination/adhesions/<int:collectivity_id>/approuver", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def approve(collectivity_id: int):
    collectivity = services.get_collectivity(collectivity_id)
    form = EmptyForm()
    if not is_confirmed() and collectivity.status == "pending":
        return confirmation_page(confirmations.approve(collectivity), form)
    if form.validate_on_submit():
        try:
            users = services.approve(current_user, collectivity)
        except DomainError as exc:
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(
                ngettext(
                    "%(name)s est membre du club : %(num)d personne a reçu un courriel pour son compte.",
                    "%(name)s est membre du club : %(num)d personnes ont reçu un courriel pour leur compte.",
                    len(users),
                    name=collectivity.name,
                ),
                "success",
            )
    return redirect(url_for("members.review_detail", collectivity_id=collectivity.id))


@bp.route("/coordination/adhesions/<int:collectivity_id>/refuser", methods=["POST"])
@role_required(Role.COORDINATOR)
def reject(collectivity_id: int):
    collectivity = services.get_collectivity(collectivity_id)
    form = ReviewRejectForm()
    if form.validate_on_submit() and not is_confirmed() and collectivity.status == "pending":
        return confirmation_page(confirmations.reject(collectivity, form.reason.data), EmptyForm())
    if form.validate_on_submit():
        try:
            services.reject(current_user, collectivity, form.reason.data)
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            db.session.commit()
            flash(_("La demande est refusée ; le référent a été prévenu."), "success")
            return redirect(url_for("members.review_list"))
    return render_template(
        "members/review_detail.html",
        collectivity=collectivity,
        approve_form=EmptyForm(),
        reject_form=form,
        kind_labels=TERRITORY_KIND_LABELS,
    ), 200
