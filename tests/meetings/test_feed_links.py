"""The personal calendar feed is found from the member area and the registrations page, with what it is for."""

from tests.pages import get_page

SENTENCE = "Abonnez votre agenda (Outlook, Thunderbird, Google Agenda)"


def test_member_area_and_registrations_page_link_the_personal_calendar_feed(client, people):
    client.login("helene@montreuil.fr")
    for path in ("/espace", "/espace/inscriptions"):
        page = get_page(client, path).get_data(as_text=True)
        assert 'href="/espace/agenda"' in page, path
        assert SENTENCE in page, path
    settings = get_page(client, "/espace/agenda").get_data(as_text=True)
    assert "Créer mon lien d’agenda" in settings


def test_the_feed_link_is_there_in_english_too(client, people):
    client.login("helene@montreuil.fr")
    client.choose_language("en", "/espace/inscriptions")
    page = client.get("/espace/inscriptions").get_data(as_text=True)
    assert 'href="/espace/agenda"' in page and "Subscribe your calendar (Outlook, Thunderbird, Google Calendar)" in page
