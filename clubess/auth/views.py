"""Login, logout, password reset, email verification, account page, language switch, accounts admin."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from flask_login.utils import decode_cookie

from clubess.auth import services, sessions
from clubess.auth.forms import (
    ROLE_LABELS,
    AccountSearchForm,
    ChangePasswordForm,
    ForgotPasswordForm,
    LoginForm,
    ResetPasswordForm,
    RoleForm,
)
from clubess.auth.models import normalize_email
from clubess.core.confirm import confirmation_page, is_confirmed
from clubess.core.errors import DomainError
from clubess.core.forms import EmptyForm
from clubess.core.inputs import page_arg
from clubess.core.permissions import Role, has_role, role_required
from clubess.core.security import safe_next
from clubess.core.templating import validity
from clubess.extensions import db, limiter, login_manager

bp = Blueprint("auth", __name__)


@login_manager.user_loader
def load_user(secret: str):
    return sessions.load_user(secret)


#: requests that never need the logged-in user (and must stay free of its query)
_NO_SESSION_ENDPOINTS = {"static", "pages.health"}


@bp.before_app_request
def touch_login_session():
    # Load the user before the view writes anything, so the session's last use is recorded in its own
    # short transaction (at most every few minutes) without waiting on this request's writes.
    if request.endpoint in _NO_SESSION_ENDPOINTS or request.blueprint == "api":
        return
    if current_user.is_authenticated:
        sessions.touch(current_user)
    elif (refusal := sessions.refusal_of_this_request()) is not None:
        flash(refusal, "warning")  # the login this browser held was just refused: say why, once


def _remember_cookie_secret() -> str | None:
    value = request.cookies.get(current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token"))
    return decode_cookie(value) if value else None


def _account_key() -> str:
    return "account:" + normalize_email(request.form.get("email", ""))[:254]


def _config_limit(name):
    return lambda: current_app.config[name]


def _login_failed(response) -> bool:
    return response.status_code == 200  # the form came back with an error


@bp.route("/connexion", methods=["GET", "POST"])
@limiter.limit(_config_limit("RATELIMIT_LOGIN_IP"), methods=["POST"])
@limiter.limit(
    _config_limit("RATELIMIT_LOGIN_ACCOUNT"), key_func=_account_key, methods=["POST"], deduct_when=_login_failed
)
def login():
    next_param = request.values.get("next")
    if current_user.is_authenticated:
        return redirect(safe_next(next_param, _landing(current_user)))
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.email.data, form.password.data)
        except DomainError as exc:
            user = None
            form.form_errors.append(str(exc.message))
        else:
            if user is None:
                form.form_errors.append(_("Adresse électronique ou mot de passe incorrect."))
        if user is not None:
            sessions.open_session(user, remember=form.remember.data, user_agent=request.user_agent.string)
            db.session.commit()
            session.clear()
            login_user(user, remember=form.remember.data)
            if not form.remember.data and _remember_cookie_secret() is not None:
                session["_remember"] = "clear"  # a remember cookie left from an earlier login goes
            session["lang"] = user.locale
            flash(_("Vous êtes connecté."), "success")
            return redirect(safe_next(next_param, _landing(user)))
    return render_template("auth/login.html", form=form, next=request.values.get("next", ""))


def _landing(user) -> str:
    """Where a login lands without a `next`: the back office for coordinators and admins, else the member area."""
    return url_for("dashboard.index") if has_role(user, Role.COORDINATOR) else url_for("home.account")


@bp.route("/deconnexion", methods=["POST"])
def logout():
    form = EmptyForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            sessions.end_session(current_user)
        sessions.end_session_by_secret(_remember_cookie_secret())
        db.session.commit()
        lang = session.get("lang")
        session.clear()
        logout_user()  # after clear(): it marks the remember cookie for deletion in the session
        if lang:
            session["lang"] = lang
        flash(_("Vous êtes déconnecté."), "success")
    return redirect(url_for("pages.home"))


@bp.route("/connexion/mot-de-passe-oublie", methods=["GET", "POST"])
@limiter.limit(_config_limit("RATELIMIT_RESET_IP"), methods=["POST"])
@limiter.limit(_config_limit("RATELIMIT_RESET_ACCOUNT"), key_func=_account_key, methods=["POST"])
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        services.request_password_reset(form.email.data)
        db.session.commit()
        flash(
            _(
                "Si un compte existe pour cette adresse, un courriel vient de lui être envoyé avec un lien "
                "valable %(duration)s. Pensez à vérifier vos courriers indésirables.",
                duration=validity(current_app.config["RESET_TOKEN_MAX_AGE"]),
            ),
            "info",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot_password.html", form=form)


@bp.route("/connexion/nouveau-mot-de-passe/<token>", methods=["GET", "POST"])
@bp.route(
    "/connexion/bienvenue/<token>",
    methods=["GET", "POST"],
    endpoint="welcome",
    defaults={"purpose": services.WELCOME_PURPOSE},
)
@limiter.limit(_config_limit("RATELIMIT_RESET_IP"), methods=["POST"])
def reset_password(token: str, purpose: str = services.RESET_PURPOSE):
    try:
        services.user_for_reset_token(token, purpose)
    except DomainError as exc:
        return render_template("auth/link_invalid.html", message=exc.message), 410
    form = ResetPasswordForm()
    if form.validate_on_submit():
        try:
            user = services.reset_password(token, form.password.data, purpose)
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            db.session.commit()
            logout_user()
            flash(_("Votre mot de passe a été changé. Vous pouvez vous connecter."), "success")
            return redirect(url_for("auth.login", email=user.email))
    return render_template("auth/reset_password.html", form=form, welcome=purpose == services.WELCOME_PURPOSE)


@bp.route("/connexion/confirmer/<token>", methods=["GET", "POST"])
def verify_email(token: str):
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            services.verify_email(token)
        except DomainError as exc:
            return render_template("auth/link_invalid.html", message=exc.message), 410
        db.session.commit()
        flash(_("Votre adresse électronique est confirmée. Merci !"), "success")
        return redirect(url_for("home.account") if current_user.is_authenticated else url_for("auth.login"))
    # Only the POST acts, so a mail scanner that follows the link confirms nothing.
    return render_template("auth/verify_email.html", form=form)


@bp.route("/espace/confirmation", methods=["POST"])
@login_required
@limiter.limit("3 per hour", key_func=lambda: f"verify:{current_user.id}")
def resend_verification():
    form = EmptyForm()
    if form.validate_on_submit():
        services.send_verification(current_user)
        db.session.commit()
        flash(_("Un nouveau lien de confirmation vient de vous être envoyé."), "info")
    return redirect(url_for("home.account"))


@bp.route("/espace/mot-de-passe", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            services.change_password(current_user, form.current_password.data, form.password.data)
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            db.session.commit()
            flash(_("Votre mot de passe a été changé. Vos autres sessions ont été fermées."), "success")
            return redirect(url_for("home.account"))
    return render_template("auth/change_password.html", form=form)


@bp.route("/espace/sessions")
@login_required
def login_sessions():
    return render_template(
        "auth/sessions.html",
        login_sessions=sessions.list_sessions(current_user),
        current_id=current_user.login_session.id,
        device_label=sessions.device_label,
        remember_for=current_app.config["REMEMBER_COOKIE_DURATION"],
        idle_hours=int(current_app.permanent_session_lifetime.total_seconds() // 3600),
        form=EmptyForm(),
    )


@bp.route("/espace/sessions/<int:session_id>/fin", methods=["POST"])
@login_required
def end_login_session(session_id: int):
    form = EmptyForm()
    if form.validate_on_submit():
        sessions.end_own_session(current_user, session_id)
        db.session.commit()
        flash(_("La session a été fermée."), "success")
    return redirect(url_for("auth.login_sessions"))


@bp.route("/espace/sessions/fin", methods=["POST"])
@login_required
def end_other_login_sessions():
    form = EmptyForm()
    if form.validate_on_submit():
        sessions.end_sessions(current_user, keep=current_user.login_session)
        db.session.commit()
        flash(_("Vos autres sessions ont été fermées."), "success")
    return redirect(url_for("auth.login_sessions"))


@bp.route("/langue/<lang>")
def switch_language(lang: str):
    """A visitor's language switch: a link, not a form, so the public pages hold no CSRF token and a visitor
    needs no session until they choose (core.pagecache). It changes nothing but this visitor's own session;
    a signed-in person's choice, stored on their account, goes through the form below (POST, CSRF)."""
    if lang in current_app.config["LOCALES"]:
        session["lang"] = lang
    return redirect(safe_next(request.args.get("next"), url_for("pages.home")))


