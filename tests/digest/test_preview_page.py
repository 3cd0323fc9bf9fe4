"""The coordinators' page of the digest: the next one's recipients, a sample, and sending it behind a confirmation."""

import sqlalchemy as sa

from clubess.core.audit import AuditEvent
from clubess.digest.models import Digest
from clubess.mailing.models import OutboxMessage
from tests.pages import check_page


def test_coordinator_sees_the_recipients_and_a_sample_levers_first(client, coordinator, club):
    client.login(coordinator.email)
    response = client.get("/coordination/lettre")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    check_page(html)
    assert "La recevraient maintenant</th><td>2</td>" in html
    assert "Hélène Durand" in html
    assert html.index("Achats SPASER") < html.index("Fonds de prêt")
    karim = client.get("/coordination/lettre?membre=KARIM@montreuil.fr").get_data(as_text=True)
    assert "Karim Benali (karim@montreuil.fr)" in karim
    nobody = client.get("/coordination/lettre?membre=inconnu@example.org").get_data(as_text=True)
    assert "Cette adresse ne recevrait pas la lettre" in nobody
    sample = client.get("/coordination/lettre/apercu.html?membre=karim@montreuil.fr")
    assert sample.status_code == 200 and "sandbox" in sample.headers["Content-Security-Policy"]
    assert client.get("/coordination/lettre/apercu.html?membre=inconnu@example.org").status_code == 404


def test_hostile_period_and_address_give_a_page_not_an_error(client, coordinator, club):
    client.login(coordinator.email)
    for query in ("periode=2026-13", "periode=" + "9" * 5000, "periode=%00", "membre=" + "a" * 3000, "periode=2030-01"):
        response = client.get(f"/coordination/lettre?{query}")
        assert response.status_code in (200, 400), (query, response.status_code)
    html = client.get("/coordination/lettre?periode=2030-01").get_data(as_text=True)
    assert "pas encore commencé" in html


def test_sending_from_the_page_states_the_count_then_queues_once(client, coordinator, club, db):
    client.login(coordinator.email)
    token = client.csrf_token("/coordination/lettre")
    response = client.confirm(
        "/coordination/lettre/envoyer",
        {"periode": "2026-11"},
        form_url="/coordination/lettre",
        expect="2 personnes recevront la lettre.",
    )
    assert response.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 2
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "digest.queued"))
    assert event is not None and event.actor_id == coordinator.id
    html = client.get("/coordination/lettre").get_data(as_text=True)
    assert "Déjà envoyée ce mois-ci</th><td>2</td>" in html
    # nothing left to send: the button is gone and a stray POST queues nothing more
    assert "Envoyer la lettre à" not in html
    stray = client.post(
        "/coordination/lettre/envoyer", data={"periode": "2026-11", "confirmed": "yes", "csrf_token": token}
    )
    assert stray.status_code == 302
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Digest)) == 2


def test_members_and_visitors_cannot_see_or_send_it(client, club):
    assert client.get("/coordination/lettre").status_code == 302  # to the login page
    client.login("karim@montreuil.fr")
    assert client.get("/coordination/lettre").status_code == 403
    assert client.get("/coordination/lettre/apercu.html").status_code == 403
    token = client.csrf_token("/espace/profil")
    response = client.post(
        "/coordination/lettre/envoyer", data={"periode": "2026-11", "confirmed": "yes", "csrf_token": token}
    )
    assert response.status_code == 403


def test_the_page_takes_a_fixed_number_of_queries(client, coordinator, club, db, count_queries):
    from datetime import timedelta

    from clubess.members.models import Member
    from clubess.practices.models import Practice
    from tests.digest.conftest import at
    from tests.factories import UserFactory

    client.login(coordinator.email)
    with count_queries() as small:
        client.get("/coordination/lettre")
    for n in range(12):
        user = UserFactory(email=f"agent{n}@montreuil.fr")
        db.session.add(
            Member(
                collectivity=club["collectivity"],
                kind="agent",
                first_name="A",
                last_name=str(n),
                email=user.email,
                user=user,
            )
        )
        db.session.add(
            Practice(
                ref=f"X{n}",
                title=f"Pratique {n}",
                lever="soutien_structures",
                status="published",
                published_at=at("2026-11-01 09:00:00") + timedelta(hours=n),
            )
        )
    db.session.commit()
    with count_queries() as large:
        html = client.get("/coordination/lettre").get_data(as_text=True)
    assert "La recevraient maintenant</th><td>14</td>" in html
    assert large.count == small.count
