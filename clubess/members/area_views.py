"""The member area: the collectivity's page and its people (référent), the profile, one's own data (export, erasure)."""

import json

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from clubess.core.confirm import confirmation_page, is_confirmed
from clubess.core.errors import DomainError
from clubess.core.forms import EmptyForm
from clubess.core.timezone import today
from clubess.extensions import db, limiter
from clubess.meetings import contributions as workshop_contributions
from clubess.meetings.followup_forms import CONTRIBUTION_KIND_HEADINGS
from clubess.members import access, confirmations, privacy, referent, services
from clubess.members.forms import TERRITORY_KIND_LABELS, EndMandateForm, HandOverForm, PersonForm, ProfileForm
from clubess.members.models import Member
from clubess.members.views import person_data

bp = Blueprint("member_area", __name__)


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
    is_referent = collectivity.referent_id == member.id
    return render_template(
        "members/collectivity.html",
        me=member,
        collectivity=collectivity,
        is_referent=is_referent,
        hand_over=hand_over,
        not_activated=waiting,
        kind_labels=TERRITORY_KIND_LABELS,
        today=today(),
        closed_accounts=access.closed_accounts(collectivity.members)
        if collectivity.referent_id == member.id
        else set(),
        # the workshops' published contributions about it (its territory page lists them too)
        territory_contributions=_territory_contributions(collectivity),
        contribution_kind_headings=CONTRIBUTION_KIND_HEADINGS,
    )


def _territory_contributions(collectivity) -> dict:
    items = workshop_contributions.contributions_for_territory(collectivity.territory)
    return {"items": items, "counts": workshop_contributions.count_by_kind(items)}


@bp.route("/espace/collectivite/personnes/nouvelle", methods=["GET", "POST"])
@login_required
def add_person():
    member, collectivity = _my_collectivity()
    services.require_referent(current_user, collectivity)
    form = PersonForm()
    if form.validate_on_submit():
        try:
            added = services.add_person(current_user, collectivity, person_data(form))
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            db.session.commit()
            flash(_("%(name)s a été ajouté(e) et a reçu une invitation par courriel.", name=added.full_name), "success")
            return redirect(url_for("member_area.collectivity"))
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
            services.update_person(current_user, person, person_data(form))
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            db.session.commit()
            flash(_("Les informations de %(name)s sont enregistrées.", name=person.full_name), "success")
            return redirect(url_for("member_area.collectivity"))
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
    form = EndMandateForm(data={"end_on": today()} if request.method == "GET" else None)
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
            return redirect(url_for("member_area.collectivity"))
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
    return redirect(url_for("member_area.collectivity"))


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
    return redirect(url_for("member_area.leave"))


@bp.route("/espace/profil", methods=["GET", "POST"])
@login_required
def profile():
    member = services.member_of(current_user)
    if member is None:
        abort(404)
    form = ProfileForm(obj=member, wants_followup=services.wants_followup(member))
    if form.validate_on_submit():
        values = {k: getattr(form, k).data for k in (*services.PROFILE_FIELDS, "wants_followup")}
        services.update_profile(current_user, member, values)
        db.session.commit()
        flash(_("Votre profil est enregistré."), "success")
        return redirect(url_for("member_area.profile"))
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
            return redirect(url_for("member_area.erase"))
        db.session.commit()
        logout_user()
        flash(_("Vos données personnelles ont été effacées et votre compte est fermé."), "success")
        return redirect(url_for("pages.home"))
    preview = privacy.erasure_preview(current_user)
    return render_template(
        "members/erase.html", form=form, preview=preview, label=privacy.erased_label(current_user.id)
    )
