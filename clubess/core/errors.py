"""Domain errors and the handlers that turn every error into a French page or a JSON message."""

import re

from flask import jsonify, make_response, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException


class DomainError(Exception):
    """A business rule refused the action; `errors` maps a form field (or None) to a message."""

    def __init__(self, message: str, field: str | None = None, errors: dict | None = None):
        super().__init__(str(message))
        self.message = message
        self.errors = errors or {field: message}


#: « practice », « not the referent »: what a service says to the code that catches it, never to people
_CODE = re.compile(r"[a-z][a-z _-]*")


class _StatusError(DomainError):
    """A refusal with its HTTP status. Raised with a code (lower-case words: « practice », « forbidden »), it
    shows people the status's own sentence wherever a view shows the message (a flash, a form error) and keeps
    the code in `code`; raised with a sentence, it shows that sentence."""

    status = 400

    def __init__(self, message: str = "", field: str | None = None, errors: dict | None = None):
        self.code = str(message)
        if not message or _CODE.fullmatch(str(message)):
            message = ERROR_MESSAGES[self.status]
        super().__init__(message, field, errors)


class NotFound(_StatusError):
    status = 404


class Forbidden(_StatusError):
    status = 403


ERROR_TITLES = {
    400: _l("Requête incorrecte"),
    403: _l("Accès refusé"),
    404: _l("Page introuvable"),
    405: _l("Méthode non autorisée"),
    413: _l("Fichier trop volumineux"),
    414: _l("Adresse trop longue"),
    429: _l("Trop de tentatives"),
    500: _l("Erreur du serveur"),
}

ERROR_MESSAGES = {
    400: _l("La requête envoyée n'a pas pu être comprise. Vérifiez les informations saisies et réessayez."),
    403: _l("Vous n'avez pas les droits nécessaires pour accéder à cette page."),
    404: _l("La page que vous cherchez n'existe pas ou a été déplacée."),
    405: _l("Cette action n'est pas possible à cette adresse."),
    413: _l("Le fichier envoyé dépasse la taille autorisée."),
    414: _l("L’adresse demandée est trop longue. Pour un long texte, envoyez-le dans le corps d’une requête POST."),
    429: _l(
        "Vous avez fait trop de tentatives en peu de temps. Pour protéger les comptes, "
        "veuillez patienter quelques minutes avant de réessayer."
    ),
    500: _l("Une erreur inattendue s'est produite. L'équipe a été prévenue ; veuillez réessayer plus tard."),
}


def wants_json() -> bool:
    return request.path.startswith("/api/") or (request.accept_mimetypes.best == "application/json")


def render_error(status: int, message: str | None = None):
    from clubess.extensions import db

    db.session.rollback()
    title = ERROR_TITLES.get(status, ERROR_TITLES[500])
    text = message or ERROR_MESSAGES.get(status, ERROR_MESSAGES[500])
    if wants_json():
        return make_response(jsonify(error={"status": status, "title": str(title), "message": str(text)}), status)
    return make_response(render_template("errors/error.html", status=status, title=title, message=text), status)


def register_error_handlers(app):
    @app.errorhandler(CSRFError)
    def csrf_error(exc):
        return render_error(
            400,
            _l("Le formulaire a expiré ou n'a pas été envoyé depuis ce site. Rechargez la page et réessayez."),
        )

    @app.errorhandler(NotFound)
    def domain_not_found(exc):
        return render_error(404)

    @app.errorhandler(Forbidden)
    def domain_forbidden(exc):
        return render_error(403)

    @app.errorhandler(HTTPException)
    def http_error(exc):
        if exc.code is None or exc.code < 400:
            return exc
        status = exc.code if exc.code in ERROR_TITLES else (400 if exc.code < 500 else 500)
        response = render_error(status, getattr(exc, "message", None))
        if exc.code == 405 and exc.valid_methods:
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response

    @app.errorhandler(Exception)
    def unexpected_error(exc):
        app.logger.exception("Unhandled error on %s %s", request.method, request.path)
        return render_error(500)
