"""The API takes long texts by POST, and every error under /api/ is JSON with a message."""

from urllib.parse import quote

import pytest

from clubess import create_app
from clubess.extensions import limiter

STATEMENT = (
    "Notre commune de 12 000 habitants voit fermer ses commerces de proximité et les associations "
    "d'insertion peinent à trouver des locaux abordables. Nous voulons accompagner la création d'une "
    "ressourcerie qui collecte, répare et revend les objets encore utilisables, avec des salariés en "
    "parcours d'insertion, et réserver une part de la commande publique aux structures de l'économie "
    "sociale et solidaire grâce à des clauses sociales dans nos marchés. "
)


def _error(response, status: int) -> str:
    assert response.status_code == status, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/json"
    body = response.get_json()["error"]
    assert body["status"] == status and body["title"] and body["message"]
    return body["message"]


def test_a_long_statement_is_matched_by_post(client, corpus):
    text = (STATEMENT * 10)[:3400]
    assert len(text) == 3400
    response = client.post("/api/v1/practices/match", json={"text": text, "limit": 3, "lever": "achats_responsables"})
    assert response.status_code == 200, response.get_data(as_text=True)
    results = response.get_json()["results"]
    assert len(results) == 3 and {r["kind"] for r in results} == {"practice"}
    assert "P02" in [r["ref"] for r in results]  # the clauses sociales practice
    # the same text in a URL, encoded as browsers do, is longer than a proxy lets through (gunicorn: 4,094
    # bytes a request line): a JSON 414 that says to use POST
    url = "/api/v1/practices/match?text=" + quote(text)
    assert len(url) > 4094
    assert "POST" in _error(client.get(url), 414)


def test_get_keeps_short_texts_and_says_when_to_post(client, corpus):
    response = client.get("/api/v1/practices/match", query_string={"text": "clauses sociales", "limit": 2})
    assert response.status_code == 200 and len(response.get_json()["results"]) == 2
    assert "POST" in _error(client.get("/api/v1/practices/match", query_string={"text": "réemploi " * 120}), 400)


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ({"text": ""}, "Décrivez"),
        ({"text": "   "}, "Décrivez"),
        ({}, "« text » est obligatoire"),
        ({"text": 12}, "« text » est obligatoire"),
        ({"text": "x" * 5001}, "trop long"),
        ({"text": "recyclerie", "limit": 0}, "« limit »"),
        ({"text": "recyclerie", "limit": "5"}, "« limit »"),
        ({"text": "recyclerie", "limit": True}, "« limit »"),
        ({"text": "recyclerie", "lever": "inconnu"}, "« lever »"),
        ({"text": "recyclerie", "themes": "réemploi"}, "« themes »"),
        ({"text": "recyclerie", "department": "93000"}, "« department »"),
        (["recyclerie"], "objet JSON"),
    ],
)
def test_bad_bodies_get_a_400_that_says_why(client, corpus, body, fragment):
    assert fragment in _error(client.post("/api/v1/practices/match", json=body), 400)


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("/api/v1/practices/match?text=", "Décrivez"),
        ("/api/v1/practices/match", "« text » est obligatoire"),
        ("/api/v1/practices/match?text=recyclerie&limit=51", "« limit »"),
        ("/api/v1/practices/match?text=recyclerie&limit=%C2%B2", "« limit »"),
        ("/api/v1/practices?page=0", "« page »"),
        ("/api/v1/practices?page=99999999999999999999", "« page »"),
        ("/api/v1/practices?lever=inconnu", "« lever »"),
        ("/api/v1/territories?q=mo&limit=500", "« limit »"),
        ("/api/v1/territories?q=+", "« q »"),
        ("/api/v1/territories?q=mo&limit=", "« limit »"),
        ("/api/v1/practices?q=r%C3%A9emploi%00", "caractères de contrôle"),
    ],
)
def test_bad_parameters_get_a_400_that_says_why(client, corpus, url, fragment):
    assert fragment in _error(client.get(url), 400)


def test_every_error_under_api_is_json(client, corpus):
    _error(client.get("/api/v1/nulle-part"), 404)
    _error(client.get("/api/v1/practices/INCONNUE"), 404)
    response = client.post("/api/v1/practices")
    _error(response, 405)
    assert response.headers["Allow"]
    _error(client.post("/api/v1/practices/match", data="x" * 300_000, content_type="application/json"), 413)
    _error(client.get("/api/v1/practices?q=" + "a" * 5000), 414)
    _error(client.post("/api/v1/practices/match", data="{pas du json", content_type="application/json"), 400)


def test_the_rate_limit_answers_json(client, territories):
    limiter.reset()
    statuses = [client.get("/api/v1/territories?q=montreuil").status_code for _ in range(121)]
    assert statuses[:120] == [200] * 120
    assert "minute" in _error(client.get("/api/v1/territories?q=montreuil"), 429)


def test_an_unexpected_error_under_api_is_json():
    from config import TestingConfig

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = "sqlite://"

    app = create_app(Config)

    @app.route("/api/v1/_boom")
    def boom():
        raise RuntimeError("boom")

    response = app.test_client().get("/api/v1/_boom")
    assert "RuntimeError" not in _error(response, 500)


def test_the_document_describes_post_bounds_and_every_error(client):
    document = client.get("/api/v1/openapi.json").get_json()
    match = document["paths"]["/practices/match"]
    assert match["post"]["requestBody"]["content"]["application/json"]
    assert document["components"]["schemas"]["MatchRequest"]["properties"]["text"]["maxLength"] == 5000
    get_text = next(p for p in match["get"]["parameters"] if p["name"] == "text")
    assert get_text["schema"]["maxLength"] == 1000
    page = next(p for p in document["paths"]["/practices"]["get"]["parameters"] if p["name"] == "page")
    assert page["schema"]["maximum"] == 10_000
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert {"200", "414", "429", "default"} <= set(operation["responses"]), f"{method} {path}"
