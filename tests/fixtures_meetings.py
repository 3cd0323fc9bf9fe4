"""Fixtures for meetings: speakers and a published meeting with an agenda."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

PARIS = ZoneInfo("Europe/Paris")


def paris(y, m, d, hh, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=PARIS)


def meeting_form(meeting, **changes) -> dict:
    """The coordinator's edit form of a meeting made by `make_meeting` (17 June 2027, 09:30–12:30), with changes."""
    return {
        "title": meeting.title,
        "kind": "rencontre",
        "day": "2027-06-17",
        "start_time": "09:30",
        "end_time": "12:30",
        "format": "presentiel",
        "venue": meeting.venue,
        "address": meeting.address,
        "audience": "members",
        **changes,
    }


@pytest.fixture
def speakers(db):
    from clubess.meetings.models import Speaker

    people = [
        Speaker(name="Claire Fontaine", organisation="CRESS", title="Directrice", kind="partenaire"),
        Speaker(name="Marc Rousseau", organisation="Ressourcerie du Val", kind="structure_ess"),
    ]
    db.session.add_all(people)
    db.session.commit()
    return people


@pytest.fixture
def make_meeting(db):
    from clubess.meetings.models import AgendaItem, Meeting

    def make(day=(2027, 6, 17), start=time(9, 30), end=time(12, 30), status="published", items=0, **kwargs):
        y, m, d = day
        meeting = Meeting(
            kind=kwargs.pop("kind", "rencontre"),
            title=kwargs.pop("title", "Rencontre de juin"),
            starts_at=paris(y, m, d, start.hour, start.minute),
            ends_at=paris(y, m, d, end.hour, end.minute),
            status=status,
            venue=kwargs.pop("venue", "Maison de l'ESS"),
            address=kwargs.pop("address", "Paris 11e"),
            **kwargs,
        )
        for i in range(items):
            meeting.items.append(
                AgendaItem(
                    position=i,
                    title=f"Point {i + 1}",
                    kind="intervention",
                    starts_at=paris(y, m, d, 9, 30),
                    ends_at=paris(y, m, d, 9, 45),
                )
            )
        db.session.add(meeting)
        db.session.commit()
        return meeting

    return make


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
