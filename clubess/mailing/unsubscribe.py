"""One-click unsubscribe (RFC 8058) for bulk mail: a GET page that asks, a POST that acts, no login.

The link carries a signed token naming the list (`scope`) and the address. Mail clients POST
`List-Unsubscribe=One-Click` to the same URL without any cookie, so the POST needs no CSRF token:
the signed token is what proves the request comes from the mail.
"""

from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext as _

from clubess.core.errors import render_error
from clubess.core.tokens import InvalidToken, read_token
from clubess.extensions import csrf, db, limiter
from clubess.mailing.suppression import SCOPE_LABELS, scope_from_link, unsubscribe

bp = Blueprint("unsubscribe", __name__)

#: how long an unsubscribe link keeps working (mail is kept for years)
MAX_AGE = 3 * 365 * 24 * 3600


def _read(token: str) -> tuple[str, str]:
    data = read_token("unsubscribe", token, MAX_AGE)
    scope = scope_from_link(data.get("s")) if isinstance(data, dict) else None
    if scope is None or not isinstance(data.get("e"), str) or not data["e"]:
        raise InvalidToken("invalid")
    return scope, data["e"]


@bp.route("/desabonnement/<token>", methods=["GET", "POST"])
@csrf.exempt
@limiter.limit("30 per minute")
def confirm(token: str):
    try:
        scope, email = _read(token)
    except InvalidToken:
        return render_error(
            400,
            _(
                "Ce lien de désabonnement n’est pas valide. "
                "Vous pouvez régler vos courriels depuis votre profil, ou écrire au club."
            ),
        )
    if request.method == "POST":
        unsubscribe(scope, email)
        db.session.commit()
        if request.form.get("List-Unsubscribe") == "One-Click":
            return "", 204  # a mail client acting for the person: no page to show
        return render_template("mailing/unsubscribed.html", scope_label=SCOPE_LABELS[scope], email=email)
    return render_template(
        "mailing/unsubscribe.html",
        scope_label=SCOPE_LABELS[scope],
        email=email,
        contact=current_app.config["CLUB_CONTACT_EMAIL"],
    )
