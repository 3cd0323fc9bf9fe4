"""Workshop contributions: entered by participants from the meeting page, moderated by coordinators."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from clubess.core.confirm import confirmation_page, is_confirmed
from clubess.core.errors import DomainError
from clubess.core.forms import EmptyForm
from clubess.core.permissions import Role, has_role, role_required
from clubess.extensions import db
from clubess.meetings import contributions as service
from clubess.meetings import followup_confirmations as confirmations
from clubess.meetings import services
from clubess.meetings.followup_forms import FOLLOWUP_LABELS, ContributionForm, MergeForm
from clubess.meetings.forms import LABELS
from clubess.members.forms import TERRITORY_KIND_LABELS

bp = Blueprint("contributions", __name__)


def contribution_form(meeting, contribution=None, formdata=True) -> ContributionForm:
    """The form, its territories those the workshop may name (the meeting page shows it too)."""
    data = None
    if contribution is not None and request.method == "GET":
        data = {
            "kind": contribution.kind,
            "title": contribution.title,
            "text": contribution.text,
            "lever": contribution.lever or "",
            "territory": contribution.territory_id or 0,
        }
    form = ContributionForm(data=data) if formdata else ContributionForm(formdata=None, data=data)
    form.territory.choices = [(0, _("Aucun en particulier"))] + [
        (t.id, f"{t.name} ({TERRITORY_KIND_LABELS.get(t.kind, t.kind)})") for t in service.territory_choices(meeting)
    ]
    return form


def _data(form: ContributionForm) -> service.ContributionData:
    return service.ContributionData(
        kind=form.kind.data or "",
        title=form.title.data or "",
        text=form.text.data or "",
        lever=form.lever.data or None,
        territory_id=form.territory.data or None,
    )


def _back(meeting) -> str:
    if has_role(current_user, Role.COORDINATOR) and request.values.get("depuis") == "coordination":
        return url_for("contributions.moderate", meeting_id=meeting.id)
    return url_for("meetings.detail", meeting_id=meeting.id) + "#contributions"


@bp.route("/rencontres/<int:meeting_id>/contributions/nouvelle", methods=["GET", "POST"])
@login_required
def add(meeting_id: int):
    meeting = services.get_meeting(meeting_id, current_user)
    form = contribution_form(meeting)
    closed = service.closed_reason(meeting)
    if closed is None and not service.can_contribute(current_user, meeting):
        closed = _("Seules les personnes inscrites à cet atelier peuvent y contribuer.")
    if closed is None and form.validate_on_submit():
        try:
            service.add_contribution(current_user, meeting, _data(form))
        except DomainError as exc:
            db.session.rollback()
            form.add_domain_errors(exc)
        else:
            db.session.commit()
            flash(
                _(
                    "Merci : votre contribution est enregistrée. Vous pouvez la modifier jusqu’à la publication du "
                    "compte rendu."
                ),
                "success",
            )
            return redirect(_back(meeting))
    return render_template(
        "meetings/contribution_form.html",
        meeting=meeting,
        form=form,
        contribution=None,
        closed=closed,
        back=_back(meeting),
        **FOLLOWUP_LABELS,
    ), (403 if closed and request.method == "POST" else 200)


@bp.route("/rencontres/<int:meeting_id>/contributions/<int:contribution_id>", methods=["GET", "POST"])
@login_required
def edit(meeting_id: int, contribution_id: int):
    meeting = services.get_meeting(meeting_id, current_user)
    contribution = service.get_contribution(meeting, contribution_id)
    if not service.can_change(current_user, contribution):
        abort(403)
    form = contribution_form(meeting, contribution)
    if form.validate_on_submit():
        try:
            service.update_contribution(current_user, contribution, _data(form))
        except DomainError as exc:
            db.session.rollback()
            form.add_domain_errors(exc)
        else:
            db.session.commit()
            flash(_("La contribution est modifiée."), "success")
            return redirect(_back(meeting))
    return render_template(
        "meetings/contribution_form.html",
        meeting=meeting,
        form=form,
        contribution=contribution,
        closed=None,
        back=_back(meeting),
        **FOLLOWUP_LABELS,
    )


@bp.route("/rencontres/<int:meeting_id>/contributions/<int:contribution_id>/retirer", methods=["GET", "POST"])
@login_required
def remove(meeting_id: int, contribution_id: int):
    meeting = services.get_meeting(meeting_id, current_user)
    contribution = service.get_contribution(meeting, contribution_id)
    if not service.can_change(current_user, contribution):
        abort(403)
    form = EmptyForm()
    if not is_confirmed():
        return confirmation_page(confirmations.remove_contribution(contribution, _back(meeting)), form)
    if form.validate_on_submit():
        service.remove_contribution(current_user, contribution)
        db.session.commit()
        flash(_("La contribution est retirée."), "success")
    return redirect(_back(meeting))


@bp.route("/coordination/rencontres/<int:meeting_id>/contributions")
@role_required(Role.COORDINATOR)
def moderate(meeting_id: int):
    meeting = services.get_meeting(meeting_id, current_user)
    items = service.list_contributions(meeting)
    return render_template(
        "meetings/coordination/contributions.html",
        meeting=meeting,
        by_kind=service.by_kind(items),
        counts=service.count_by_kind(items),
        total=len(items),
        closed=service.closed_reason(meeting),
        is_workshop=service.is_workshop(meeting),
        merge_form=MergeForm(),
        **LABELS,
        **FOLLOWUP_LABELS,
    )


@bp.route("/coordination/rencontres/<int:meeting_id>/contributions/fusionner", methods=["POST"])
@role_required(Role.COORDINATOR)
def merge(meeting_id: int):
    meeting = services.get_meeting(meeting_id, current_user)
    form = MergeForm()
    back = redirect(url_for("contributions.moderate", meeting_id=meeting.id))
    if not form.validate_on_submit():
        flash(_("Cochez au moins deux contributions à fusionner."), "error")
        return back
    ids = list(dict.fromkeys(form.ids.data or []))
    chosen = [c for c in service.list_contributions(meeting) if c.id in set(ids)]
    if len(chosen) < 2 or len({c.kind for c in chosen}) > 1:
        flash(_("Cochez au moins deux contributions du même type à fusionner."), "error")
        return back
    if not is_confirmed():
        return confirmation_page(confirmations.merge_contributions(meeting, chosen), EmptyForm())
    try:
        service.merge_contributions(current_user, meeting, ids)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return back
    db.session.commit()
    flash(_("Les contributions sont fusionnées."), "success")
    return back
