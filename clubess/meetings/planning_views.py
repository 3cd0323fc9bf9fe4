"""The coordinators' planning of meetings: the list, creating, editing, status, copies, agenda items, speakers."""

from datetime import datetime, time

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from clubess.commitments.panel import meeting_panel
from clubess.core.confirm import confirmation_page, is_confirmed
from clubess.core.duplicates import NeedsConfirmation
from clubess.core.errors import DomainError
from clubess.core.forms import EmptyForm
from clubess.core.inputs import page_arg
from clubess.core.permissions import Role, role_required
from clubess.core.timezone import local, tz
from clubess.extensions import db
from clubess.meetings import confirmations, followup, programme, services
from clubess.meetings.followup_forms import FOLLOWUP_LABELS
from clubess.meetings.forms import (
    LABELS,
    STATUS_LABELS,
    AgendaItemForm,
    DuplicateForm,
    MeetingForm,
    SpeakerForm,
    territory_text,
)
from clubess.meetings.models import AgendaItem, MeetingSeries, Speaker

bp = Blueprint("planning", __name__)


@bp.route("/coordination/rencontres")
@role_required(Role.COORDINATOR)
def manage():
    status = request.args.get("statut", "")
    return render_template(
        "meetings/coordination/list.html",
        pagination=services.list_all_meetings(current_user, status, page=page_arg()),
        status=status,
        series=db.session.scalars(db.select(MeetingSeries)).all(),
        **LABELS,
    )


def _meeting_data(form: MeetingForm) -> services.MeetingData:
    day = form.day.data
    deadline = form.registration_deadline.data
    return services.MeetingData(
        title=form.title.data,
        kind=form.kind.data,
        description=form.description.data or "",
        starts_at=local(day, form.start_time.data),
        ends_at=local(day, form.end_time.data),
        format=form.format.data,
        venue=form.venue.data or "",
        address=form.address.data or "",
        department_code=(form.department_code.data or "").strip() or None,
        territory_id=form.territory.id if form.territory is not None else None,
        online_url=form.online_url.data or "",
        capacity=form.capacity.data,
        audience=form.audience.data,
        registration_deadline=local(deadline, time(23, 59)) if deadline else None,
    )


