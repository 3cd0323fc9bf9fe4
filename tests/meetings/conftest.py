"""Fixtures for registrations and invitations: people in three collectivities, mail delivery, calendar parts."""

import json
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def ical_js(body: bytes) -> dict:
    result = subprocess.run(
        ["node", str(ROOT / "tests" / "ical_check.mjs")],
        input=body,
        capture_output=True,
        cwd=ROOT,
        check=True,
        timeout=30,
    )
    return json.loads(result.stdout)


def calendar_part(message):
    """The text/calendar part of a delivered mail (inside multipart/alternative), or None."""
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return part
    return None


def ics_file(message):
    for part in message.walk():
        if part.get_content_type() == "application/ics":
            return part
    return None


@pytest.fixture
def deliver(app):
    """Run one outbox pass, as the worker would; returns its counts."""
    from clubess.mailing.worker import send_pending

    def run():
        with app.app_context():
            return send_pending(limit=500)

    return run


@pytest.fixture
def people(db, active_collectivity, territories, make_user):
    """Montreuil (Hélène élue, Karim agent), Saint-Ouen (93: Sofia élue, Léo agent), L'Haÿ (94: Paul élu)."""
    from datetime import date

    from clubess.members.models import Collectivity, Member

    saint_ouen = Collectivity(territory=territories["93070"], status="active", joined_on=date(2026, 2, 1))
    lhay = Collectivity(territory=territories["94038"], status="active", joined_on=date(2026, 3, 1))
    sofia_user = make_user(email="sofia@saint-ouen.fr", display_name="Sofia Martin")
    found = {
        "sofia": Member(
            collectivity=saint_ouen,
            kind="elu",
            first_name="Sofia",
            last_name="Martin",
            email="sofia@saint-ouen.fr",
            user=sofia_user,
        ),
        "leo": Member(
            collectivity=saint_ouen, kind="agent", first_name="Léo", last_name="Petit", email="leo@saint-ouen.fr"
        ),
        "paul": Member(collectivity=lhay, kind="elu", first_name="Paul", last_name="Roux", email="paul@lhay.fr"),
    }
    db.session.add_all([saint_ouen, lhay, *found.values()])
    db.session.commit()
    for m in active_collectivity.members:
        found[m.email.split("@")[0]] = m
    return found


@pytest.fixture
def open_meeting(make_meeting):
    """A published meeting in 2027 that takes registrations."""

    def make(**kwargs):
        kwargs.setdefault("status", "published")
        return make_meeting(**kwargs)

    return make
