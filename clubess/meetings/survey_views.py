"""The satisfaction questionnaire, answered without login through the personal link of the minutes mail."""

from flask import Blueprint, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from clubess.core.errors import DomainError
from clubess.extensions import db, limiter
from clubess.meetings import survey
from clubess.meetings.followup_forms import SurveyForm
from clubess.meetings.forms import LABELS

bp = Blueprint("survey", __name__)


def _refused(message: str, status: int, meeting=None, answered_at=None):
    db.session.rollback()
    return (
        render_template("meetings/survey_refused.html", message=message, meeting=meeting, answered_at=answered_at),
        status,
    )


def _form(meeting) -> SurveyForm:
    form = SurveyForm()
    form.useful_item.choices = [(0, _("Aucun en particulier"))] + [(item.id, item.title) for item in meeting.items]
    return form


@bp.route("/questionnaire/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute")
def answer(token: str):
    try:
        registration = survey.registration_from_link(token)
    except survey.LinkRefused as exc:
        return _refused(exc.message, 400)
    meeting = registration.meeting
    existing = survey.answer_of(registration)
    if existing is not None:
        return _refused(
            _("Vous avez déjà répondu à ce questionnaire : une seule réponse par personne. Merci !"),
            409,
            meeting,
            existing.created_at,
        )
    form = _form(meeting)
    if form.validate_on_submit():
        data = survey.SurveyData(
            rating=form.rating.data,
            useful_item_id=form.useful_item.data or None,
            wished_theme=form.wished_theme.data or "",
            comment=form.comment.data or "",
        )
        try:
            survey.submit_answer(registration, data)
        except survey.AlreadyAnswered as exc:
            return _refused(exc.message, 409, meeting)
        except DomainError as exc:
            db.session.rollback()
            form.add_domain_errors(exc)
        else:
            db.session.commit()
            return redirect(url_for("survey.thanks", token=token))
    return render_template(
        "meetings/survey.html",
        meeting=meeting,
        registration=registration,
        form=form,
        logged_in=current_user.is_authenticated,
        **LABELS,
    )


@bp.route("/questionnaire/<token>/merci")
@limiter.limit("30 per minute")
def thanks(token: str):
    try:
        registration = survey.registration_from_link(token)
    except survey.LinkRefused as exc:
        return _refused(exc.message, 400)
    if survey.answer_of(registration) is None:
        return redirect(url_for("survey.answer", token=token))
    return render_template("meetings/survey_thanks.html", meeting=registration.meeting)
