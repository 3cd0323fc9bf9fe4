"""Applying to join, confirming, reviewing, the collectivity's page, the directory, the territories API."""

import json
from datetime import date

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, logout_user

from clubess.core.confirm import confirmation_page, is_confirmed
from clubess.core.errors import DomainError
from clubess.core.forms import EmptyForm
from clubess.core.inputs import page_arg, parse_int
from clubess.core.permissions import Role, role_required
from clubess.core.vocabulary import LEVERS
from clubess.extensions import db, limiter
from clubess.members import confirmations, directory, privacy, referent, services
from clubess.members.forms import (
    COLLECTIVITY_STATUS_LABELS,
    TERRITORY_KIND_LABELS,
    AdditionRequestForm,
    ApplicationFilterForm,
    ApplicationForm,
    EndMandateForm,
    HandOverForm,
    PersonForm,
    ProfileForm,
    ReviewRejectForm,
)
from clubess.members.models import Member
from clubess.members.territories import search_territories

bp = Blueprint("members", __name__)


def _person(form) -> services.PersonData:
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
        services.apply_to_join(territory, _person(form), others, form.message.data or "")
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
        "members/review_list.html", filters=filters, pagination=pagination, kind_labels=TERRITORY_KIND_LABELS
    )


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


# --- member area --------------------------------------------------------------------------------


def _my_collectivity():
    member = services.member_of(current_user)
    if member is None:
        abort(404)
    return member, member.collectivity


@bp.route("/espace/collectivite")
@login_required
def collectivity():
    member, collectivity = _my_collectivity()
    return _collectivity_page(member, collectivity, HandOverForm(formdata=None))


def _hand_over_form(form: HandOverForm, collectivity) -> tuple[HandOverForm, list[Member]]:
    """No choice is made for the référent: the list starts blank and holds only people who can take the role."""
    eligible, waiting = referent.candidates(collectivity)
    choices = [("", _("— Choisissez une personne —"))]
    form.member_id.choices = choices + [(str(m.id), f"{m.full_name} — {m.function or m.email}") for m in eligible]
    return form, waiting


def _collectivity_page(member, collectivity, hand_over: HandOverForm):
    hand_over, waiting = _hand_over_form(hand_over, collectivity)
    return render_template(
        "members/collectivity.html",
        me=member,
        collectivity=collectivity,
        is_referent=collectivity.referent_id == member.id,
        hand_over=hand_over,
        not_activated=waiting,
        kind_labels=TERRITORY_KIND_LABELS,
        today=date.today(),
    )


@bp.route("/espace/collectivite/personnes/nouvelle", methods=["GET", "POST"])
@login_required
def add_person():
    member, collectivity = _my_collectivity()
    services.require_referent(current_user, collectivity)
    form = PersonForm()
    if form.validate_on_submit():
        try:
            added = services.add_person(current_user, collectivity, _person(form))
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            db.session.commit()
            flash(_("%(name)s a été ajouté(e) et a reçu une invitation par courriel.", name=added.full_name), "success")
            return redirect(url_for("members.collectivity"))
    return render_template("members/person_form.html", form=form, collectivity=collectivity)


@bp.route("/espace/collectivite/personnes/<int:member_id>/modifier", methods=["GET", "POST"])
@login_required
def edit_person(member_id: int):
    me, collectivity = _my_collectivity()
    person = _person_of(collectivity, member_id)
    services.require_referent(current_user, collectivity)
    form = PersonForm(obj=person)
    form.email.render_kw = {**(form.email.render_kw or {}), "readonly": True}
    if request.method == "POST":
        form.email.data = person.email  # the address is the person's login: only they change it
    if form.validate_on_submit():
        try:
            services.update_person(current_user, person, _person(form))
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            db.session.commit()
            flash(_("Les informations de %(name)s sont enregistrées.", name=person.full_name), "success")
            return redirect(url_for("members.collectivity"))
    return render_template("members/person_form.html", form=form, collectivity=collectivity, person=person)


def _person_of(collectivity, member_id: int) -> Member:
    """A person of this collectivity, or 404: nobody reaches another collectivity's people by id."""
    person = db.session.get(Member, member_id)
    if person is None or person.collectivity_id != collectivity.id:
        abort(404)
    return person


