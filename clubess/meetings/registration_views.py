"""Registrations by members and guests, and the answers from mail links: an address, an offered seat, an invitation.

Links in mail only ever show a page: the action needs the POST of its button, so a mail scanner that
follows every link registers and cancels nobody.
"""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from wtforms.fields.choices import SelectChoice

from clubess.core.confirm import confirmation_page, is_confirmed
from clubess.core.errors import DomainError, render_error
from clubess.core.forms import EmptyForm
from clubess.core.tokens import InvalidToken, read_token
from clubess.extensions import db, limiter
from clubess.meetings import confirmations, guests, invitations, notifications, offers, registrations, seats, services
from clubess.meetings.models import MeetingFormat
from clubess.meetings.registration_forms import REGISTRATION_LABELS, GuestForm, RegistrationForm

bp = Blueprint("registrations", __name__)

LABELS = REGISTRATION_LABELS


def _token(purpose: str, token: str) -> dict:
    from flask import current_app

    data = read_token(purpose, token, current_app.config["MEETING_TOKEN_MAX_AGE"])
    if not isinstance(data, dict):
        raise InvalidToken("invalid")
    return data


def _bad_link():
    return render_error(
        400,
        _(
            "Ce lien n’est pas valide ou a expiré. Rien n’a été modifié. "
            "Retrouvez la rencontre dans l’agenda du club, ou écrivez à l’équipe de coordination."
        ),
    )


# --- members ------------------------------------------------------------------------------------


def registration_form(meeting, formdata=None) -> RegistrationForm | None:
    """The form a member sees on a meeting's page, or None when they cannot register anybody."""
    people = registrations.registrable_people(current_user)
    if not people:
        return None
    form = RegistrationForm(formdata=formdata, prefix="reg")
    form.people_by_id = {p.id: p for p in people}
    form.person.choices = [SelectChoice(p.id, p.full_name + (f" ({p.function})" if p.function else "")) for p in people]
    form.on_behalf_of.choices = [SelectChoice(0, _("Personne (je viens à mon titre)"))] + [
        SelectChoice(p.id, p.full_name) for p in people if p.kind == "elu"
    ]
    if meeting.format != MeetingFormat.HYBRID:
        del form.mode
    return form


@bp.route("/rencontres/<int:meeting_id>/inscription", methods=["GET", "POST"])
@login_required
@limiter.limit("30 per minute", methods=["POST"])
def register(meeting_id: int):
    meeting = services.get_meeting(meeting_id, current_user)
    form = registration_form(meeting, formdata=request.form if request.method == "POST" else None)
    if form is None:
        return render_error(403, _("Seules les personnes des collectivités membres peuvent s’inscrire ici."))
    if request.method == "POST" and form.validate():
        person = form.people_by_id[form.person.data]  # a valid choice: one of these people
        represented = form.people_by_id.get(form.on_behalf_of.data)
        try:
            registration = registrations.register_member(
                current_user,
                meeting,
                person,
                mode=form.mode.data if "mode" in form else "",
                share_presence=form.share_presence.data,
                on_behalf_of=represented,
            )
        except DomainError as exc:
            db.session.rollback()
            form.add_domain_errors(exc)
        else:
            db.session.commit()
            if registration.status == "registered":
                flash(
                    _(
                        "Inscription enregistrée : %(name)s. "
                        "Un courriel de confirmation avec l’invitation pour l’agenda est envoyé.",
                        name=registration.name,
                    ),
                    "success",
                )
            else:
                flash(
                    _(
                        "La rencontre est complète : %(name)s est sur la liste d’attente (position %(n)d). "
                        "Un courriel prévient dès qu’une place se libère.",
                        name=registration.name,
                        n=seats.waitlist_position(registration),
                    ),
                    "warning",
                )
            return redirect(url_for("meetings.detail", meeting_id=meeting.id) + "#inscription")
    return render_template("meetings/register.html", meeting=meeting, form=form, **LABELS)


@bp.route("/inscriptions/<int:registration_id>/annuler", methods=["GET", "POST"])
@login_required
def cancel(registration_id: int):
    registration = registrations.get_registration(registration_id)
    if not registrations.can_manage(current_user, registration):
        abort(404)
    form = EmptyForm()
    if is_confirmed() and form.validate_on_submit():
        try:
            registrations.cancel_registration(current_user, registration)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(_("L’inscription de %(name)s est annulée.", name=registration.name), "success")
        return redirect(url_for("meetings.detail", meeting_id=registration.meeting_id))
    return confirmation_page(confirmations.cancel_registration(registration, by_coordination=False), form)


