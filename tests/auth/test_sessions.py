"""Login sessions: logout logs out, copied cookies die with the session, people see and end their sessions."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from clubess.auth.models import LoginSession, User
from tests.conftest import FormClient
from tests.pages import get_page

PASSWORD = "un mot de passe solide"


def _browser(app) -> FormClient:
    app.test_client_class = FormClient
    return app.test_client()


def _log_in(client, email, remember=True, user_agent="Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/128.0"):
    data = {"email": email, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.submit("/connexion", data, headers={"User-Agent": user_agent})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


def _cookies(client) -> dict:
    return {name: client.get_cookie(name).value for name in ("session", "remember_token") if client.get_cookie(name)}


def _with_cookies(app, cookies: dict) -> FormClient:
    other = _browser(app)
    for name, value in cookies.items():
        other.set_cookie(name, value)
    return other


def _shift(db, column: str, delta: timedelta) -> None:
    """Move every login session's `column` back in time by `delta`."""
    for row in db.session.scalars(sa.select(LoginSession)):
        setattr(row, column, getattr(row, column) - delta)
    db.session.commit()


def _logged_in(client) -> bool:
    response = client.get("/espace")
    return response.status_code == 200


def test_logout_of_a_remembered_login_leaves_this_browser_anonymous(client, make_user):
    make_user(email="helene@montreuil.fr")
    _log_in(client, "helene@montreuil.fr", remember=True)
    assert client.get_cookie("remember_token") is not None
    assert _logged_in(client)
    client.submit("/deconnexion", {}, form_url="/espace")
    assert client.get_cookie("remember_token") is None
    assert not _logged_in(client)
    assert not _logged_in(client)  # the next request does not log them back in either


@pytest.mark.parametrize("kept", [("session", "remember_token"), ("session",), ("remember_token",)])
def test_cookies_copied_before_logout_no_longer_work_after_it(app, client, make_user, kept):
    make_user(email="helene@montreuil.fr")
    _log_in(client, "helene@montreuil.fr", remember=True)
    assert _logged_in(client)
    copied = {name: value for name, value in _cookies(client).items() if name in kept}
    assert set(copied) == set(kept)
    assert _logged_in(_with_cookies(app, copied))  # the copy works while the session is open
    client.submit("/deconnexion", {}, form_url="/espace")
    thief = _with_cookies(app, copied)
    response = thief.get("/espace")
    assert response.status_code == 302 and response.headers["Location"].startswith("/connexion")
    assert 'href="/connexion"' in thief.get("/").get_data(as_text=True)  # the menu offers to log in


def test_logging_in_again_without_remember_drops_the_earlier_remember_cookie(app, client, make_user):
    make_user(email="helene@montreuil.fr")
    _log_in(client, "helene@montreuil.fr", remember=True)
    old_remember = client.get_cookie("remember_token").value
    client.submit("/deconnexion", {}, form_url="/espace")
    # someone keeps an old remember cookie in the browser and logs in again without ticking the box
    client.set_cookie("remember_token", old_remember)
    _log_in(client, "helene@montreuil.fr", remember=False)
    assert client.get_cookie("remember_token") is None
    client.submit("/deconnexion", {}, form_url="/espace")
    assert not _logged_in(client)


def test_logout_ends_only_this_device(app, make_user):
    make_user(email="helene@montreuil.fr")
    laptop, phone = _browser(app), _browser(app)
    _log_in(laptop, "helene@montreuil.fr")
    _log_in(phone, "helene@montreuil.fr")
    laptop.submit("/deconnexion", {}, form_url="/espace")
    assert not _logged_in(laptop)
    assert _logged_in(phone)


def test_account_page_lists_open_sessions_and_ends_another_one(app, make_user):
    make_user(email="helene@montreuil.fr")
    laptop, phone = _browser(app), _browser(app)
    _log_in(laptop, "helene@montreuil.fr", user_agent="Mozilla/5.0 (Windows NT 10.0; Win64; x64) Firefox/128.0")
    _log_in(
        phone,
        "helene@montreuil.fr",
        user_agent="Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/126.0 Mobile Safari/537.36",
    )
    assert "/espace/sessions" in laptop.get("/espace").get_data(as_text=True)
    page = get_page(laptop, "/espace/sessions").get_data(as_text=True)
    assert "Firefox sous Windows" in page
    assert "Chrome sous Android" in page
    assert page.count("Cette session") == 1  # the laptop's own line
    assert page.count("Fermer cette session") == 1  # only the other one has a button
    ids = [int(i) for i in re.findall(r"/espace/sessions/(\d+)/fin", page)]
    assert len(ids) == 1
    response = laptop.submit(f"/espace/sessions/{ids[0]}/fin", {}, form_url="/espace/sessions")
    assert response.status_code == 302
    assert "La session a été fermée." in laptop.get(response.headers["Location"]).get_data(as_text=True)
    assert not _logged_in(phone)
    assert _logged_in(laptop)


