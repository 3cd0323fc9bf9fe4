"""Fixtures for what follows a meeting: a held meeting with a hand-counted attendance."""

import pytest

#: the attendance of `held_meeting`, counted by hand: Hélène, Karim (Montreuil), Sofia (Saint-Ouen) and a
#: walk-in are present, Hélène twice (a second registration under her address in capitals): 4 people,
#: 2 collectivities; Paul (L'Haÿ) is absent and Léo (Saint-Ouen) was never marked: neither counts.
PRESENT_PEOPLE = 4
PRESENT_COLLECTIVITIES = 2
ATTENDEES = ["helene@montreuil.fr", "karim@montreuil.fr", "sofia@saint-ouen.fr", "marie.passante@example.org"]
WALK_IN = "marie.passante@example.org"


@pytest.fixture
def held_meeting(db, make_meeting, people):
    """A held meeting of 17 September 2026 (Paris 11e, members only, two agenda items) and its attendance."""
    from clubess.meetings.models import Registration

    def make(**kwargs):
        kwargs.setdefault("title", "Rencontre de septembre")
        kwargs.setdefault("items", 2)
        kwargs.setdefault("department_code", "93")
        meeting = make_meeting(day=(2026, 9, 17), status="held", **kwargs)
        for key, attendance in [
            ("helene", "present"),
            ("karim", "present"),
            ("sofia", "present"),
            ("paul", "absent"),
            ("leo", "unknown"),
        ]:
            member = people[key]
            db.session.add(
                Registration(
                    meeting_id=meeting.id,
                    member_id=member.id,
                    collectivity_id=member.collectivity_id,
                    email=member.email,
                    name=member.full_name,
                    organisation=member.collectivity.name,
                    attendance=attendance,
                )
            )
        # the walk-in (a name and an organisation), as the "attend" helper records them
        db.session.add(
            Registration(
                meeting_id=meeting.id,
                email=WALK_IN,
                name="Marie Passante",
                organisation="Ressourcerie du Val",
                attendance="present",
            )
        )
        # Hélène registered a second time under her address in capitals: still one person
        db.session.add(
            Registration(
                meeting_id=meeting.id,
                member_id=people["helene"].id,
                collectivity_id=people["helene"].collectivity_id,
                email="HELENE@montreuil.fr",
                name="Hélène Durand",
                attendance="present",
            )
        )
        db.session.commit()
        return meeting

    return make