@bp.route("/espace/collectivite/personnes/<int:member_id>/fin-de-mandat", methods=["GET", "POST"])
@login_required
def end_mandate(member_id: int):
    me, collectivity = _my_collectivity()
    person = _person_of(collectivity, member_id)
    services.require_referent(current_user, collectivity)
    form = EndMandateForm(data={"end_on": date.today()} if request.method == "GET" else None)
    if is_confirmed() and form.validate_on_submit():
        try:
            services.end_mandate(current_user, person, form.end_on.data)
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            db.session.commit()
            flash(
                _("Le mandat de %(name)s est terminé. La personne reste dans l’historique.", name=person.full_name),
                "success",
            )
            return redirect(url_for("members.collectivity"))
    confirmation = confirmations.end_mandate(person)
    confirmation.carry = []
    return render_template("members/end_mandate.html", form=form, person=person, confirmation=confirmation)


@bp.route("/espace/collectivite/referent", methods=["GET", "POST"])
@login_required
def hand_over():
    """Choose (GET, from the collectivity page) → confirm what changes for both people → hand over."""
    me, collectivity = _my_collectivity()
    services.require_referent(current_user, collectivity)
    form, _waiting = _hand_over_form(HandOverForm(formdata=request.values), collectivity)
    if not form.validate():
        return _collectivity_page(me, collectivity, form)
    person = _person_of(collectivity, int(form.member_id.data))
    confirm = EmptyForm()
    if not (is_confirmed() and confirm.validate_on_submit()):
        return confirmation_page(confirmations.hand_over(collectivity, me, person), confirm)
    try:
        referent.hand_over_referent(current_user, collectivity, person)
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(_("%(name)s est maintenant référent·e de la collectivité.", name=person.full_name), "success")
    return redirect(url_for("members.collectivity"))


@bp.route("/espace/collectivite/quitter", methods=["GET", "POST"])
@login_required
def leave():
    me, collectivity = _my_collectivity()
    services.require_referent(current_user, collectivity)
    form = EmptyForm()
    if not is_confirmed():
        return confirmation_page(confirmations.leave(collectivity), form)
    if form.validate_on_submit():
        services.leave_club(current_user, collectivity)
        db.session.commit()
        flash(
            _("%(name)s a quitté le club. Les comptes de ses membres sont fermés.", name=collectivity.name), "success"
        )
        return redirect(url_for("pages.home"))
    return redirect(url_for("members.leave"))


@bp.route("/espace/profil", methods=["GET", "POST"])
@login_required
def profile():
    member = services.member_of(current_user)
    if member is None:
        abort(404)
    form = ProfileForm(obj=member)
    if form.validate_on_submit():
        services.update_profile(current_user, member, {k: getattr(form, k).data for k in services.PROFILE_FIELDS})
        db.session.commit()
        flash(_("Votre profil est enregistré."), "success")
        return redirect(url_for("members.profile"))
    return render_template("members/profile.html", form=form, member=member)


@bp.route("/espace/mes-donnees.json")
@login_required
@limiter.limit("10 per hour")
def export_data():
    data = privacy.export_personal_data(current_user)
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": 'attachment; filename="mes-donnees-club-ess.json"'},
    )


@bp.route("/espace/effacement", methods=["GET", "POST"])
@login_required
def erase():
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            privacy.erase_person(current_user, current_user._get_current_object())
        except DomainError as exc:
            flash(exc.message, "error")
            return redirect(url_for("members.erase"))
        db.session.commit()
        logout_user()
        flash(_("Vos données personnelles ont été effacées et votre compte est fermé."), "success")
        return redirect(url_for("pages.home"))
    preview = privacy.erasure_preview(current_user)
    return render_template(
        "members/erase.html", form=form, preview=preview, label=privacy.erased_label(current_user.id)
    )


# --- directory and API --------------------------------------------------------------------------


@bp.route("/annuaire")
def directory_page():
    department = request.args.get("departement", "")[:3]
    kind = request.args.get("type", "")[:20]
    is_member = bool(current_user.is_authenticated and services.member_of(current_user)) or _is_coordinator()
    interest = request.args.get("interet", "") if is_member else ""
    interest = interest if interest in LEVERS else ""
    pagination = directory.list_member_collectivities(department, kind, page=page_arg(), interest=interest)
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
        levers=LEVERS,
        kind_labels=TERRITORY_KIND_LABELS,
    )


def _is_coordinator() -> bool:
    from clubess.core.permissions import has_role

    return has_role(current_user, Role.COORDINATOR)