def test_ending_all_other_sessions_keeps_this_one(app, make_user):
    make_user(email="helene@montreuil.fr")
    laptop, phone, tablet = _browser(app), _browser(app), _browser(app)
    for device in (laptop, phone, tablet):
        _log_in(device, "helene@montreuil.fr")
    laptop.submit("/espace/sessions/fin", {}, form_url="/espace/sessions")
    assert _logged_in(laptop)
    assert not _logged_in(phone) and not _logged_in(tablet)


def test_nobody_ends_someone_elses_session(app, make_user):
    make_user(email="helene@montreuil.fr")
    make_user(email="nadia@example.org")
    helene, nadia = _browser(app), _browser(app)
    _log_in(helene, "helene@montreuil.fr")
    _log_in(nadia, "nadia@example.org")
    from clubess.extensions import db

    with app.app_context():
        nadia_session = db.session.scalar(
            sa.select(LoginSession.id).join(LoginSession.user).where(User.email == "nadia@example.org")
        )
    response = helene.submit(f"/espace/sessions/{nadia_session}/fin", {}, form_url="/espace/sessions")
    assert response.status_code == 404
    assert _logged_in(nadia)


def test_a_session_not_remembered_expires_server_side_after_its_idle_time(app, client, make_user, db):
    make_user(email="helene@montreuil.fr")
    _log_in(client, "helene@montreuil.fr", remember=False)
    _shift(db, "last_used_at", app.permanent_session_lifetime + timedelta(minutes=1))
    assert not _logged_in(client)


def test_a_remembered_session_expires_with_its_cookie(app, client, make_user, db):
    make_user(email="helene@montreuil.fr")
    _log_in(client, "helene@montreuil.fr", remember=True)
    assert _logged_in(client)
    # used every day, but logged in longer ago than the remember cookie lasts: a copy of it is refused
    _shift(db, "created_at", app.config["REMEMBER_COOKIE_DURATION"] + timedelta(minutes=1))
    assert not _logged_in(client)


def test_last_use_is_recorded_at_most_every_few_minutes(app, client, make_user, db, count_queries):
    make_user(email="helene@montreuil.fr")
    _log_in(client, "helene@montreuil.fr")
    client.get("/accessibilite")
    with count_queries() as fresh:
        client.get("/accessibilite")
    _shift(db, "last_used_at", timedelta(hours=1))
    with count_queries() as stale:
        client.get("/accessibilite")
    assert stale.count == fresh.count + 1
    used = db.session.scalar(sa.select(LoginSession.last_used_at))
    from clubess.core.db import now_utc

    assert now_utc() - used < timedelta(minutes=1)


def test_a_logged_in_page_costs_one_query_more_than_an_anonymous_one(
    app, client, make_user, count_queries, no_page_cache
):
    make_user(email="helene@montreuil.fr")
    anonymous = _browser(app)
    anonymous.get("/accessibilite")
    with count_queries() as anonymous_count:
        anonymous.get("/accessibilite")
    _log_in(client, "helene@montreuil.fr")
    client.get("/accessibilite")
    with count_queries() as logged_in_count:
        client.get("/accessibilite")
    assert logged_in_count.count == anonymous_count.count + 1  # the session and its user in one query


def test_changing_password_ends_the_remembered_sessions_of_other_devices(app, make_user):
    make_user(email="helene@montreuil.fr")
    laptop, phone = _browser(app), _browser(app)
    _log_in(laptop, "helene@montreuil.fr")
    _log_in(phone, "helene@montreuil.fr")
    phone_cookies = _cookies(phone)
    laptop.submit(
        "/espace/mot-de-passe",
        {"current_password": PASSWORD, "password": "nouvelle phrase secrète", "confirm": "nouvelle phrase secrète"},
    )
    assert _logged_in(laptop)
    assert not _logged_in(_with_cookies(app, phone_cookies))
    assert not _logged_in(_with_cookies(app, {"remember_token": phone_cookies["remember_token"]}))


