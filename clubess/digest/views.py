"""The coordinators' page of the members' digest: the next one, its recipients, a sample, and sending it."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from clubess.core.confirm import Confirmation, confirmation_page, is_confirmed
from clubess.core.errors import DomainError
from clubess.core.forms import EmptyForm
from clubess.core.inputs import single_line
from clubess.core.permissions import Role, role_required
from clubess.digest import services
from clubess.digest.notifications import render_digest
from clubess.extensions import db
from clubess.mailing.services import sandboxed_html

bp = Blueprint("digest", __name__)

EMAIL_MAX = 254


def _period():
    """The period asked for, or the current one with the reason the asked one was refused."""
    values = request.form if request.method == "POST" else request.args
    try:
        return services.parse_period(values.get("periode", "")[:20]), None
    except DomainError as exc:
        return services.current_period(), exc.message


def _email() -> str:
    return single_line(request.args.get("membre", ""))[:EMAIL_MAX]


@bp.route("/coordination/lettre")
@role_required(Role.COORDINATOR)
def preview():
    period, period_error = _period()
    plan = services.preview_plan(current_user, period)
    email = _email()
    sample = services.sample_of(plan, email)
    rendered = render_digest(*sample, period.start, example=True) if sample else None
    return render_template(
        "digest/preview.html",
        plan=plan,
        period=period,
        period_error=period_error,
        email=email,
        sample=sample,
        rendered=rendered,
        form=EmptyForm(),
    )


@bp.route("/coordination/lettre/apercu.html")
@role_required(Role.COORDINATOR)
def sample_html():
    period, _error = _period()
    plan = services.preview_plan(current_user, period)
    sample = services.sample_of(plan, _email())
    if sample is None:
        abort(404)
    return sandboxed_html(render_digest(*sample, period.start, example=True).html)


@bp.route("/coordination/lettre/envoyer", methods=["POST"])
@role_required(Role.COORDINATOR)
def send():
    period, period_error = _period()
    if period_error:
        flash(period_error, "error")
        return redirect(url_for("digest.preview"))
    form = EmptyForm()
    if is_confirmed() and form.validate_on_submit():
        plan = services.queue_digests(current_user, period)
        db.session.commit()
        flash(
            ngettext(
                "La lettre est en file d’envoi pour %(num)d personne.",
                "La lettre est en file d’envoi pour %(num)d personnes.",
                plan.recipients,
            ),
            "success",
        )
        return redirect(url_for("digest.preview", periode=period.key))
    plan = services.preview_plan(current_user, period)
    if not plan.recipients:
        flash(_("Personne n’a de nouvelles à recevoir pour ce mois : rien à envoyer."), "info")
        return redirect(url_for("digest.preview", periode=period.key))
    confirmation = Confirmation(
        title=_("Envoyer la lettre des membres de %(period)s ?", period=period.key),
        effects=[
            ngettext(
                "%(num)d personne recevra la lettre.",
                "%(num)d personnes recevront la lettre.",
                plan.recipients,
            ),
            ngettext(
                "%(num)d personne abonnée n’a rien de nouveau et ne recevra rien.",
                "%(num)d personnes abonnées n’ont rien de nouveau et ne recevront rien.",
                plan.empty,
            ),
            _("Chacune ne la reçoit qu’une fois pour ce mois, même si elle est envoyée à nouveau."),
        ],
        button=ngettext(
            "Envoyer la lettre à %(num)d personne", "Envoyer la lettre à %(num)d personnes", plan.recipients
        ),
        back=url_for("digest.preview", periode=period.key),
        people=[f"{person.name} <{person.email}>" for person, _content in plan.people],
        carry=[("periode", period.key)],
        action=url_for("digest.send"),
        danger=False,
    )
    return confirmation_page(confirmation, form)
