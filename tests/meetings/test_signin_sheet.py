"""The sign-in sheet: an A4 portrait PDF whose text (read back by poppler's pdftotext) holds every registrant."""

import itertools
import os
import re
import shutil
import subprocess
from datetime import date

import pytest
import sqlalchemy as sa

from clubess.meetings.models import Registration
from tests.meetings.test_attendance import PAST, register

FIRST = ["Hélène", "Zoé", "Loïc", "Anaïs", "Jérôme", "François", "Gaëlle", "Noël", "Chloé", "Maëlle", "Benoît"]
LAST = ["Lefèvre", "Bérénice", "Œuvray", "Ducœur", "Müller", "Pérez", "Nguyễn", "Garçon", "D’Orléans", "Brûlé", "Lœb"]


def pdftotext(pdf: bytes, *args: str) -> str:
    # CI installs poppler-utils (.ci/run): a missing tool fails the test, it never skips it
    assert shutil.which("pdftotext"), "pdftotext is missing: apt-get install poppler-utils"
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", *args, "-", "-"], input=pdf, capture_output=True, check=True)
    return " ".join(result.stdout.decode("utf-8").split())


def page_count(pdf: bytes) -> int:
    assert shutil.which("pdfinfo"), "pdfinfo is missing: apt-get install poppler-utils"
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert re.search(r"Page size:\s+595\.2\d* x 841\.8\d* pts \(A4\)", info), info
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def sheet_url(meeting, **query) -> str:
    suffix = "?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else ""
    return f"/coordination/rencontres/{meeting.id}/emargement.pdf{suffix}"


@pytest.fixture
def crowd(db, people, territories):
    """120 people with accented names in five member collectivities (the three of `people`, Est Ensemble and
    the Seine-Saint-Denis)."""
    from clubess.members.models import Collectivity, Member

    collectivities = [people["helene"].collectivity, people["sofia"].collectivity, people["paul"].collectivity]
    for code in ("200057875", "93"):
        c = Collectivity(territory=territories[code], status="active", joined_on=date(2026, 1, 5))
        db.session.add(c)
        collectivities.append(c)
    members = []
    for i, (first, last) in enumerate(itertools.islice(itertools.product(FIRST, LAST), 120)):
        members.append(
            Member(
                collectivity=collectivities[i % 5],
                kind="elu" if i % 3 == 0 else "agent",
                first_name=first,
                last_name=last,
                function="Adjointe déléguée à l’économie sociale et solidaire" if i % 4 == 0 else "Chargé de mission",
                email=f"personne{i}@example.org",
            )
        )
    db.session.add_all(members)
    db.session.commit()
    return members