def test_a_disabled_account_stays_logged_out_once_enabled_again(app, admin, make_user, db):
    target = make_user(email="nadia@example.org")
    nadia, admin_browser = _browser(app), _browser(app)
    _log_in(nadia, "nadia@example.org")
    copied = _cookies(nadia)
    admin_browser.login(admin.email)
    url = f"/coordination/comptes/{target.id}/activation"
    admin_browser.confirm(url, expect="ne peut plus se connecter")  # disabling asks first
    admin_browser.submit(url, {}, form_url=f"/coordination/comptes/{target.id}")  # enabling is one click
    assert db.session.get(User, target.id).is_enabled
    assert not _logged_in(_with_cookies(app, copied))


def test_a_role_change_ends_the_persons_sessions(app, admin, make_user):
    target = make_user(email="nadia@example.org")
    nadia, admin_browser = _browser(app), _browser(app)
    _log_in(nadia, "nadia@example.org")
    admin_browser.login(admin.email)
    admin_browser.confirm(f"/coordination/comptes/{target.id}", {"role": "coordinator"})
    assert not _logged_in(nadia)


def test_role_change_from_the_command_line_ends_the_persons_sessions(app, make_user):
    make_user(email="nadia@example.org")
    nadia = _browser(app)
    _log_in(nadia, "nadia@example.org")
    result = app.test_cli_runner().invoke(args=["users", "set-role", "nadia@example.org", "coordinator"])
    assert result.exit_code == 0, result.output
    assert not _logged_in(nadia)


def _sessions_of(db, user_id) -> int:
    db.session.expire_all()
    stmt = sa.select(sa.func.count()).select_from(LoginSession).where(LoginSession.user_id == user_id)
    return db.session.scalar(stmt)


@pytest.mark.parametrize("action", ["end_mandate", "leave_club", "erasure"])
def test_closing_an_account_ends_its_sessions_and_forgets_its_devices(app, active_collectivity, db, action):
    """Ending a mandate, the collectivity leaving the club and erasure close Karim's account: his open
    sessions end on the server (a copied cookie stays dead even if an admin enables the account again)
    and the list of his devices is not kept."""
    from clubess.members.models import Member

    karim_id, karim_user_id = db.session.execute(
        sa.select(Member.id, Member.user_id).where(Member.first_name == "Karim")
    ).one()
    karim, helene = _browser(app), _browser(app)
    _log_in(karim, "karim@montreuil.fr")
    copied = _cookies(karim)
    assert _sessions_of(db, karim_user_id) == 1
    if action == "erasure":
        karim.submit("/espace/effacement", {})
    else:
        _log_in(helene, "helene@montreuil.fr")
        if action == "end_mandate":
            url = f"/espace/collectivite/personnes/{karim_id}/fin-de-mandat"
            helene.submit(url, {"end_on": "2026-03-20", "confirmed": "yes"})
        else:
            helene.confirm("/espace/collectivite/quitter")
    assert _sessions_of(db, karim_user_id) == 0
    assert not _logged_in(_with_cookies(app, copied))


def test_cron_deletes_expired_sessions_and_keeps_open_ones(app, make_user, db):
    make_user(email="helene@montreuil.fr")
    make_user(email="nadia@example.org")
    old, current = _browser(app), _browser(app)
    _log_in(old, "helene@montreuil.fr", remember=False)
    _shift(db, "last_used_at", app.permanent_session_lifetime + timedelta(minutes=1))
    _log_in(current, "nadia@example.org", remember=False)
    result = app.test_cli_runner().invoke(args=["users", "end-expired-sessions"])
    assert result.exit_code == 0, result.output
    assert "1 expired session(s) deleted." in result.output
    emails = db.session.scalars(sa.select(User.email).join(LoginSession, LoginSession.user_id == User.id)).all()
    assert emails == ["nadia@example.org"]
    assert _logged_in(current)


def test_a_user_agent_with_control_characters_is_stored_cleaned(app, client, make_user, db):
    make_user(email="helene@montreuil.fr")
    _log_in(client, "helene@montreuil.fr", user_agent="Firefox/128.0\x00\x1b (Windows)")
    assert db.session.scalar(sa.select(LoginSession.user_agent)) == "Firefox/128.0 (Windows)"
    assert "Firefox sous Windows" in client.get("/espace/sessions").get_data(as_text=True)
