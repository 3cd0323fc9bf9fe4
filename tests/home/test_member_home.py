"""The member home (/espace): what matters to each person, on a hand-counted club (1 May 2027, Paris)."""

from datetime import UTC, datetime, time

import pytest
from freezegun import freeze_time

from tests.fixtures_meetings import paris
from tests.pages import get_page


@pytest.fixture
def club(db, people, make_meeting, coordinator):
    """Meetings: May 20 (Hélène waiting), June 17 (Hélène and Karim registered), September 9 (Hélène cancelled
    her registration: open to her again), October 7 (registrations closed on April 30), a draft in July, a
    cancelled webinar on June 1 (Hélène registered), a meeting held in March (Hélène came).
    Montreuil's commitments: three open (2027 Q1, Q2, Q3), one done, one abandoned; Saint-Ouen's: one.
    Problems followed: Montreuil two (Karim's, Hélène's with an answer), one not followed; Saint-Ouen one.
    Practices: public purchasing on April 20 and last December (too old), land on April 25, a submitted one.
    Hélène's interest: responsible purchasing; Karim has none."""
    from clubess.commitments.models import Commitment
    from clubess.meetings.models import Registration
    from clubess.practices.models import Practice, Problem

    helene, karim, sofia = people["helene"], people["karim"], people["sofia"]
    helene.interests = ["achats_responsables", "inconnu"]
    may = make_meeting(day=(2027, 5, 20), title="Atelier de mai")
    june = make_meeting(day=(2027, 6, 17), title="Rencontre de juin")
    september = make_meeting(day=(2027, 9, 9), title="Atelier de septembre")
    make_meeting(day=(2027, 10, 7), title="Atelier d’octobre", registration_deadline=paris(2027, 4, 30, 18))
    make_meeting(day=(2027, 7, 1), title="Brouillon de juillet", status="draft")
    webinar = make_meeting(day=(2027, 6, 1), title="Webinaire annulé", status="cancelled")
    march = make_meeting(day=(2027, 3, 18), title="Rencontre de mars", status="held")

    def reg(meeting, member, **kw):
        return Registration(meeting=meeting, member_id=member.id, collectivity_id=member.collectivity_id,
                            email=member.email, name=member.full_name, **kw)  # fmt: skip

    answer = datetime(2027, 4, 20, tzinfo=UTC)
    praticien = Practice(ref="BP-1", title="Achats de mai", lever="achats_responsables", summary="s",
                         description="d", status="published", published_at=answer)  # fmt: skip
    db.session.add_all(
        [
            reg(may, helene, status="waitlisted"),
            reg(june, helene),
            reg(june, karim),
            reg(september, helene, status="cancelled"),
            reg(webinar, helene),
            reg(march, helene, attendance="present"),
            *(
                Commitment(
                    collectivity_id=c.collectivity_id,
                    title=t,
                    lever="achats_responsables",
                    target_year=2027,
                    target_quarter=q,
                    status=s,
                )  # fmt: skip
                for c, t, q, s in [
                    (helene, "Clause sociale", 2, "planned"),
                    (helene, "Tiers-lieu", 3, "in_progress"),
                    (helene, "Charte achats", 1, "planned"),
                    (helene, "Forum fait", 1, "done"),
                    (helene, "Forum abandonné", 1, "abandoned"),
                    (sofia, "Budget participatif ESS", 4, "planned"),
                ]
            ),
            praticien,
            Practice(
                ref="BP-2",
                title="Achats anciens",
                lever="achats_responsables",
                summary="s",
                description="d",
                status="published",
                published_at=datetime(2026, 12, 1, tzinfo=UTC),
            ),
            Practice(
                ref="BP-3",
                title="Foncier d’avril",
                lever="foncier_tiers_lieux",
                summary="s",
                description="d",
                status="published",
                published_at=datetime(2027, 4, 25, tzinfo=UTC),
            ),
            Practice(
                ref="BP-4",
                title="Achats proposés",
                lever="achats_responsables",
                summary="s",
                description="d",
                status="submitted",
            ),
        ]  # fmt: skip
    )
    db.session.flush()
    db.session.add_all(
        [
            Problem(
                text="Karim cherche des clauses",
                collectivity_id=karim.collectivity_id,
                author_id=karim.user_id,
                followed=True,
                created_at=datetime(2027, 4, 1, tzinfo=UTC),
            ),
            Problem(
                text="Hélène cherche un tiers-lieu",
                collectivity_id=helene.collectivity_id,
                author_id=helene.user_id,
                followed=True,
                best_practice_id=praticien.id,
                created_at=datetime(2027, 4, 10, tzinfo=UTC),
            ),
            Problem(
                text="Recherche jetable",
                collectivity_id=helene.collectivity_id,
                author_id=helene.user_id,
                followed=False,
                created_at=datetime(2027, 4, 12, tzinfo=UTC),
            ),
            Problem(
                text="Saint-Ouen cherche des achats",
                collectivity_id=sofia.collectivity_id,
                author_id=sofia.user_id,
                followed=True,
                created_at=datetime(2027, 4, 2, tzinfo=UTC),
            ),
        ]  # fmt: skip
    )
    db.session.commit()
    with freeze_time(datetime.combine(datetime(2027, 5, 1), time(8, 0), tzinfo=UTC)):
        yield people


def _sections(html: str) -> dict[str, str]:
    """The text under each <h2>, up to the next one."""
    parts = html.split("<h2")
    return {p.split(">", 1)[1].split("</h2>")[0].strip(): p for p in parts[1:]}


def _section(html: str, start: str) -> str:
    return next(body for title, body in _sections(html).items() if title.startswith(start))


def _order(text: str, *names: str) -> bool:
    positions = [text.index(n) for n in names]
    return positions == sorted(positions)


