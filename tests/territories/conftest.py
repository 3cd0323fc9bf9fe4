"""A hand-counted territory with private data: the fixture of the territory pages' tests."""

from datetime import date, datetime, time, timedelta

import pytest

from clubess.core.timezone import today


def days_from_today(days: int) -> tuple[int, int, int]:
    day = today() + timedelta(days=days)
    return day.year, day.month, day.day


@pytest.fixture
def territory_data(db, people, territories, make_meeting):
    """On the hand-made territories (tests/fixtures_members.py), with `people` (Montreuil: Hélène élue, Karim agent
    who did not agree to the directory; Saint-Ouen: Sofia élue, Léo agent; L'Haÿ: Paul élu):

    - Montreuil also has a former élu, Gaston Ancien, whose mandate ended (never shown, never counted);
    - practices: « Ressourcerie municipale » (Montreuil, published), « Brouillon secret » (Montreuil, draft),
      « Clauses sociales à L'Haÿ » (94, published);
    - meetings (upcoming unless said): « Forum public de Montreuil » (public, Montreuil), « Séance réservée Est
      Ensemble » (members only, the EPT), « Brouillon de rencontre » (draft, Montreuil), « Atelier
      départemental » (public, département 93 by its code, no territory), « Rencontre du Val-de-Marne » (public,
      L'Haÿ), « Rencontre passée de Montreuil » (held 30 days ago, public, Montreuil: Hélène, Karim and Sofia
      present, Paul absent), « Rencontre ancienne » (held 400 days ago, Paul present: outside the 12 months);
    - problems: Montreuil « Texte confidentiel… » (achats responsables), Saint-Ouen (no lever), L'Haÿ (foncier).

    Hand counts:
      93048 Montreuil  1 member, 1 élu, 1 agent; 1 practice; 1 problem; participation 1/1 came, 1 meeting, 2 people
      93               2 members, 2 élus, 2 agents; 1 practice; 2 problems; 2/2 came, 1 meeting, 3 people
      200057875 EPT    1 member (Montreuil); meetings: the forum (+ the reserved one for members)
      94               1 member, 1 élu, 0 agent; 1 practice; 1 problem; 0/1 came
      11               3 members, 3 élus, 2 agents; 2 practices; 3 problems; 2/3 came, 1 meeting, 3 people
    """
    from clubess.members.models import Member
    from clubess.practices.models import Practice, Problem
    from tests.meetings.test_attendance import register

    montreuil, saint_ouen, lhay = (
        people["helene"].collectivity,
        people["sofia"].collectivity,
        people["paul"].collectivity,
    )
    db.session.add(
        Member(
            collectivity=montreuil,
            kind="elu",
            first_name="Gaston",
            last_name="Ancien",
            email="gaston@montreuil.fr",
            mandate_end_on=date(2020, 3, 15),
        )
    )
    published = datetime(2026, 5, 1, 12, 0).astimezone()
    db.session.add_all(
        [
            Practice(
                ref="T1",
                title="Ressourcerie municipale",
                lever="soutien_structures",
                status="published",
                territory_id=territories["93048"].id,
                territory_name="Montreuil",
                published_at=published,
            ),
            Practice(
                ref="T2",
                title="Brouillon secret",
                lever="soutien_structures",
                status="draft",
                territory_id=territories["93048"].id,
            ),
            Practice(
                ref="T3",
                title="Clauses sociales à L'Haÿ",
                lever="achats_responsables",
                status="published",
                territory_id=territories["94038"].id,
                published_at=published,
            ),
            Problem(
                text="Texte confidentiel : nos marchés excluent les SIAE",
                lever="achats_responsables",
                collectivity=montreuil,
            ),
            Problem(text="Un problème de Saint-Ouen sans levier", collectivity=saint_ouen),
            Problem(text="Un problème de L'Haÿ", lever="foncier_tiers_lieux", collectivity=lhay),
        ]
    )
    db.session.commit()
    soon = days_from_today(30)
    made = {}
    for title, day, values in (
        ("Forum public de Montreuil", soon, {"audience": "public", "territory_id": territories["93048"].id}),
        ("Séance réservée Est Ensemble", soon, {"territory_id": territories["200057875"].id}),
        ("Brouillon de rencontre", soon, {"status": "draft", "territory_id": territories["93048"].id}),
        ("Atelier départemental", days_from_today(40), {"audience": "public", "department_code": "93"}),
        (
            "Rencontre du Val-de-Marne",
            days_from_today(50),
            {"audience": "public", "territory_id": territories["94038"].id},
        ),
        (
            "Rencontre passée de Montreuil",
            days_from_today(-30),
            {"audience": "public", "status": "held", "territory_id": territories["93048"].id},
        ),
        ("Rencontre ancienne", days_from_today(-400), {"status": "held", "territory_id": territories["94038"].id}),
    ):
        values.setdefault("audience", "members")
        made[title] = make_meeting(day=day, title=title, start=time(9, 30), end=time(12, 30), **values)
    past = made["Rencontre passée de Montreuil"]
    for name, attendance in (("helene", "present"), ("karim", "present"), ("sofia", "present"), ("paul", "absent")):
        register(db, past, people[name], attendance=attendance)
    register(db, made["Rencontre ancienne"], people["paul"], attendance="present")
    return made
