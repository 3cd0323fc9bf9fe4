"""Commitments journey: a référent records one after a meeting, marks it done the next quarter; the coordinator
follows it in the back office. axe-core finds no violation on any page met."""

import re
from datetime import timedelta

import sqlalchemy as sa
from playwright.sync_api import expect

from clubess.commitments import quarters


def _a_quarter_later(db, commitment_id: int) -> None:
    """What a quarter of waiting does to the rows: the commitment and its history are three months older, and its
    target quarter (the one it was recorded for) is now the previous quarter."""
    from clubess.commitments.models import Commitment, CommitmentChange

    commitment = db.session.get(Commitment, commitment_id)
    year, quarter = quarters.of_index(commitment.target_index - 1)
    commitment.target_year, commitment.target_quarter = year, quarter
    commitment.created_at -= timedelta(days=92)
    commitment.updated_at -= timedelta(days=92)
    changes = sa.select(CommitmentChange).where(CommitmentChange.commitment_id == commitment_id)
    for change in db.session.scalars(changes):
        change.created_at -= timedelta(days=92)
    db.session.commit()


def test_a_referent_records_a_commitment_and_marks_it_done_the_next_quarter(
    page, live_server, db, people, coordinator, make_meeting, axe, login, logout
):
    from clubess.commitments.models import Commitment
    from clubess.meetings.models import Registration

    helene, karim = people["helene"], people["karim"]
    held = make_meeting(day=(2026, 9, 17), status="held", title="Rencontre de septembre")
    db.session.add(
        Registration(
            meeting=held,
            member_id=helene.id,
            collectivity_id=helene.collectivity_id,
            email=helene.email,
            name=helene.full_name,
            attendance="present",
        )
    )
    db.session.commit()

    login(helene.email)
    page.get_by_role("link", name="Les engagements de ma collectivité").click()
    page.wait_for_url(re.compile(r"/espace/engagements$"))
    axe("member commitments, empty")
    page.get_by_role("link", name="Enregistrer un engagement").click()
    expect(page.get_by_role("button", name="Enregistrer l’engagement")).to_be_visible()
    axe("new commitment form")
    page.get_by_role("button", name="Enregistrer l’engagement").click()  # sent empty: errors, nothing stored
    expect(page.locator("main")).to_contain_text("Le formulaire contient des erreurs")
    axe("new commitment form with errors")
    page.get_by_label("Engagement", exact=True).fill("Adopter un SPASER avec 10 % d’achats auprès de l’ESS")
    page.get_by_label("Levier").select_option("achats_responsables")
    page.get_by_label("À quoi verra-t-on que c’est réussi ?").fill("Le schéma est voté en conseil municipal.")
    page.get_by_label("Personne en charge").select_option(str(karim.id))
    this_quarter = quarters.code(*quarters.of_day(quarters.today()))
    page.get_by_label("Trimestre visé").select_option(this_quarter)
    page.get_by_label("Rencontre où l’engagement a été pris").select_option(str(held.id))
    page.get_by_role("button", name="Enregistrer l’engagement").click()
    expect(page.get_by_role("status").first).to_contain_text("est enregistré")
    expect(page.locator("main")).to_contain_text("Karim Benali")
    expect(page.locator("main")).to_contain_text("Rencontre de septembre")
    axe("commitment page")
    commitment_id = db.session.scalar(sa.select(Commitment.id))

    _a_quarter_later(db, commitment_id)
    page.goto(f"{live_server}/espace/engagements")
    expect(page.locator("main")).to_contain_text("En retard")
    axe("member commitments, one late")
    page.get_by_role("link", name=re.compile("Adopter un SPASER")).click()
    page.get_by_label("Réalisé").check()
    page.get_by_label("Note", exact=True).fill("Voté au conseil municipal du 12 mars.")
    page.get_by_role("button", name="Enregistrer la mise à jour").click()
    expect(page.get_by_role("status").first).to_contain_text("L’engagement est mis à jour.")
    history = page.locator(".history").inner_text()
    assert "Statut : Prévu → Réalisé" in history and "Voté au conseil municipal du 12 mars." in history
    assert history.index("Réalisé") < history.index("Engagement enregistré")  # newest first
    axe("commitment done, with its history")
    logout()

    login(coordinator.email)
    page.goto(f"{live_server}/coordination/engagements")
    expect(page.get_by_role("button", name="Filtrer")).to_be_visible()
    axe("coordinators' commitments")
    page.get_by_label("Statut").select_option("done")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator("main")).to_contain_text("1 engagement")
    expect(page.locator("main")).to_contain_text("Montreuil")
    page.goto(f"{live_server}/coordination/rencontres/{held.id}")
    expect(page.locator("section[aria-labelledby='engagements']")).to_contain_text("Adopter un SPASER")
    axe("meeting back office with its commitments")