def test_helene_sees_her_next_meetings_the_open_ones_and_her_collectivity(client, club):
    client.login("helene@montreuil.fr")
    html = get_page(client, "/espace").get_data(as_text=True)
    mine = _section(html, "Mes prochaines rencontres")
    assert _order(mine, "Atelier de mai", "Rencontre de juin") and "Liste d’attente" in mine
    for absent in ("septembre", "Webinaire", "mars", "Brouillon"):
        assert absent not in mine
    open_ = _section(html, "Rencontres ouvertes")
    assert "Atelier de septembre" in open_
    for absent in ("mai", "juin", "octobre", "Brouillon", "Webinaire"):
        assert absent not in open_
    commitments = _section(html, "Les engagements de Montreuil")
    assert "3 engagements en cours." in commitments
    assert _order(commitments, "Charte achats", "Clause sociale", "Tiers-lieu")
    assert "Forum" not in commitments and "Budget" not in commitments
    problems = _section(html, "Les problématiques de ma collectivité")
    assert _order(problems, "Hélène cherche un tiers-lieu", "Karim cherche des clauses")
    assert problems.count("des pratiques y répondent") == 1
    assert "jetable" not in problems and "Saint-Ouen" not in problems
    practices = _section(html, "Nouvelles pratiques pour mes centres d’intérêt")
    assert "Achats de mai" in practices and "Achats responsables" in practices
    for absent in ("anciens", "Foncier", "proposés"):
        assert absent not in practices


def test_karim_without_interests_sees_every_new_practice_and_the_meetings_he_can_join(client, club):
    client.login("karim@montreuil.fr")
    html = get_page(client, "/espace").get_data(as_text=True)
    mine = _section(html, "Mes prochaines rencontres")
    assert "Rencontre de juin" in mine and "Atelier de mai" not in mine
    assert _order(_section(html, "Rencontres ouvertes"), "Atelier de mai", "Atelier de septembre")
    practices = _sections(html)["Nouvelles pratiques"]  # no interests: every lever
    assert _order(practices, "Foncier d’avril", "Achats de mai") and "Choisissez vos centres" in practices


def test_sofia_sees_only_saint_ouen_s_commitments_and_problems(client, club):
    client.login("sofia@saint-ouen.fr")
    html = get_page(client, "/espace").get_data(as_text=True)
    assert "Vous n’êtes inscrit·e à aucune rencontre à venir." in html
    assert _order(_section(html, "Rencontres ouvertes"), "Atelier de mai", "Rencontre de juin", "Atelier de septembre")
    commitments = _section(html, "Les engagements de Saint-Ouen-sur-Seine")
    assert "1 engagement en cours." in commitments and "Budget participatif ESS" in commitments
    assert "Clause sociale" not in html and "Karim cherche" not in html and "Hélène cherche" not in html
    assert "Saint-Ouen cherche des achats" in _section(html, "Les problématiques")


def test_the_actions_and_the_former_links_are_there(client, club):
    client.login("helene@montreuil.fr")
    html = get_page(client, "/espace").get_data(as_text=True)
    actions = _section(html, "Agir")
    for text, href in [
        ("Proposer une pratique", "/bonnes-pratiques/proposer"),
        ("Poser une problématique", "/problematiques"),
        ("Voir l’agenda", "/rencontres"),
        ("Mon agenda dans mon calendrier", "/espace/agenda"),
    ]:
        assert f'href="{href}">{text}</a>' in actions
    former = "collectivite profil inscriptions engagements politique-ess mes-donnees.json sessions mot-de-passe"
    for href in former.split():
        assert f'href="/espace/{href}"' in html, href


def test_a_coordinator_without_a_collectivity_sees_the_meetings_and_the_account(client, club, coordinator):
    client.login(coordinator.email)
    html = get_page(client, "/espace").get_data(as_text=True)
    assert "Rencontres ouvertes" in html and "Atelier de mai" in html
    assert "Proposer une pratique" not in html and "Les engagements de" not in html
    assert "Les problématiques de ma collectivité" not in html


def test_visitors_are_sent_to_login(client, club):
    response = client.get("/espace")
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]


def test_the_home_s_queries_do_not_grow_with_the_club(client, club, db, count_queries, make_meeting):
    from clubess.commitments.models import Commitment
    from clubess.meetings.models import Registration
    from clubess.practices.models import Practice, Problem

    helene = club["helene"]
    client.login(helene.user.email)
    client.get("/espace")
    with count_queries() as small:
        client.get("/espace")
    for i in range(12):
        meeting = make_meeting(day=(2027, 11, 1 + i), title=f"Rencontre {i}")
        db.session.add_all(
            [
                Registration(
                    meeting=meeting,
                    member_id=helene.id,
                    collectivity_id=helene.collectivity_id,
                    email=helene.email,
                    name=helene.full_name,
                ),
                Commitment(
                    collectivity_id=helene.collectivity_id,
                    title=f"E{i}",
                    lever="achats_responsables",
                    target_year=2028,
                    target_quarter=1 + i % 4,
                ),
                Problem(text=f"P{i}", collectivity_id=helene.collectivity_id, author_id=helene.user_id, followed=True),
                Practice(
                    ref=f"BP-X{i}",
                    title=f"N{i}",
                    lever="achats_responsables",
                    summary="s",
                    description="d",
                    status="published",
                    published_at=datetime(2027, 4, 28, tzinfo=UTC),
                ),
            ]  # fmt: skip
        )
    db.session.commit()
    with count_queries() as large:
        html = client.get("/espace").get_data(as_text=True)
    assert "15 engagements en cours." in html
    assert large.count == small.count <= 12, small.statements
