"""The coordinators' pages of a held meeting's minutes: writing with a preview, publishing, versions, the communiqué."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from clubess.core.confirm import confirmation_page, is_confirmed
from clubess.core.errors import DomainError
from clubess.core.forms import EmptyForm
from clubess.core.inputs import parse_int
from clubess.core.permissions import Role, role_required
from clubess.core.templating import render_markdown
from clubess.extensions import db
from clubess.meetings import followup_confirmations as confirmations
from clubess.meetings import minutes as service
from clubess.meetings import press_release, services
from clubess.meetings.followup_forms import FOLLOWUP_LABELS, MinutesForm
from clubess.meetings.forms import LABELS

bp = Blueprint("minutes", __name__)


def _rows(form: MinutesForm) -> list[dict]:
    return [{"text": e.form.text.data or "", "lever": e.form.lever.data or ""} for e in form.decisions]


def _rebuilt(form: MinutesForm, rows: list[dict]) -> MinutesForm:
    """The same form with its decision rows added, moved or removed (nothing is saved: no JavaScript needed)."""
    rows = rows[: form.decisions.max_entries] or [{}]
    data = {"body": form.body.data, "note": form.note.data, "mail_again": form.mail_again.data, "decisions": rows}
    return MinutesForm(formdata=None, data=data)


def _arrange(form: MinutesForm, action: str) -> MinutesForm | None:
    """Apply a row button (add, up:i, down:i, remove:i); None when `action` is not one."""
    rows = _rows(form)
    if action == "add":
        return _rebuilt(form, [*rows, {}])
    verb, _sep, index = action.partition(":")
    i = parse_int(index)
    if verb not in ("up", "down", "remove") or i is None or i >= len(rows):
        return None
    if verb == "remove":
        rows.pop(i)
    else:
        j = i - 1 if verb == "up" else i + 1
        if 0 <= j < len(rows):
            rows[i], rows[j] = rows[j], rows[i]
    return _rebuilt(form, rows)


def _decisions(form: MinutesForm) -> list[service.DecisionData]:
    return [service.DecisionData(row["text"], row["lever"] or None) for row in _rows(form)]


@bp.route("/coordination/rencontres/<int:meeting_id>/compte-rendu", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def edit(meeting_id: int):
    meeting = services.get_meeting(meeting_id, current_user)
    minutes = service.get_minutes(meeting)
    if request.method == "GET":
        rows = [{"text": d.text, "lever": d.lever or ""} for d in minutes.decisions] if minutes else []
        form = MinutesForm(formdata=None, data={"body": minutes.body if minutes else "", "decisions": [*rows, {}]})
    else:
        form = MinutesForm()
    action = request.form.get("action", "save")[:20]
    preview = None
    if request.method == "POST" and (arranged := _arrange(form, action)) is not None:
        form = arranged
    elif action == "preview":
        if form.validate_on_submit():
            preview = {
                "body": render_markdown(form.body.data),
                "decisions": [d for d in _decisions(form) if d.text.strip()],
            }
    elif form.validate_on_submit():
        published = minutes is not None and minutes.is_published
        if published and form.mail_again.data and not is_confirmed():
            people = service.recipients(meeting)
            confirmation = confirmations.mail_correction(meeting, people, len(service.attendees(meeting)))
            return confirmation_page(confirmation, EmptyForm())
        try:
            _saved, mailed = service.save_minutes(
                current_user,
                meeting,
                form.body.data or "",
                _decisions(form),
                note=form.note.data or "",
                mail_again=bool(form.mail_again.data) and published,
            )
        except DomainError as exc:
            db.session.rollback()
            form.add_domain_errors(exc)
        else:
            db.session.commit()
            if not published:
                flash(_("Le brouillon du compte rendu est enregistré."), "success")
            elif mailed:
                flash(
                    ngettext(
                        "Correction enregistrée et envoyée à %(num)d personne.",
                        "Correction enregistrée et envoyée à %(num)d personnes.",
                        mailed,
                    ),
                    "success",
                )
            else:
                flash(_("Correction enregistrée (elle n’est pas envoyée par courriel)."), "success")
            return redirect(url_for("minutes.edit", meeting_id=meeting.id))
    return render_template(
        "meetings/coordination/minutes_form.html",
        meeting=meeting,
        minutes=minutes,
        form=form,
        preview=preview,
        held_error=None if meeting.status == "held" else _("Le compte rendu s’écrit une fois la rencontre tenue."),
        attendees=len(service.attendees(meeting)),
        **LABELS,
        **FOLLOWUP_LABELS,
    )


@bp.route("/coordination/rencontres/<int:meeting_id>/compte-rendu/publier", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def publish(meeting_id: int):
    meeting = services.get_meeting(meeting_id, current_user)
    minutes = service.get_minutes(meeting)
    form = EmptyForm()
    back = redirect(url_for("minutes.edit", meeting_id=meeting.id))
    if minutes is not None and minutes.is_published:
        flash(_("Ce compte rendu est déjà publié."), "error")
        return back
    if not is_confirmed():
        try:
            service.check_held(meeting)
            if minutes is None or not minutes.body.strip():
                raise DomainError(_("Écrivez et enregistrez le compte rendu avant de le publier."))
        except DomainError as exc:
            flash(exc.message, "error")
            return back
        people = service.recipients(meeting)
        return confirmation_page(confirmations.publish_minutes(meeting, people, len(service.attendees(meeting))), form)
    if form.validate_on_submit():
        try:
            mailed = service.publish_minutes(current_user, meeting)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(
                ngettext(
                    "Le compte rendu est publié et envoyé à %(num)d personne.",
                    "Le compte rendu est publié et envoyé à %(num)d personnes.",
                    mailed,
                ),
                "success",
            )
    return back


@bp.route("/coordination/rencontres/<int:meeting_id>/compte-rendu/versions")
@role_required(Role.COORDINATOR)
def revisions(meeting_id: int):
    meeting = services.get_meeting(meeting_id, current_user)
    minutes = service.get_minutes(meeting)
    return render_template(
        "meetings/coordination/minutes_revisions.html",
        meeting=meeting,
        minutes=minutes,
        revisions=service.list_revisions(current_user, minutes) if minutes else [],
        **FOLLOWUP_LABELS,
    )


@bp.route("/coordination/rencontres/<int:meeting_id>/communique", methods=["POST"])
@role_required(Role.COORDINATOR)
def prepare_communique(meeting_id: int):
    meeting = services.get_meeting(meeting_id, current_user)
    if not EmptyForm().validate_on_submit():
        flash(_("La page a expiré : recommencez."), "error")
        return redirect(url_for("planning.edit", meeting_id=meeting.id) + "#apres-la-rencontre")
    try:
        communique = press_release.prepare_communique(current_user, meeting)
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("planning.edit", meeting_id=meeting.id) + "#apres-la-rencontre")
    db.session.commit()
    flash(
        _("Brouillon de communiqué préparé à partir de la rencontre : relisez-le, complétez-le, puis envoyez-le."),
        "success",
    )
    return redirect(url_for("press_communiques.edit", communique_id=communique.id))
