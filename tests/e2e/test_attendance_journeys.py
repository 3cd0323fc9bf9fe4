"""Attendance journey: the coordinator prints the sign-in sheet, records attendance and walk-ins in one screen,
marks the meeting held and reads the participation of the collectivities."""

import re

from playwright.sync_api import expect

from tests.meetings.test_attendance import PAST, register
from tests.meetings.test_signin_sheet import page_count, pdftotext


def test_coordinator_prints_the_sheet_records_attendance_and_walk_ins_and_reads_participation(
    page, live_server, coordinator, people, make_meeting, db, axe, login
):
    meeting = make_meeting(day=PAST, title="Rencontre « Cœur d’ESS »")
    for name in ("helene", "karim", "paul"):
        register(db, meeting, people[name])
    register(db, meeting, people["sofia"], status="waitlisted")
    login(coordinator.email)

    page.goto(f"{live_server}/coordination/rencontres/{meeting.id}")
    sheet_link = page.get_by_role("link", name="Feuille d’émargement (PDF)")
    pdf = page.context.request.get(live_server + sheet_link.get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"
    text = pdftotext(pdf.body())
    assert page_count(pdf.body()) == 1
    assert "Hélène Durand" in text and "Paul Roux" in text and "Sofia Martin" not in text
    assert "Total : 3 personnes inscrites" in text and "page 1 / 1" in text

    page.get_by_role("link", name="Présences et personnes venues sans inscription").click()
    page.wait_for_url(re.compile(r"/presences$"))
    axe("attendance page")
    page.get_by_role("link", name="Tout cocher « présent·e »").click()
    expect(page.get_by_role("status").first).to_contain_text("Tout le monde est coché présent·e")
    page.get_by_role("group", name="Présence de Karim Benali").get_by_label("Absent·e").check()
    page.get_by_role("button", name="Enregistrer les présences").click()
    expect(page.get_by_role("status").first).to_contain_text(
        "1 personne marquée absente, 2 personnes marquées présentes"
    )
    expect(page.get_by_role("group", name="Présence de Karim Benali").get_by_label("Absent·e")).to_be_checked()
    axe("attendance saved")

    page.get_by_label("Chercher dans l’annuaire des membres").fill("saint ouen")
    page.get_by_role("button", name="Chercher").click()
    page.get_by_role("button", name=re.compile("Ajouter comme présent·e : Sofia Martin")).click()
    expect(page.get_by_role("status").first).to_contain_text("Sofia Martin est noté·e présent·e")
    page.get_by_label("Nom et prénom").fill("Zoé Lefèvre")
    page.get_by_label("Organisation").fill("Régie de quartier")
    page.get_by_role("button", name="Ajouter comme présent·e", exact=True).click()
    expect(page.locator("#walk-ins")).to_contain_text("Zoé Lefèvre — Régie de quartier")
    expect(page.locator("#attendance-figures")).to_contain_text("(dont 2 venues sans inscription)")
    axe("walk-ins")

    page.get_by_role("button", name="Marquer comme tenue").click()
    expect(page.get_by_role("status").first).to_contain_text("Tenue")

    page.get_by_role("link", name="Participation", exact=True).click()
    expect(page.locator("table tbody tr")).to_have_count(3)
    axe("participation")
    rows = page.locator("table tbody tr")
    figures = {
        rows.nth(i).locator("th").inner_text(): rows.nth(i).locator("td.num").all_inner_texts()
        for i in range(rows.count())
    }
    assert figures == {
        "Montreuil": ["1", "1", "1"],
        "Saint-Ouen-sur-Seine": ["1", "1", "1"],
        "L'Haÿ-les-Roses": ["1", "1", "1"],
    }
