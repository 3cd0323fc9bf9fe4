"""The coordinators' pages of a meeting's people: registrants (list, CSV, removal) and invitations.

Attendance is recorded for everyone at once on the attendance page (attendance_views)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from clubess.core.confirm import confirmation_page, is_confirmed
from clubess.core.csvfile import csv_stream
from clubess.core.errors import DomainError
from clubess.core.forms import EmptyForm
from clubess.core.inputs import page_arg, parse_int
from clubess.core.permissions import Role, role_required
from clubess.core.timezone import tz
from clubess.extensions import db
from clubess.meetings import confirmations, invitations, registrants, registrations, services
from clubess.meetings import invitation_list as invitees
from clubess.meetings.registration_forms import (
    ATTENDANCE_LABELS,
    MODE_LABELS,
    REGISTRATION_KIND_LABELS,
    REGISTRATION_LABELS,
    REGISTRATION_STATUS_LABELS,
    InviteForm,
    RegistrantFilterForm,
)

bp = Blueprint("registrants", __name__)

LABELS = REGISTRATION_LABELS


@bp.route("/coordination/rencontres/<int:meeting_id>/inscrits")
@role_required(Role.COORDINATOR)
def index(meeting_id: int):
    meeting = services.get_meeting(meeting_id, current_user)
    filters = RegistrantFilterForm(request.args)
    filters.validate()
    criteria = {"status": filters.statut.data or "", "mode": filters.mode.data or "", "q": filters.q.data or ""}
    if request.args.get("format") == "csv":
        return _registrants_csv(meeting, criteria)
    from clubess.meetings.figures import registrant_figures

    return render_template(
        "meetings/coordination/registrants.html",
        meeting=meeting,
        pagination=registrants.list_registrations(current_user, meeting, **criteria, page=page_arg()),
        filters=filters,
        figures=registrant_figures(meeting),
        **LABELS,
    )


def _registrants_csv(meeting, criteria: dict):
    """The filtered list as CSV, streamed: labels, yes/no and the time zone are read here, in the request's
    language, since the rows are written after the view returns (core.csvfile.csv_stream)."""
    statuses, modes, attendances, kinds = (
        {key: str(label) for key, label in labels.items()}
        for labels in (REGISTRATION_STATUS_LABELS, MODE_LABELS, ATTENDANCE_LABELS, REGISTRATION_KIND_LABELS)
    )
    yes, no, zone = _("oui"), _("non"), tz()
    chunks = registrants.iter_registrations(current_user, meeting, **criteria)
    header = [
        _("nom"),
        _("organisation"),
        _("adresse"),
        _("statut"),
        _("participation"),
        _("présence"),
        _("en représentation de"),
        _("type d’inscription"),
        _("venu·e sans inscription"),
        _("inscrit·e le"),
    ]
    return csv_stream(
        header,
        (
            [
                [
                    r.name,
                    r.organisation,
                    r.email,
                    statuses[r.status],
                    modes[r.mode],
                    attendances[r.attendance],
                    r.on_behalf_of.full_name if r.on_behalf_of else "",
                    kinds[r.is_guest],
                    yes if r.is_walk_in else no,
                    r.created_at.astimezone(zone).strftime("%d/%m/%Y %H:%M"),
                ]
                for r in chunk
            ]
            for chunk in chunks
        ),
        f"inscrits-rencontre-{meeting.id}.csv",
    )


@bp.route("/coordination/inscriptions/<int:registration_id>/retirer", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def remove(registration_id: int):
    registration = registrations.get_registration(registration_id)
    form = EmptyForm()
    if is_confirmed() and form.validate_on_submit():
        try:
            registrations.cancel_registration(current_user, registration, by_coordination=True)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(_("%(name)s est retiré·e de la rencontre et en est prévenu·e.", name=registration.name), "success")
        return redirect(url_for("registrants.index", meeting_id=registration.meeting_id))
    return confirmation_page(confirmations.cancel_registration(registration, by_coordination=True), form)


def _departments() -> list[tuple[str, str]]:
    import sqlalchemy as sa

    from clubess.members.hierarchy import departments_of
    from clubess.members.models import Collectivity, CollectivityStatus, Territory

    department = departments_of()
    codes = db.session.scalars(
        sa.select(department.c.code)
        .join(Collectivity, Collectivity.territory_id == department.c.territory_id)
        .where(Collectivity.status == CollectivityStatus.ACTIVE)
        .distinct()
        .order_by(department.c.code)
    ).all()
    names = dict(
        db.session.execute(
            sa.select(Territory.code, Territory.name).where(Territory.kind == "departement", Territory.code.in_(codes))
        ).all()
    )
    return [SelectChoice(code, f"{code} — {names.get(code, code)}") for code in codes]


def _targets() -> list[tuple[str, str]]:
    from clubess.members.forms import TERRITORY_KIND_LABELS
    from clubess.members.hierarchy import targets

    return [("", _("Tous"))] + [(t.code, f"{t.name} ({TERRITORY_KIND_LABELS[t.kind]})") for t in targets()]


def _spec(form: InviteForm) -> invitations.AudienceSpec:
    return invitations.AudienceSpec(
        people=form.people.data or "all",
        departments=list(form.departments.data or []),
        territory_kinds=list(form.territory_kinds.data or []),
        territory=form.territory.data or "",
        territory_name=dict(form.territory.choices).get(form.territory.data or "", ""),
        past_attendees=bool(form.past_attendees.data),
        pasted=form.pasted.data or "",
        use_members=bool(form.use_members.data),
        policy=form.policy.data or "",
    )


@bp.route("/coordination/rencontres/<int:meeting_id>/inviter", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def invite(meeting_id: int):
    """Choose the audience → preview (count and a sample mail) → confirm: nothing is sent before."""
    meeting = services.get_meeting(meeting_id, current_user)
    form = InviteForm()
    form.departments.choices = _departments()
    form.territory.choices = _targets()
    preview = sample = None
    if form.validate_on_submit():
        spec = _spec(form)
        try:
            if request.form.get("action") == "send":
                sent = invitations.send_invitations(current_user, meeting, spec, parse_int(form.expected.data, -1))
                db.session.commit()
                flash(
                    ngettext(
                        "%(num)d invitation mise en file d’envoi.", "%(num)d invitations mises en file d’envoi.", sent
                    ),
                    "success",
                )
                return redirect(url_for("registrants.invitation_list", meeting_id=meeting.id))
            preview = invitations.resolve_audience(current_user, meeting, spec)
        except DomainError as exc:
            db.session.rollback()
            form.add_domain_errors(exc)
            preview = invitations.resolve_audience(current_user, meeting, spec)
        except ValueError:
            form.form_errors.append(_("Nombre de destinataires attendu invalide : refaites l’aperçu."))
        if preview is not None:
            form.expected.data = str(len(preview.recipients))
            if preview.recipients:
                from clubess.meetings.notifications import preview_invitation

                first = preview.recipients[0]
                sample = preview_invitation(meeting, first.email, first.name)
    return render_template(
        "meetings/coordination/invite.html", meeting=meeting, form=form, preview=preview, sample=sample, **LABELS
    )


@bp.route("/coordination/rencontres/<int:meeting_id>/invitations", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def invitation_list(meeting_id: int):
    meeting = services.get_meeting(meeting_id, current_user)
    form = EmptyForm()
    if request.method == "POST" and not is_confirmed():
        if to_remind := invitations.reminder_recipients(meeting):
            return confirmation_page(confirmations.remind(meeting, to_remind), form)
        flash(_("Personne à relancer maintenant."), "info")
        return redirect(url_for("registrants.invitation_list", meeting_id=meeting.id))
    if form.validate_on_submit():
        try:
            count = invitations.remind_non_responders(current_user, meeting)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(
                ngettext("%(num)d relance mise en file d’envoi.", "%(num)d relances mises en file d’envoi.", count),
                "success",
            )
        return redirect(url_for("registrants.invitation_list", meeting_id=meeting.id))
    state = request.args.get("reponse", "")
    state = state if state in invitees.STATES else ""
    summary = invitees.invitation_summary(meeting)
    return render_template(
        "meetings/coordination/invitations.html",
        meeting=meeting,
        pagination=invitees.list_invitations(current_user, meeting, state, page=page_arg(), summary=summary),
        state=state,
        summary=summary,
        to_remind=invitees.count_reminder_recipients(meeting) if meeting.status == "published" else 0,
        form=form,
        **LABELS,
    )
