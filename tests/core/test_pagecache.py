"""Public pages served from memory to visitors without cookies (core.pagecache): never to someone else, never
stale after a change, and never holding anything personal."""

import pytest

from tests.pages import get_page


@pytest.fixture
def visitor(app):
    """A fresh browser: no cookie at all (each request is a new visitor)."""
    client = app.test_client()
    client.use_cookie = False
    return client


def test_a_visitor_s_public_page_holds_no_token_and_sets_no_cookie(visitor, corpus):
    for url in ("/", "/rencontres", "/bonnes-pratiques", "/territoires", "/le-club"):
        response = get_page(visitor, url)
        html = response.get_data(as_text=True)
        assert 'name="csrf_token"' not in html, url
        assert "Set-Cookie" not in response.headers, url
        assert 'href="/langue/en?next=' in html, url  # the language switch is a link for visitors


def test_a_kept_page_is_served_without_the_view_until_the_data_changes(visitor, db, corpus, count_queries):
    from clubess.practices.models import Practice

    url = f"/bonnes-pratiques/{corpus['P01'].id}"
    first = get_page(visitor, url).get_data(as_text=True)
    with count_queries() as counter:
        again = get_page(visitor, url).get_data(as_text=True)
    assert again == first and counter.count <= 1  # the data version, nothing else
    practice = db.session.get(Practice, corpus["P01"].id)
    practice.title = "Un titre changé à l’instant"
    db.session.commit()
    assert "Un titre changé à l’instant" in get_page(visitor, url).get_data(as_text=True)


def test_a_signed_in_member_never_gets_the_visitors_page_nor_the_reverse(
    app, client, visitor, corpus, active_collectivity
):
    url = f"/bonnes-pratiques/{corpus['P01'].id}"
    assert "Déconnexion" not in get_page(visitor, url).get_data(as_text=True)
    client.login("helene@montreuil.fr")
    member_page = get_page(client, url).get_data(as_text=True)
    assert "Déconnexion" in member_page and "réservé aux membres" not in member_page
    visitor_page = get_page(visitor, url).get_data(as_text=True)
    assert "Déconnexion" not in visitor_page and "réservé aux membres" in visitor_page


def test_each_language_gets_its_own_page(visitor, corpus):
    assert 'lang="fr"' in get_page(visitor, "/").get_data(as_text=True)
    english = get_page(visitor, "/", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="en">' in english


def test_a_visitor_who_chose_a_language_keeps_it(app, corpus):
    browser = app.test_client()
    response = browser.get("/langue/en?next=/rencontres")
    assert response.status_code == 302 and response.headers["Location"].endswith("/rencontres")
    assert '<html lang="en">' in get_page(browser, "/rencontres").get_data(as_text=True)
    assert browser.get("/langue/zz?next=//evil.example").headers["Location"] in ("/", "http://localhost/")


def test_the_demo_notice_is_kept_with_the_page(visitor, db, corpus):
    from clubess.practices.models import Practice

    practice = db.session.get(Practice, corpus["P01"].id)
    practice.demo = True
    db.session.commit()
    url = f"/bonnes-pratiques/{practice.id}"
    for _round in range(2):
        assert "Exemple fictif (données de démonstration)." in get_page(visitor, url).get_data(as_text=True)


def test_a_page_that_wrote_to_the_session_is_not_kept(visitor, corpus, count_queries):
    url = "/bonnes-pratiques?perimetre=00000"  # an unknown territory: the page flashes a message
    response = get_page(visitor, url)
    assert "Territoire inconnu" in response.get_data(as_text=True) and "Set-Cookie" in response.headers
    with count_queries() as counter:
        get_page(visitor, url)
    assert counter.count > 1  # made again, not served from memory


def test_the_cache_can_be_turned_off(app, visitor, corpus, count_queries):
    app.config["PAGE_CACHE"] = False
    url = f"/bonnes-pratiques/{corpus['P01'].id}"
    try:
        get_page(visitor, url)
        with count_queries() as counter:
            get_page(visitor, url)
        assert counter.count >= 2
    finally:
        app.config["PAGE_CACHE"] = True