def test_the_sheet_of_120_registrants_has_every_name_with_its_accents_on_numbered_a4_pages(
    client, db, crowd, make_meeting, coordinator
):
    meeting = make_meeting(day=PAST, title="Rencontre « Cœur d’ESS » de l’automne")
    for member in crowd:
        register(db, meeting, member)
    client.login(coordinator.email)

    response = client.get(sheet_url(meeting))
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == (
        f'inline; filename="emargement-rencontre-{meeting.id}-2026-09-17.pdf"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    pdf = response.data
    pages = page_count(pdf)
    boxes = re.findall(rb"/MediaBox \[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf)
    assert len(boxes) == pages >= 5
    assert all(abs(float(w) - 595.2756) < 0.01 and abs(float(h) - 841.8898) < 0.01 for w, h in boxes)  # portrait

    text = pdftotext(pdf)
    missing = [m.full_name for m in crowd if m.full_name not in text]
    assert not missing, missing
    assert "Total : 120 personnes inscrites" in text
    assert "Rencontre « Cœur d’ESS » de l’automne" in text
    assert "jeudi 17 septembre 2026, 09:30–12:30" in text and "Maison de l'ESS, Paris 11e" in text
    for number in range(1, pages + 1):
        assert f"page {number} / {pages}" in text
    # the header is on every page
    assert text.count("Feuille d’émargement") == pages
    # groups in French order: Est Ensemble, L'Haÿ-les-Roses, Montreuil, Saint-Ouen-sur-Seine, Seine-Saint-Denis
    heads = re.findall(
        r"(Est Ensemble|L'Haÿ-les-Roses|Montreuil|Saint-Ouen-sur-Seine|Seine-Saint-Denis) \(24 personnes", text
    )
    assert heads == ["Est Ensemble", "L'Haÿ-les-Roses", "Montreuil", "Saint-Ouen-sur-Seine", "Seine-Saint-Denis"]
    assert text.count("Signature") >= pages


def test_only_confirmed_registrants_are_on_the_sheet_guests_by_organisation_online_people_left_out(
    client, db, people, make_meeting, coordinator
):
    meeting = make_meeting(day=PAST, format="hybride", online_url="https://visio.example.org/r")
    register(db, meeting, people["helene"])
    register(db, meeting, people["leo"], on_behalf_of_id=people["sofia"].id)
    register(db, meeting, people["karim"], mode="en_ligne")
    register(db, meeting, people["paul"], status="waitlisted")
    for name, org, status in (
        ("Zoé Lefèvre", "Les Zœurs", "registered"),
        ("Ana López", "Asso du coin", "registered"),
        ("Marc Offert", "Asso du coin", "offered"),
        ("Paula Pending", "Asso du coin", "pending"),
        ("Cécile Annulée", "Asso du coin", "cancelled"),
    ):
        db.session.add(
            Registration(
                meeting=meeting, name=name, organisation=org, email=f"{name[:3]}@x.org", is_guest=True, status=status
            )
        )
    db.session.add(
        Registration(
            meeting=meeting,
            name="Walter Walkin",
            organisation="Voisin",
            status="registered",
            attendance="present",
            is_walk_in=True,
        )
    )
    db.session.commit()
    client.login(coordinator.email)

    text = pdftotext(client.get(sheet_url(meeting, lignes=3)).data)
    for present in ("Hélène Durand", "Léo Petit", "pour Sofia Martin", "Zoé Lefèvre", "Ana López", "Maire adjointe"):
        assert present in text, present
    for absent in ("Karim Benali", "Paul Roux", "Marc Offert", "Paula Pending", "Cécile Annulée", "Walter Walkin"):
        assert absent not in text, absent
    assert "Total : 4 personnes inscrites" in text
    assert "1 personne inscrite suit la rencontre en ligne : elle ne figure pas sur cette feuille." in text
    # guests come after the members, grouped by organisation in French order (Asso du coin, Les Zœurs)
    assert text.index("Montreuil (1 personne inscrite)") < text.index("Inscriptions publiques, par organisation")
    assert text.index("Asso du coin (1 personne inscrite)") < text.index("Les Zœurs (1 personne inscrite)")
    assert "Personnes venues sans inscription" in text


def test_empty_lines_for_walk_ins_follow_the_request_within_bounds_and_bad_values_never_break_it(
    client, db, people, make_meeting, coordinator
):
    meeting = make_meeting()
    register(db, meeting, people["helene"])
    client.login(coordinator.email)
    none = pdftotext(client.get(sheet_url(meeting, lignes=0)).data)
    assert "Personnes venues sans inscription" not in none and "Hélène Durand" in none
    assert page_count(client.get(sheet_url(meeting, lignes=200)).data) >= 8
    for bad in ("-3", "abc", "99999999999999999999", "٣", "201"):
        response = client.get(sheet_url(meeting, lignes=bad))
        assert response.status_code == 200 and response.mimetype == "application/pdf", bad
        assert "Personnes venues sans inscription" in pdftotext(response.data)  # the default: 10 lines


def test_without_debian_dejavu_fonts_the_fonts_reportlab_ships_still_write_french(
    client, db, people, make_meeting, coordinator, app
):
    meeting = make_meeting(title="Œuvres « sociales » d’été : où ça ? À Noël !")
    register(db, meeting, people["helene"])
    client.login(coordinator.email)
    old = app.config["PDF_FONT_DIR"]
    app.config["PDF_FONT_DIR"] = ""
    try:
        pdf = client.get(sheet_url(meeting)).data
    finally:
        app.config["PDF_FONT_DIR"] = old
    assert b"Vera" in pdf and b"DejaVu" not in pdf
    text = pdftotext(pdf)
    assert "Œuvres « sociales » d’été : où ça ? À Noël !" in text and "Hélène Durand" in text


def test_debian_dejavu_fonts_write_the_names_vera_lacks(client, db, people, make_meeting, coordinator, app):
    # .ci/run installs fonts-dejavu-core: the default PDF_FONT_DIR must hold it there
    assert app.config["PDF_FONT_DIR"] and os.path.isfile(app.config["PDF_FONT_DIR"] + "/DejaVuSans.ttf")
    people["karim"].last_name = "Nguyễn Ő"
    db.session.commit()
    meeting = make_meeting()
    register(db, meeting, people["karim"])
    client.login(coordinator.email)
    pdf = client.get(sheet_url(meeting)).data
    assert b"DejaVu" in pdf and "Karim Nguyễn Ő" in pdftotext(pdf)
    # without them the name is still readable, never a box
    from clubess.core.pdf import Fonts

    assert Fonts("").text("Karim Nguyễn Ő") == "Karim Nguyen O"


def test_the_sheet_is_for_coordinators_only(client, db, people, make_meeting):
    meeting = make_meeting()
    assert client.get(sheet_url(meeting)).status_code == 302
    client.login("helene@montreuil.fr")
    assert client.get(sheet_url(meeting)).status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Registration)) == 0
