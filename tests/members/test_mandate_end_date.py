"""A mandate ended on a future date closes the account on that day, whether or not anyone acts.

The clock is moved by writing the end date in the database (yesterday), as other tests do.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from clubess.auth.models import LoginSession, User
from clubess.core.audit import AuditEvent
from clubess.members.models import Collectivity, Member
from tests.conftest import FormClient

PASSWORD = "un mot de passe solide"
ENDED = "Votre mandat a pris fin"


def _paris_today():
    return datetime.now(ZoneInfo("Europe/Paris")).date()


def _browser(app) -> FormClient:
    app.test_client_class = FormClient
    return app.test_client()


def _try_login(client, email):
    return client.submit("/connexion", {"email": email, "password": PASSWORD, "remember": "y"})


def _cookies(client) -> dict:
    return {name: client.get_cookie(name).value for name in ("session", "remember_token") if client.get_cookie(name)}


def _with_cookies(app, cookies: dict) -> FormClient:
    other = _browser(app)
    for name, value in cookies.items():
        other.set_cookie(name, value)
    return other


def _karim(db) -> Member:
    return db.session.scalar(sa.select(Member).where(Member.first_name == "Karim"))


@pytest.fixture
def karim_ends_tomorrow(app, active_collectivity, db):
    """Hélène, the référent, ends Karim's mandate dated tomorrow (Paris)."""
    helene = _browser(app)
    helene.login("helene@montreuil.fr")
    tomorrow = _paris_today() + timedelta(days=1)
    url = f"/espace/collectivite/personnes/{_karim(db).id}/fin-de-mandat"
    assert helene.submit(url, {"end_on": tomorrow.isoformat(), "confirmed": "yes"}).status_code == 302
    return helene


def _days_pass(db, member_id: int | None = None) -> None:
    """The end date comes and goes: the mandate ended yesterday (nobody acted)."""
    db.session.expire_all()
    member = db.session.get(Member, member_id) if member_id else _karim(db)
    member.mandate_end_on = _paris_today() - timedelta(days=1)
    db.session.commit()


def test_the_account_stays_open_until_the_end_date_then_gives_no_access(app, db, karim_ends_tomorrow):
    karim = _browser(app)
    response = _try_login(karim, "karim@montreuil.fr")
    assert response.status_code == 302  # today the mandate is still current
    assert karim.get("/espace").status_code == 200
    copied = _cookies(karim)
    remembered = {"remember_token": copied["remember_token"]}

    _days_pass(db)

    # the logged-in browser: the session no longer works, and the person is told why
    response = karim.get("/espace", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert ENDED in page
    assert karim.get("/espace").status_code == 302
    # copies of the session cookie and of the remember cookie taken before are dead too
    assert _with_cookies(app, copied).get("/espace").status_code == 302
    assert _with_cookies(app, remembered).get("/espace").status_code == 302
    # a new login is refused with the same clear message (no 500, no raw code)
    refused = _try_login(_browser(app), "karim@montreuil.fr")
    assert refused.status_code == 200
    assert ENDED in refused.get_data(as_text=True)
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(LoginSession).join(User).where(User.email == "karim@montreuil.fr")
        )
        == 0
    )
    # the wrong password still says nothing about the account
    wrong = _browser(app).submit("/connexion", {"email": "karim@montreuil.fr", "password": "pas le bon mot"})
    assert ENDED not in wrong.get_data(as_text=True)


def test_the_referent_sees_the_account_closed_from_that_day(app, db, karim_ends_tomorrow):
    page = karim_ends_tomorrow.get("/espace/collectivite").get_data(as_text=True)
    assert "Compte fermé" not in page
    _days_pass(db)
    page = karim_ends_tomorrow.get("/espace/collectivite").get_data(as_text=True)
    assert "Compte fermé" in page


def test_the_daily_cron_closes_the_account_once_as_the_system(app, db, karim_ends_tomorrow):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["retention", "run"])
    assert first.exit_code == 0, first.output
    assert "members.ended_mandates: 0" in first.output  # not yet: the mandate ends tomorrow
    karim = _browser(app)
    assert _try_login(karim, "karim@montreuil.fr").status_code == 302

    _days_pass(db)
    second = runner.invoke(args=["retention", "run"])
    assert "members.ended_mandates: 1" in second.output, second.output
    db.session.expire_all()
    user = db.session.scalar(sa.select(User).where(User.email == "karim@montreuil.fr"))
    assert user.is_enabled is False
    assert (
        db.session.scalar(sa.select(sa.func.count()).select_from(LoginSession).where(LoginSession.user_id == user.id))
        == 0
    )
    events = db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == "user.closed_mandate_ended")).all()
    assert [(e.actor_id, e.actor_label, e.target_id) for e in events] == [(None, "système", str(user.id))]
    # the login page still says why
    assert ENDED in _try_login(_browser(app), "karim@montreuil.fr").get_data(as_text=True)

    third = runner.invoke(args=["retention", "run"])
    assert "members.ended_mandates: 0" in third.output
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(AuditEvent).where(AuditEvent.action == "user.closed_mandate_ended")
        )
        == 1
    )


def test_a_person_with_another_current_mandate_keeps_access(app, db, territories, karim_ends_tomorrow):
    other = Collectivity(territory=territories["93070"], status="active")
    db.session.add(other)
    db.session.add(
        Member(collectivity=other, kind="elu", first_name="Karim", last_name="Benali", email="karim@montreuil.fr")
    )
    db.session.commit()
    _days_pass(db)
    karim = _browser(app)
    assert _try_login(karim, "karim@montreuil.fr").status_code == 302
    assert karim.get("/espace").status_code == 200
    result = app.test_cli_runner().invoke(args=["retention", "run"])
    assert "members.ended_mandates: 0" in result.output
    assert karim.get("/espace").status_code == 200


def test_staff_who_are_not_members_are_unaffected(app, db, coordinator, karim_ends_tomorrow):
    _days_pass(db)
    staff = _browser(app)
    assert _try_login(staff, "coordination@example.org").status_code == 302
    assert staff.get("/coordination/adhesions").status_code == 200


def test_loading_the_user_stays_one_query(app, db, karim_ends_tomorrow, count_queries):
    """Whether the mandate is current or ended, one query loads the person (and says whether they may come in)."""
    karim = _browser(app)
    _try_login(karim, "karim@montreuil.fr")
    with count_queries() as counter:
        assert karim.get("/").status_code == 200
    assert sum("login_sessions" in s for s in counter.statements) == 1
    _days_pass(db)
    with count_queries() as counter:
        page = karim.get("/").get_data(as_text=True)
    assert ENDED in page
    loading = [s for s in counter.statements if "login_sessions" in s and s.lstrip().upper().startswith("SELECT")]
    assert len(loading) <= 2  # the session cookie, then the remember cookie: one query each


def test_the_personal_calendar_feed_stops_with_the_mandate(app, db, karim_ends_tomorrow):
    """The feed's address is a key to the members' meetings: it works until the end date, not after."""
    karim = _karim(db)
    karim.user.calendar_token = "k" * 40
    db.session.commit()
    feed = _browser(app)
    assert feed.get("/agenda/" + "k" * 40 + ".ics").status_code == 200
    _days_pass(db)
    assert feed.get("/agenda/" + "k" * 40 + ".ics").status_code == 404
