"""One-click unsubscribe (RFC 8058) for bulk mail: a GET page that asks, a POST that acts, no login.

The link carries a signed token naming the list (`scope`) and the address. Mail clients POST
`List-Unsubscribe=One-Click` to the same URL without any cookie, so the POST needs no CSRF token:
the signed token is what proves the request comes from the mail.
"""

from flask import Blueprint, current_app, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from clubess.core.audit import record
from clubess.core.errors import render_error
from clubess.core.tokens import InvalidToken, read_token
from clubess.extensions import csrf, db, limiter
from clubess.members.services import stop_invitations
from clubess.press.contacts import stop_communiques

bp = Blueprint("unsubscribe", __name__)

#: how long an unsubscribe link keeps working (mail is kept for years)
MAX_AGE = 3 * 365 * 24 * 3600

SCOPES = {
    "invitations": _l("les invitations aux rencontres et ateliers du club"),
    "press": _l("les communiqués de presse du club"),
}


HANDLERS = {"invitations": stop_invitations, "press": stop_communiques}


def unsubscribe(scope: str, email: str) -> None:
    """Stop a list for an address; doing it twice is harmless."""
    changed = HANDLERS[scope](email)
    record(None, "mailing.unsubscribed", None, scope=scope, email=email, changed=changed)


def _read(token: str) -> tuple[str, str]:
    data = read_token("unsubscribe", token, MAX_AGE)
    if not isinstance(data, dict) or data.get("s") not in HANDLERS or not data.get("e"):
        raise InvalidToken("invalid")
    return data["s"], data["e"]


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
        return render_template("mailing/unsubscribed.html", scope_label=SCOPES[scope], email=email)
    return render_template(
        "mailing/unsubscribe.html",
        scope_label=SCOPES[scope],
        email=email,
        contact=current_app.config["CLUB_CONTACT_EMAIL"],
    )
