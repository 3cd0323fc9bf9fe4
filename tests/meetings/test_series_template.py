"""The series agenda template speaks the labels shown everywhere: codes or labels, any case or accents, FR or EN."""

import pytest
import sqlalchemy as sa

from clubess.meetings.models import AgendaItem, Meeting, MeetingSeries
from tests.meetings.test_series_and_meetings import SERIES_FORM
from tests.pages import get_page

FRENCH_LABELS = [
    "Accueil",
    "Intervention",
    "Retour d’expérience",
    "Échange de bonnes pratiques",
    "Table ronde",
    "Signature",
    "Pause",
]
ENGLISH_LABELS = ["Welcome", "Talk", "Experience sharing", "Good-practice exchange", "Round table", "Signing", "Break"]


def _kinds(db) -> list[str]:
    first = db.session.scalar(sa.select(Meeting).order_by(Meeting.starts_at))
    return [i.kind for i in db.session.scalars(sa.select(AgendaItem).where(AgendaItem.meeting_id == first.id))]


@pytest.mark.parametrize(
    ("written", "kind"),
    [
        ("retour d'expérience", "retour_experience"),  # as typed on a keyboard: straight apostrophe
        ("Retour d’expérience", "retour_experience"),  # as shown on the meeting page
        ("RETOUR D'EXPERIENCE", "retour_experience"),
        ("retour_experience", "retour_experience"),  # the code still works
        ("  échange   de bonnes pratiques ", "echange_bonnes_pratiques"),
        ("Echange de bonnes pratiques", "echange_bonnes_pratiques"),
        ("table ronde", "table_ronde"),
        ("Experience sharing", "retour_experience"),  # the English labels too
        ("good-practice exchange", "echange_bonnes_pratiques"),
        ("ROUND TABLE", "table_ronde"),
        ("break", "pause"),
        ("", "intervention"),  # no kind: a talk
    ],
)
def test_template_accepts_codes_and_labels_in_any_case_accents_and_language(client, coordinator, db, written, kind):
    client.login(coordinator.email)
    template = f"09:30-10:00 | Accueil café | Accueil\n10:00-11:30 | Les ressourceries | {written}"
    response = client.submit("/coordination/series/nouvelle", {**SERIES_FORM, "template": template})
    assert response.status_code == 302, response.get_data(as_text=True)[-3000:]
    assert _kinds(db) == ["accueil", kind]


def test_unknown_kind_names_the_line_and_the_accepted_kinds_and_keeps_the_text(client, coordinator, db):
    client.login(coordinator.email)
    template = "09:30-10:00 | Accueil café | accueil\n10:00-11:30 | Visite | atelier"
    page = client.submit("/coordination/series/nouvelle", {**SERIES_FORM, "template": template}).get_data(as_text=True)
    assert "Ligne 2" in page and "« atelier »" in page
    error = page.split("Ligne 2")[1].split("</")[0]
    assert all(label.replace("’", "&#39;") in error or label in error for label in FRENCH_LABELS), error
    assert "10:00-11:30 | Visite | atelier" in page  # what was typed is kept
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Meeting)) == 0


def test_the_hint_lists_the_accepted_kinds_in_the_page_language(client, coordinator, db):
    client.login(coordinator.email)
    page = get_page(client, "/coordination/series/nouvelle").get_data(as_text=True)
    hint = page.split('id="template-hint"')[1].split("</")[0] if 'id="template-hint"' in page else page
    assert all(label in hint for label in FRENCH_LABELS), hint
    client.choose_language("en", "/coordination/series/nouvelle")
    english = get_page(client, "/coordination/series/nouvelle").get_data(as_text=True)
    assert all(label in english for label in ENGLISH_LABELS)


def test_the_series_page_shows_the_template_with_labels_and_saves_it_back_unchanged(client, coordinator, db):
    client.login(coordinator.email)
    template = "09:30-10:00 | Accueil café | accueil\n10:00-11:30 | Les ressourceries | retour_experience"
    client.submit("/coordination/series/nouvelle", {**SERIES_FORM, "template": template})
    series = db.session.scalar(sa.select(MeetingSeries))
    page = get_page(client, f"/coordination/series/{series.id}").get_data(as_text=True)
    assert "10:00-11:30 | Les ressourceries | Retour d’expérience" in page.replace("&#39;", "'")
    assert all(label in page for label in ("Accueil", "Table ronde"))  # the hint there too
    shown = page.split('name="template"')[1].split(">", 1)[1].split("</textarea>")[0]
    import html

    response = client.submit(f"/coordination/series/{series.id}", {"template": html.unescape(shown).strip()})
    assert response.status_code == 302
    assert _kinds(db) == ["accueil", "retour_experience"]