@bp.route("/coordination/rencontres/nouvelle", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def create():
    form = MeetingForm()
    warning = None
    if form.validate_on_submit():
        try:
            meeting = services.create_meeting(current_user, _meeting_data(form), acknowledged())
        except NeedsConfirmation as exc:
            warning = exc
        except DomainError as exc:
            _errors_on(form, exc)
        else:
            db.session.commit()
            flash(_("La rencontre est créée en brouillon."), "success")
            return redirect(url_for("planning.edit", meeting_id=meeting.id))
    return render_template(
        "meetings/coordination/meeting_form.html", form=form, meeting=None, warning=warning, **LABELS
    )


def acknowledged() -> str:
    """The warning the coordinator chose to go past (clubess.meetings.clashes), if any."""
    return request.form.get("acknowledge", "")[:2000]


def _errors_on(form, exc: DomainError) -> None:
    mapping = {"starts_at": "start_time", "ends_at": "end_time", "start": "start", "end": "end"}
    form.add_domain_errors(DomainError(exc.message, errors={mapping.get(k, k): v for k, v in exc.errors.items()}))


@bp.route("/coordination/rencontres/<int:meeting_id>", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def edit(meeting_id: int):
    meeting = services.get_meeting(meeting_id, current_user)
    zone = tz()
    form = MeetingForm(
        obj=meeting,
        data=None
        if request.method == "POST"
        else {
            "day": meeting.starts_at.astimezone(zone).date(),
            "start_time": meeting.starts_at.astimezone(zone).time(),
            "end_time": meeting.ends_at.astimezone(zone).time(),
            "territory_code": territory_text(meeting.territory),
            "registration_deadline": meeting.registration_deadline.astimezone(zone).date()
            if meeting.registration_deadline
            else None,
        },
    )
    warning = None
    if form.validate_on_submit():
        try:
            # A clash is asked about first; then a change that mails everyone holding the meeting is confirmed.
            services.check_move(meeting, _meeting_data(form), acknowledged())
            if not is_confirmed() and (confirmation := _change_confirmation(meeting, form)):
                return confirmation_page(confirmation, EmptyForm())
            material = services.update_meeting(current_user, meeting, _meeting_data(form), acknowledged())
        except NeedsConfirmation as exc:
            warning = exc
        except DomainError as exc:
            _errors_on(form, exc)
        else:
            db.session.commit()
            flash(
                _("La rencontre est enregistrée (version du calendrier : %(n)d).", n=meeting.sequence)
                if material
                else _("La rencontre est enregistrée."),
                "success",
            )
            return redirect(url_for("planning.edit", meeting_id=meeting.id))
    item_form = AgendaItemForm(prefix="item")
    item_form.speakers.choices = [(s.id, s.name) for s in programme.list_speakers()]
    return render_template(
        "meetings/coordination/meeting_form.html",
        form=form,
        meeting=meeting,
        item_form=item_form,
        status_form=EmptyForm(prefix="status"),
        hold_error=services.status_error(meeting, "held") if meeting.status == "published" else None,
        duplicate_form=DuplicateForm(prefix="dup"),
        overlaps=programme.overlaps(meeting.items),
        warning=warning,
        followup=followup.for_back_office(current_user, meeting),
        commitments=meeting_panel(meeting),
        **LABELS,
        **FOLLOWUP_LABELS,
    )


def _change_confirmation(meeting, form):
    """A change of time, place or link of a published meeting mails everyone holding it: confirm first."""
    if meeting.status != "published":
        return None
    try:
        changed = services.material_changes(meeting, _meeting_data(form))
    except (TypeError, ValueError):
        return None  # the service refuses it with the form's message
    from clubess.meetings.notifications import update_recipients

    holders = update_recipients(meeting) if changed else []
    if not holders:
        return None
    names = {"starts_at": _("l’horaire"), "ends_at": _("l’horaire"), "venue": _("le lieu"), "address": _("le lieu")}
    names |= {"online_url": _("le lien de connexion"), "format": _("le format")}
    return confirmations.material_change(meeting, list(dict.fromkeys(names[f] for f in changed)), holders)


@bp.route("/coordination/rencontres/<int:meeting_id>/statut", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def change_status(meeting_id: int):
    """Publish, unpublish and cancel after a confirmation page; held, reopen and back to draft in one click."""
    meeting = services.get_meeting(meeting_id, current_user)
    status = request.values.get("status", "")
    form = EmptyForm(prefix="status")
    error = services.status_error(meeting, status)
    confirmation = None if error else confirmations.status_change(meeting, status)
    if error:
        flash(error, "error")
    elif request.method == "POST" and (confirmation is None or is_confirmed()) and form.validate_on_submit():
        try:
            told = services.set_status(current_user, meeting, status)
        except DomainError as exc:
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(_("Statut : %(status)s.", status=STATUS_LABELS[meeting.status]), "success")
            if told:
                flash(ngettext("%(num)d personne est prévenue.", "%(num)d personnes sont prévenues.", told), "success")
    elif confirmation is not None:
        return confirmation_page(confirmation, form)
    return redirect(url_for("planning.edit", meeting_id=meeting.id))


@bp.route("/coordination/rencontres/<int:meeting_id>/dupliquer", methods=["POST"])
@role_required(Role.COORDINATOR)
def duplicate(meeting_id: int):
    meeting = services.get_meeting(meeting_id, current_user)
    form = DuplicateForm(prefix="dup")
    if form.validate_on_submit():
        start = local(form.day.data, meeting.starts_at.astimezone(tz()).time())
        try:
            copy = services.duplicate_meeting(current_user, meeting, start, acknowledged())
        except NeedsConfirmation as exc:
            return render_template(
                "meetings/coordination/confirm_duplicate.html", meeting=meeting, form=form, warning=exc, **LABELS
            )
        db.session.commit()
        flash(_("Copie créée en brouillon."), "success")
        return redirect(url_for("planning.edit", meeting_id=copy.id))
    flash(_("Indiquez une date valide pour la copie."), "error")
    return redirect(url_for("planning.edit", meeting_id=meeting.id))


def _item_times(meeting, form) -> tuple[datetime, datetime]:
    day = meeting.starts_at.astimezone(tz()).date()
    return local(day, form.start.data), local(day, form.end.data)


@bp.route("/coordination/rencontres/<int:meeting_id>/ordre-du-jour", methods=["POST"])
@bp.route("/coordination/rencontres/<int:meeting_id>/ordre-du-jour/<int:item_id>", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def save_item(meeting_id: int, item_id: int | None = None):
    meeting = services.get_meeting(meeting_id, current_user)
    item = db.session.get(AgendaItem, item_id) if item_id else None
    if item_id and (item is None or item.meeting_id != meeting.id):
        abort(404)
    zone = tz()
    form = AgendaItemForm(
        prefix="item",
        data=None
        if request.method == "POST" or item is None
        else {
            "title": item.title,
            "kind": item.kind,
            "description": item.description,
            "start": item.starts_at.astimezone(zone).time(),
            "end": item.ends_at.astimezone(zone).time(),
            "speakers": [s.id for s in item.speakers],
        },
    )
    speakers = programme.list_speakers()
    form.speakers.choices = [(s.id, s.name) for s in speakers]
    if form.validate_on_submit():
        start, end = _item_times(meeting, form)
        chosen = [s for s in speakers if s.id in (form.speakers.data or [])]
        try:
            programme.save_item(
                current_user,
                meeting,
                item,
                form.title.data,
                form.kind.data,
                start,
                end,
                form.description.data or "",
                chosen,
            )
        except DomainError as exc:
            _errors_on(form, exc)
        else:
            db.session.commit()
            flash(_("L’ordre du jour est enregistré."), "success")
            return redirect(url_for("planning.edit", meeting_id=meeting.id) + "#ordre-du-jour")
    return render_template("meetings/coordination/item_form.html", form=form, meeting=meeting, item=item, **LABELS)


@bp.route("/coordination/ordre-du-jour/<int:item_id>/deplacer", methods=["POST"])
@role_required(Role.COORDINATOR)
def move_item(item_id: int):
    item = db.get_or_404(AgendaItem, item_id)
    if EmptyForm().validate_on_submit():
        programme.move_item(current_user, item, -1 if request.form.get("direction") == "up" else 1)
        db.session.commit()
    return redirect(url_for("planning.edit", meeting_id=item.meeting_id) + "#ordre-du-jour")


@bp.route("/coordination/ordre-du-jour/<int:item_id>/supprimer", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def delete_item(item_id: int):
    item = db.get_or_404(AgendaItem, item_id)
    meeting_id = item.meeting_id
    form = EmptyForm()
    if not is_confirmed():
        return confirmation_page(confirmations.delete_item(item), form)
    if form.validate_on_submit():
        programme.delete_item(current_user, item)
        db.session.commit()
        flash(_("Le point a été retiré de l’ordre du jour."), "success")
    return redirect(url_for("planning.edit", meeting_id=meeting_id) + "#ordre-du-jour")


@bp.route("/coordination/intervenants", methods=["GET", "POST"])
@bp.route("/coordination/intervenants/<int:speaker_id>", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def speakers(speaker_id: int | None = None):
    speaker = db.get_or_404(Speaker, speaker_id) if speaker_id else None
    form = SpeakerForm(obj=speaker)
    form.member_id.choices = [(0, _("Aucune"))] + [
        (m.id, f"{m.full_name} — {m.collectivity.name}") for m in programme.list_linkable_members()
    ]
    warning = None
    if form.validate_on_submit():
        try:
            programme.save_speaker(
                current_user,
                speaker,
                form.name.data,
                form.organisation.data or "",
                form.title.data or "",
                form.kind.data,
                form.bio.data or "",
                form.member_id.data or None,
                acknowledged=acknowledged(),
            )
        except NeedsConfirmation as exc:
            warning = exc
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            db.session.commit()
            flash(_("L’intervenant est enregistré."), "success")
            return redirect(url_for("planning.speakers"))
    return render_template(
        "meetings/coordination/speakers.html",
        form=form,
        speaker=speaker,
        speakers=programme.list_speakers(),
        warning=warning,
        **LABELS,
    )