@bp.route("/langue", methods=["POST"])
def set_language():
    form = EmptyForm()
    lang = request.form.get("lang", "")
    if form.validate_on_submit() and lang in current_app.config["LOCALES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            current_user.locale = lang
            db.session.commit()
    return redirect(safe_next(request.form.get("next"), url_for("pages.home")))


@bp.route("/coordination/comptes")
@role_required(Role.ADMIN)
def users():
    search = AccountSearchForm(request.args)
    pagination = services.list_users(current_user, query=search.q.data or "", role=search.role.data, page=page_arg())
    return render_template("auth/users.html", search=search, pagination=pagination, role_labels=ROLE_LABELS)


@bp.route("/coordination/comptes/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def user_detail(user_id: int):
    user = services.get_user_for_admin(current_user, user_id)
    form = RoleForm(obj=user)
    toggle = EmptyForm(prefix="toggle")
    changing = form.role.data in ROLE_LABELS and form.role.data != user.role and user.id != current_user.id
    if form.validate_on_submit() and changing and not is_confirmed():
        from clubess.auth.confirmations import role_change

        return confirmation_page(role_change(user, form.role.data), EmptyForm())
    if form.validate_on_submit():
        try:
            services.set_role(current_user, user, form.role.data)
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            db.session.commit()
            flash(
                _("Le rôle de %(email)s est maintenant : %(role)s.", email=user.email, role=ROLE_LABELS[user.role]),
                "success",
            )
            return redirect(url_for("auth.user_detail", user_id=user.id))
    return render_template("auth/user_detail.html", user=user, form=form, toggle=toggle, role_labels=ROLE_LABELS)


@bp.route("/coordination/comptes/<int:user_id>/activation", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def toggle_user(user_id: int):
    user = services.get_user_for_admin(current_user, user_id)
    form = EmptyForm(prefix="toggle")
    if user.is_enabled and user.id != current_user.id and not is_confirmed():
        from clubess.auth.confirmations import disable

        return confirmation_page(disable(user), form)
    if form.validate_on_submit():
        try:
            services.set_enabled(current_user, user, not user.is_enabled)
        except DomainError as exc:
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(_("Le compte est activé.") if user.is_enabled else _("Le compte est désactivé."), "success")
    return redirect(url_for("auth.user_detail", user_id=user.id))


@bp.app_context_processor
def auth_context():
    return {
        "is_coordinator": has_role(current_user, Role.COORDINATOR),
        "is_admin": has_role(current_user, Role.ADMIN),
    }
