"""The member area's ESS policy profile (/espace/politique-ess): the référent fills a year's profile, the
collectivity's other people read it; the history of earlier years, each viewable; another year to fill."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from clubess.core.errors import DomainError
from clubess.core.inputs import parse_int
from clubess.core.timezone import today
from clubess.core.vocabulary import LEVERS
from clubess.extensions import db
from clubess.members.services import member_of, require_referent
from clubess.territories import policy
from clubess.territories.policy_forms import PolicyProfileForm, YearForm
from clubess.territories.policy_models import STAGE_LABELS

bp = Blueprint("policy", __name__)


def _my_collectivity():
    """The member's collectivity; nobody else has a profile page here (404, as the member area does)."""
    member = member_of(current_user)
    if member is None:
        abort(404)
    return member.collectivity


def _year_form(first: int, last: int) -> tuple[YearForm, int | None]:
    """The « another year » chooser (GET ?annee=) and the year it asks for, when it is one that can be filled."""
    form = YearForm(request.args)
    form.annee.choices = [(str(y), str(y)) for y in range(last, first - 1, -1)]
    if "annee" not in request.args:
        return form, None
    chosen = parse_int(request.args.get("annee"), None, first, last)
    if chosen is None:
        form.annee.errors = [_("Choisissez une année entre %(min)d et %(max)d.", min=first, max=last)]
    return form, chosen


@bp.route("/espace/politique-ess", methods=["GET", "POST"])
@bp.route("/espace/politique-ess/<int:year>", methods=["GET", "POST"])
@login_required
def profile(year: int | None = None):
    collectivity = _my_collectivity()
    first, last = policy.year_range()
    year_form, chosen = _year_form(first, last)
    if chosen is not None:
        return redirect(url_for("policy.profile", year=chosen))
    year = today().year if year is None else year
    if not first <= year <= last:
        abort(404)
    policy.require_reader(current_user, collectivity)
    profiles = policy.list_profiles(collectivity)
    current = next((p for p in profiles if p.year == year), None)
    source = policy.earlier_profile(profiles, year) if current is None else None
    history = policy.is_history(current)
    form = None
    if policy.can_edit(current_user, collectivity) and not history:
        form = PolicyProfileForm()
        form.set_elus(policy.elus_in_office(collectivity), current.elu if current else None)
        if request.method == "GET" and (current or source):
            form.fill(policy.ProfileData.of(current or source))
        if form.validate_on_submit():
            try:
                policy.save_profile(current_user, collectivity, year, form.profile_data())
            except DomainError as exc:
                form.add_domain_errors(exc)
            else:
                db.session.commit()
                flash(_("Le profil %(year)d de %(name)s est enregistré.", year=year, name=collectivity.name), "success")
                return redirect(url_for("policy.profile", year=year))
    elif request.method == "POST":
        require_referent(current_user, collectivity)  # 403 for the other people of the collectivity
        flash(_("Le profil %(year)d est dans l’historique : il ne se modifie plus.", year=year), "error")
        return redirect(url_for("policy.profile", year=year))
    if not year_form.annee.errors:
        year_form.annee.data = str(year)
    return render_template(
        "territories/policy_profile.html",
        collectivity=collectivity,
        year=year,
        this_year=today().year,
        profile=current,
        elu=(current.elu.full_name if current.elu else current.elu_name) if current else "",
        source=source,
        history=history,
        profiles=profiles,
        form=form,
        year_form=year_form,
        lever_labels=LEVERS,
        stage_labels=STAGE_LABELS,
    )