@bp.route("/espace/inscriptions")
@login_required
def mine():
    return render_template(
        "meetings/my_registrations.html", rows=registrations.registrations_of(current_user), **LABELS
    )


# --- guests -------------------------------------------------------------------------------------


@bp.route("/rencontres/<int:meeting_id>/inscription-publique", methods=["GET", "POST"])
@limiter.limit("10 per minute;50 per hour", methods=["POST"])
def guest(meeting_id: int):
    meeting = services.get_meeting(meeting_id, current_user)
    if meeting.audience != "public":
        abort(404)
    form = GuestForm()
    if meeting.format != MeetingFormat.HYBRID:
        del form.mode
    if form.validate_on_submit():
        try:
            guests.request_guest_registration(
                meeting,
                form.name.data,
                form.organisation.data or "",
                form.email.data,
                form.mode.data if "mode" in form else "",
            )
        except DomainError as exc:
            db.session.rollback()
            form.add_domain_errors(exc)
        else:
            db.session.commit()
            return render_template("meetings/guest_sent.html", meeting=meeting, email=form.email.data)
    return render_template("meetings/guest.html", meeting=meeting, form=form, **LABELS)


@bp.route("/inscriptions/confirmer/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute")
def confirm_guest(token: str):
    try:
        registration = registrations.get_registration(int(_token("meeting-guest", token)["r"]))
    except (InvalidToken, KeyError, ValueError, DomainError):
        return _bad_link()
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            guests.confirm_guest(registration)
        except DomainError as exc:
            db.session.rollback()
            return render_error(400, exc.message)
        db.session.commit()
        return redirect(url_for("registrations.manage", token=notifications.manage_token(registration)))
    return render_template("meetings/confirm_guest.html", registration=registration, form=form, **LABELS)


@bp.route("/inscriptions/gerer/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute")
def manage(token: str):
    """From a mail: see one's registration and cancel it, without an account."""
    try:
        registration = registrations.get_registration(int(_token("meeting-registration", token)["r"]))
    except (InvalidToken, KeyError, ValueError, DomainError):
        return _bad_link()
    form = EmptyForm()
    if form.validate_on_submit() and registration.status != "cancelled":
        seats.withdraw(registration)
        db.session.commit()
        flash(_("Votre inscription est annulée. Merci de nous avoir prévenus."), "success")
        return redirect(url_for("registrations.manage", token=token))
    position = seats.waitlist_position(registration) if registration.status == "waitlisted" else None
    return render_template(
        "meetings/manage_registration.html", registration=registration, form=form, position=position, **LABELS
    )


@bp.route("/inscriptions/place/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute")
def offer(token: str):
    """A seat freed up: the first person of the waiting list confirms or declines it."""
    try:
        registration = registrations.get_registration(int(_token("meeting-offer", token)["r"]))
    except (InvalidToken, KeyError, ValueError, DomainError):
        return _bad_link()
    answer = request.values.get("answer", "oui")
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            if answer == "non":
                offers.decline_offer(registration)
                message = _("C’est noté : la place est proposée à la personne suivante.")
            else:
                offers.accept_offer(registration)
                message = _("Votre place est confirmée. L’invitation pour votre agenda vous est envoyée.")
        except DomainError as exc:
            db.session.rollback()
            return render_error(400, exc.message)
        db.session.commit()
        flash(message, "success")
        return redirect(url_for("registrations.manage", token=notifications.manage_token(registration)))
    return render_template("meetings/offer.html", registration=registration, form=form, answer=answer, **LABELS)


# --- invitations: the invitee's answer ----------------------------------------------------------


@bp.route("/invitations/reponse/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute")
def rsvp(token: str):
    try:
        invitation = invitations.get_invitation(int(_token("meeting-rsvp", token)["i"]))
    except (InvalidToken, KeyError, ValueError, DomainError):
        return _bad_link()
    answer = request.values.get("answer", "oui")
    if answer not in ("oui", "non"):
        answer = "oui"
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            registration = invitations.answer(invitation, accept=answer == "oui")
        except DomainError as exc:
            db.session.rollback()
            return render_error(400, exc.message)
        db.session.commit()
        return render_template(
            "meetings/rsvp_done.html",
            invitation=invitation,
            registration=registration,
            position=seats.waitlist_position(registration)
            if registration is not None and registration.status == "waitlisted"
            else None,
            manage_token=notifications.manage_token(registration) if registration is not None else None,
            **LABELS,
        )
    return render_template("meetings/rsvp.html", invitation=invitation, form=form, answer=answer, **LABELS)
