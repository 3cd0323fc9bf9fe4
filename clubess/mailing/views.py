"""Coordinators' view of the outbox (bodies only where SHOW_DEV_OUTBOX: they hold login links)."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from clubess.core.errors import DomainError
from clubess.core.forms import EmptyForm
from clubess.core.inputs import page_arg
from clubess.core.labels import register_labels
from clubess.core.permissions import Role, role_required
from clubess.extensions import db
from clubess.mailing import services, suppression
from clubess.mailing.models import MessageStatus

bp = Blueprint("mailing", __name__, url_prefix="/coordination/courriels")

STATUS_LABELS = {
    MessageStatus.QUEUED.value: _l("En attente"),
    MessageStatus.SENDING.value: _l("En cours d'envoi"),
    MessageStatus.SENT.value: _l("Envoyé"),
    MessageStatus.FAILED.value: _l("En échec"),
    MessageStatus.CANCELLED.value: _l("Annulé"),
}
#: what each kind of mail is (OutboxMessage.category, set by the domain that queues it)
CATEGORY_LABELS = {
    "auth.reset_password": _l("Mot de passe oublié"),
    "auth.verify_email": _l("Confirmation d’adresse"),
    "members.confirm_application": _l("Confirmation d’une demande d’adhésion"),
    "members.new_application": _l("Nouvelle demande d’adhésion (coordination)"),
    "members.welcome": _l("Bienvenue : choix du mot de passe"),
    "members.rejected": _l("Adhésion refusée"),
    "members.addition_request": _l("Demande d’ajout à une collectivité"),
    "meetings.invitation": _l("Invitation à une rencontre"),
    "meetings.registered": _l("Inscription confirmée"),
    "meetings.waitlisted": _l("Inscription en liste d’attente"),
    "meetings.replaced": _l("Remplacement par un agent"),
    "meetings.guest_confirm": _l("Confirmation d’une inscription publique"),
    "meetings.already_registered": _l("Déjà inscrit·e"),
    "meetings.registration_cancelled": _l("Inscription annulée"),
    "meetings.offer": _l("Place proposée (liste d’attente)"),
    "meetings.offer_expired": _l("Place proposée expirée"),
    "meetings.update": _l("Rencontre modifiée"),
    "meetings.meeting_cancelled": _l("Rencontre annulée"),
    "meetings.reminder": _l("Rappel de rencontre"),
    "practices.changes_requested": _l("Pratique : modifications demandées"),
    "problems.new_match": _l("Nouvelle pratique pour une problématique suivie"),
    "press.communique": _l("Communiqué de presse"),
    "press.subscription": _l("Confirmation d’abonnement presse"),
}
register_labels(outbox_status=STATUS_LABELS, mail_category=CATEGORY_LABELS)


@bp.route("/")
@role_required(Role.COORDINATOR)
def outbox():
    status = request.args.get("statut", "")
    pagination = services.list_messages(current_user, status=status, page=page_arg())
    return render_template(
        "mailing/outbox.html",
        pagination=pagination,
        status=status,
        counts=services.count_by_status(current_user),
        status_labels=STATUS_LABELS,
    )


@bp.route("/<int:message_id>")
@role_required(Role.COORDINATOR)
def message(message_id: int):
    msg = services.get_message(current_user, message_id)
    show_body = current_app.config["SHOW_DEV_OUTBOX"]
    return render_template(
        "mailing/message.html",
        message=msg,
        body=services.shown_message(current_user, msg) if show_body else None,
        show_body=show_body,
        status_labels=STATUS_LABELS,
        form=EmptyForm(),
    )


@bp.route("/<int:message_id>/html")
@role_required(Role.COORDINATOR)
def message_html(message_id: int):
    msg = services.get_message(current_user, message_id)
    body = services.shown_message(current_user, msg) if current_app.config["SHOW_DEV_OUTBOX"] else None
    if not body or not body[1]:
        abort(404)
    return services.sandboxed_html(body[1])


@bp.route("/<int:message_id>/renvoyer", methods=["POST"])
@role_required(Role.COORDINATOR)
def retry(message_id: int):
    msg = services.get_message(current_user, message_id)
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            services.retry_message(current_user, msg)
        except DomainError as exc:
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(_("Le message est de nouveau en attente d'envoi."), "success")
    return redirect(url_for("mailing.message", message_id=msg.id))


@bp.route("/desabonnements")
@role_required(Role.COORDINATOR)
def suppressions():
    """The suppression list: who no longer receives which list, and why. Read-only: only the person comes back."""
    scope = request.args.get("liste", "")
    q = request.args.get("q", "")[:254]
    pagination = suppression.list_suppressions(current_user, scope=scope, q=q, page=page_arg())
    return render_template(
        "mailing/suppressions.html",
        pagination=pagination,
        scope=scope,
        q=q,
        counts=suppression.counts(current_user),
        scope_names=suppression.SCOPE_NAMES,
        reason_labels=suppression.REASON_LABELS,
    )
