"""Fixtures for meetings: speakers and a published meeting with an agenda."""

from datetime import datetime, time
from zoneinfo import ZoneInfo

import pytest

PARIS = ZoneInfo("Europe/Paris")


def paris(y, m, d, hh, mm=0):
    return datetime(y, m, d, hh, mm, tzinfo=PARIS)


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
