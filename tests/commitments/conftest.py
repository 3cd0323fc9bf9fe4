"""A club with a series of rencontres, a workshop outside any series, and collectivities present or absent.

Time is frozen on 15 October 2026 (T4 2026) unless a test moves it: quarters, "due" and "overdue" depend on
the day.

    series « Rencontres 2026-2027 »: S1 17/09/2026 held · C 05/11/2026 cancelled · S2 10/12/2026 published ·
                                      S3 18/03/2027 draft
    outside a series:                 W 01/10/2026 held (atelier thématique) · R 19/11/2026 published (rencontre)

At S1: Montreuil (Hélène, its référent, and Karim) and Saint-Ouen (Sofia, its référent) present, L'Haÿ (Paul)
marked absent. At W: Saint-Ouen present.
"""

from datetime import time
from types import SimpleNamespace

import pytest
from freezegun import freeze_time

TODAY = "2026-10-15 08:00:00"


@pytest.fixture
def frozen():
    with freeze_time(TODAY) as clock:
        yield clock


@pytest.fixture
def club(frozen, db, people, coordinator, make_meeting):
    from clubess.meetings.models import MeetingSeries, Registration

    series = MeetingSeries(title="Rencontres 2026-2027", rule="dates", start_time=time(9, 30), end_time=time(12, 30))
    db.session.add(series)
    db.session.commit()
    s1 = make_meeting(day=(2026, 9, 17), status="held", title="Rencontre de septembre", series_id=series.id, items=2)
    cancelled = make_meeting(day=(2026, 11, 5), status="cancelled", title="Rencontre annulée", series_id=series.id)
    s2 = make_meeting(day=(2026, 12, 10), title="Rencontre de décembre", series_id=series.id, items=2)
    s3 = make_meeting(day=(2027, 3, 18), status="draft", title="Rencontre de mars", series_id=series.id)
    workshop = make_meeting(
        day=(2026, 10, 1), status="held", title="Atelier réemploi", kind="atelier_thematique", end=time(11, 0)
    )
    extra = make_meeting(day=(2026, 11, 19), title="Rencontre exceptionnelle")
    helene, karim, sofia, paul = people["helene"], people["karim"], people["sofia"], people["paul"]
    montreuil, saint_ouen, lhay = helene.collectivity, sofia.collectivity, paul.collectivity
    saint_ouen.referent, lhay.referent = sofia, paul

    def attend(meeting, person, attendance="present"):
        db.session.add(
            Registration(
                meeting=meeting,
                member_id=person.id,
                collectivity_id=person.collectivity_id,
                email=person.email,
                name=person.full_name,
                attendance=attendance,
            )
        )

    attend(s1, helene)
    attend(s1, karim)
    attend(s1, sofia)
    attend(s1, paul, "absent")
    attend(workshop, sofia)
    db.session.commit()
    return SimpleNamespace(
        series=series,
        s1=s1,
        cancelled=cancelled,
        s2=s2,
        s3=s3,
        workshop=workshop,
        extra=extra,
        montreuil=montreuil,
        saint_ouen=saint_ouen,
        lhay=lhay,
        helene=helene,
        karim=karim,
        sofia=sofia,
        paul=paul,
        coordinator=coordinator,
    )


@pytest.fixture
def commit(db, club):
    """Record a commitment through the service: `commit(actor_user, collectivity, **overrides)`."""
    from clubess.commitments import services

    def make(actor, collectivity, **values):
        data = {
            "title": "Adopter un SPASER",
            "lever": "achats_responsables",
            "success": "Voté en conseil.",
            "responsible_id": collectivity.referent_id,
            "target": (2026, 4),
            "meeting_id": None,
            "note": "",
            **values,
        }
        commitment = services.record_commitment(actor, collectivity, services.CommitmentData(**data))
        db.session.commit()
        return commitment

    return make
