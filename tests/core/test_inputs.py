"""Hostile input is parsed in one place (core/inputs.py): control characters, integers, JSON bodies."""

import json

import pytest
import sqlalchemy as sa

from clubess.core.inputs import MAX_INT, MAX_PAGE, clean_text, coerce_int, parse_int, single_line
from clubess.members.models import Member
from tests.pages import check_page


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12", 12),
        (" 12 ", 12),
        ("0", 0),
        ("²", None),  # str.isdigit() says yes, int() says no
        ("٣", None),  # int() reads 3
        ("1_000", None),  # int() reads 1000
        ("+5", None),
        ("-1", None),  # below the default minimum, 0
        ("2147483647", MAX_INT),
        ("2147483648", None),  # more than a PostgreSQL integer
        ("99999999999999999999", None),
        ("", None),
        (None, None),
        (True, None),
        ("12.0", None),
    ],
)
def test_integers_are_ascii_digits_within_bounds(raw, expected):
    assert parse_int(raw) == expected


def test_coerce_int_refuses_what_int_would_let_through():
    assert coerce_int("-1") == -1 and coerce_int(7) == 7
    for raw in ("²", "٣", "1_000", "2147483648", "", "abc"):
        with pytest.raises(ValueError):
            coerce_int(raw)


def test_text_loses_its_control_characters_but_keeps_its_lines():
    assert clean_text("a\x00b\x01c\x1b[31m\x7fd\x85e\ud800f\tg\r\nh") == "abc[31md\ne" + "f\tg\r\nh"
    assert clean_text("ligne\x0bsaut\x0cpage") == "ligne\nsaut\npage"  # what a word processor pastes
    assert single_line("Titre\r\nsur\tdeux lignes\x00") == "Titre sur deux lignes"


LIST_PAGES = ["/annuaire", "/rencontres", "/presse", "/bonnes-pratiques"]


@pytest.mark.parametrize("url", LIST_PAGES)
@pytest.mark.parametrize("number", ["99999999999999999999", "²", "-4", "٣", "1e9"])
def test_list_pages_take_any_page_number(client, url, number):
    response = client.get(f"{url}?page={number}")
    assert response.status_code == 200
    check_page(response.get_data(as_text=True))


@pytest.mark.parametrize(
    "url", ["/annuaire?departement=9%00", "/rencontres?departement=9%00&type=%01", "/bonnes-pratiques?annee=%C2%B2"]
)
def test_controls_and_odd_digits_in_query_strings_are_harmless(client, url):
    response = client.get(url)
    assert response.status_code == 200


def test_page_numbers_are_clamped(app):
    from clubess.core.inputs import page_arg

    for raw, page in [("99999999999999999999", MAX_PAGE), ("12", 12), ("0", 1), ("-3", 1), ("²", 1), ("", 1)]:
        with app.test_request_context(f"/?page={raw}"):
            assert page_arg() == page


@pytest.mark.parametrize("path", ["/rencontres/99999999999999999999", "/rencontres/2147483648", "/rencontres/٣"])
def test_ids_beyond_what_a_column_holds_are_not_found(client, path):
    assert client.get(path).status_code == 404


def test_a_path_with_a_control_character_gets_a_clear_400(client):
    response = client.get("/presse/a%00b")
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    check_page(html)
    assert "caractères de contrôle" in html
    response = client.get("/api/v1/practices/a%00b")
    assert response.status_code == 400
    assert "caractères de contrôle" in response.json["error"]["message"]


def test_form_values_lose_their_controls_and_single_lines_their_breaks(client, active_collectivity, db):
    client.login("karim@montreuil.fr")
    response = client.submit(
        "/espace/profil",
        {
            "first_name": "Ka\x00rim",
            "last_name": "Be\r\nnali\x1b",
            "function": "Chargé\x0bde mission\x85ESS",
            "phone": "",
        },
    )
    assert response.status_code == 302
    db.session.expire_all()
    karim = db.session.scalar(sa.select(Member).where(Member.email == "karim@montreuil.fr"))
    assert (karim.first_name, karim.last_name, karim.function) == ("Karim", "Be nali", "Chargé de mission ESS")


def test_a_full_name_too_long_for_its_columns_is_a_field_error(client, active_collectivity, db):
    client.login("karim@montreuil.fr")
    response = client.submit("/espace/profil", {"first_name": "K" * 100, "last_name": "B" * 100})
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Le prénom et le nom comptent ensemble 199 caractères au plus" in html
    assert 'value="' + "K" * 100 + '"' in html  # what was typed is kept
    db.session.expire_all()
    assert db.session.scalar(sa.select(Member.first_name).where(Member.email == "karim@montreuil.fr")) == "Karim"


def test_an_id_in_a_form_beyond_a_column_is_a_field_error(client, coordinator, db):
    client.login(coordinator.email)
    response = client.submit("/coordination/intervenants", {"name": "Marie", "kind": "expert", "member_id": "9" * 20})
    assert response.status_code == 200
    assert client.submit(
        "/coordination/problematiques/proposer", {"meeting": "²"}, form_url="/coordination/rencontres"
    ).status_code in (302, 303)


def test_dates_far_from_now_are_field_errors(client, coordinator, make_meeting):
    meeting = make_meeting()
    client.login(coordinator.email)
    for day in ("0001-01-01", "9999-12-31"):
        response = client.submit(
            f"/coordination/rencontres/{meeting.id}/dupliquer",
            {"dup-day": day, "dup-csrf_token": client.csrf_token(f"/coordination/rencontres/{meeting.id}")},
            form_url=f"/coordination/rencontres/{meeting.id}",
        )
        assert response.status_code < 500


def test_json_bodies_are_parsed_once_and_safely(client, corpus):
    url = "/api/v1/practices/match"
    deep = "[" * 100_000 + "]" * 100_000
    response = client.post(url, data=deep, content_type="application/json")
    assert response.status_code == 400 and "imbriqué" in response.json["error"]["message"]
    response = client.post(url, data='{"text": "recyclerie\\u0000 réemploi"}', content_type="application/json")
    assert response.status_code == 400 and "caractères de contrôle" in response.json["error"]["message"]
    response = client.post(url, data='{"text": "recyclerie \\ud800"}', content_type="application/json")
    assert response.status_code == 400  # a lone surrogate
    response = client.post(url, data='{"text": "recyclerie\\net\\tréemploi"}', content_type="application/json")
    assert response.status_code == 200 and response.json["results"]
    response = client.post(url, data=json.dumps({"text": "x" * 300_000}), content_type="application/json")
    assert response.status_code == 413 and response.json["error"]["status"] == 413
    response = client.post(url, data=b"\xff\xfe{", content_type="application/json")
    assert response.status_code == 400 and "JSON" in response.json["error"]["message"]
