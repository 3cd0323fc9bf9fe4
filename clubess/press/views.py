"""The press room (public): the communiqués, their files, the Atom feed, and subscribing to the communiqués."""

from datetime import UTC, datetime

from flask import Blueprint, render_template, request
from flask_babel import get_locale
from flask_login import current_user

from clubess.core.conditional import feed_response
from clubess.core.errors import DomainError, render_error
from clubess.core.forms import EmptyForm
from clubess.core.inputs import page_arg
from clubess.core.pagecache import public_page
from clubess.extensions import db, limiter
from clubess.press import communiques as service
from clubess.press import subscriptions
from clubess.press.forms import SubscribeForm
from clubess.press.labels import LABELS

bp = Blueprint("press", __name__)


@bp.route("/presse")
@public_page(extra=service.public_state)  # an embargo that ends changes the room without a write
def room():
    pagination = service.public_communiques(page=page_arg())
    return render_template("press/room.html", pagination=pagination, press_contact=service.club_press_contact())


@bp.route("/presse/atom.xml")
def feed():
    """The 30 latest communiqués, kept per data version and answered 304 when the reader's copy is current (an
    embargo that ends changes what the public reads without a write: the key holds what the public reads)."""

    def render() -> str:
        items = service.public_communiques(per_page=30).items
        updated = max((c.public_at() for c in items), default=datetime(2026, 1, 1, tzinfo=UTC))
        return render_template("press/feed.xml", items=items, updated=updated)

    key = ("presse/atom.xml", str(get_locale()), service.public_state())
    return feed_response(key, render, "application/atom+xml")


@bp.route("/presse/abonnement", methods=["GET", "POST"])
@limiter.limit("10 per minute;50 per hour", methods=["POST"])
def subscribe():
    form = SubscribeForm()
    if request.method == "GET" and current_user.is_authenticated:
        form.email.data = current_user.email
    if form.validate_on_submit():
        try:
            subscriptions.request_subscription(
                form.email.data, form.name.data or "", form.outlet.data or "", current_user.is_authenticated
            )
        except DomainError as exc:
            db.session.rollback()
            form.add_domain_errors(exc)
        else:
            db.session.commit()
            return render_template("press/subscribe_sent.html", email=form.email.data.strip())
    return render_template("press/subscribe.html", form=form)


@bp.route("/presse/abonnement/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute")
def confirm_subscription(token: str):
    try:
        contact_id, email = subscriptions.read_subscription_token(token)
    except DomainError as exc:
        return render_error(400, exc.message)
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            subscriptions.confirm_subscription(contact_id, email)
        except DomainError as exc:
            return render_error(404, exc.message)
        db.session.commit()
        return render_template("press/subscribe_done.html", email=email)
    return render_template("press/subscribe_confirm.html", form=form, email=email)


@bp.route("/presse/<slug>")
@public_page(extra=service.public_state)
def show(slug: str):
    communique = service.get_public(slug)
    return render_template(
        "press/show.html", communique=communique, preview=False, press_contact=service.club_press_contact(), **LABELS
    )


@bp.route("/presse/<slug>/fichiers/<int:attachment_id>/<filename>")
def attachment(slug: str, attachment_id: int, filename: str):
    communique = service.get_public(slug)
    return file_response(service.get_attachment(communique, attachment_id))


def file_response(attachment):
    disposition = "inline" if attachment.is_image else "attachment"
    return (
        attachment.data,
        200,
        {
            "Content-Type": attachment.content_type,
            "Content-Disposition": f'{disposition}; filename="{attachment.filename}"',
            "Content-Security-Policy": "default-src 'none'; img-src 'self'; sandbox",
        },
    )
