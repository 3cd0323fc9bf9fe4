"""The satisfaction questionnaire: a personal link per attendee, one answer each, results without names."""

from datetime import timedelta

import sqlalchemy as sa
from freezegun import freeze_time

from clubess.core.db import now_utc
from clubess.meetings.followup_models import SurveyAnswer
from tests.fixtures_followup import WALK_IN
from tests.pages import check_page, get_page


def _as(client, email=None):
    other = client.application.test_client()
    if email:
        other.login(email)
    return other


def _mailed(client, meeting, coordinator, smtp, deliver):
    """Publish the meeting's minutes as the coordinator and deliver them; returns {address: survey path}."""
    coordination = _as(client, coordinator.email)
    coordination.submit(
        f"/coordination/rencontres/{meeting.id}/compte-rendu", {"body": "Merci à tous", "action": "save"}
    )
    coordination.confirm(f"/coordination/rencontres/{meeting.id}/compte-rendu/publier")
    deliver()
    return {m["To"].lower(): smtp.link_path(m, "/questionnaire/") for m in smtp.messages}


def _answer(visitor, path, form_url=None, **data):
    form = {"rating": "4", "useful_item": "0", "wished_theme": "", "comment": "", **data}
    return visitor.submit(path, form, form_url=form_url)


def _answers(db) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(SurveyAnswer))


def test_an_attendee_answers_once_without_logging_in(client, db, held_meeting, coordinator, smtp, deliver):
    meeting = held_meeting()
    links = _mailed(client, meeting, coordinator, smtp, deliver)
    assert set(links) == {"helene@montreuil.fr", "karim@montreuil.fr", "sofia@saint-ouen.fr", WALK_IN}
    assert len(set(links.values())) == 4  # personal links
    text = smtp.text_of(smtp.to(WALK_IN)[0])
    assert "valable jusqu’au" in text

    visitor = _as(client)
    page = get_page(visitor, links[WALK_IN]).get_data(as_text=True)
    assert "Rencontre de septembre" in page and "Bonjour Marie Passante" in page
    assert "Qui voit vos réponses ?" in page and "sans votre nom" in page
    assert "Point 1" in page and "Point 2" in page  # the meeting's agenda items to choose from
    item = meeting.items[1]
    done = _answer(
        visitor,
        links[WALK_IN],
        rating="5",
        useful_item=str(item.id),
        wished_theme="Foncier solidaire",
        comment="Très utile",
    )
    assert done.status_code == 302
    assert "Votre réponse est enregistrée" in get_page(visitor, done.location).get_data(as_text=True)
    answer = db.session.scalar(sa.select(SurveyAnswer))
    assert (answer.rating, answer.useful_item_id, answer.wished_theme, answer.comment) == (
        5,
        item.id,
        "Foncier solidaire",
        "Très utile",
    )

    # the same link again: refused with a clear page, nothing stored
    again = visitor.get(links[WALK_IN])
    assert again.status_code == 409
    html = again.get_data(as_text=True)
    check_page(html)
    assert "Vous avez déjà répondu" in html and "Rien n’a été enregistré" in html
    reused = _answer(_as(client), links[WALK_IN], form_url="/connexion", rating="1")  # a valid token, forged post
    assert reused.status_code == 409 and _answers(db) == 1


def test_a_forged_expired_or_foreign_link_is_refused_and_stores_nothing(
    client, app, db, held_meeting, coordinator, smtp, deliver
):
    meeting = held_meeting()
    with freeze_time(now_utc() - timedelta(days=31)):
        old = _mailed(client, meeting, coordinator, smtp, deliver)["sofia@saint-ouen.fr"]
    visitor = _as(client)
    expired = visitor.get(old)
    assert expired.status_code == 400 and "Ce lien a expiré" in expired.get_data(as_text=True)
    assert _answer(visitor, old).status_code == 400

    token = old.rsplit("/", 1)[1]
    for forged in (token[:-3] + "abc", "pas-un-jeton"):
        response = visitor.get(f"/questionnaire/{forged}")
        assert response.status_code == 400 and "Ce lien n’est pas valide" in response.get_data(as_text=True)
        assert _answer(visitor, f"/questionnaire/{forged}").status_code == 400
    for hostile in ("x" * 3000, "a%00b"):  # refused by the request guard before the page reads them
        assert visitor.get(f"/questionnaire/{hostile}").status_code in (400, 404, 414)

    from clubess.core.tokens import make_token
    from clubess.meetings.models import Registration

    with app.app_context():
        paul = db.session.scalar(sa.select(Registration).where(Registration.email == "paul@lhay.fr"))
        absent = make_token("meeting-survey", {"r": paul.id, "m": meeting.id})  # signed, but Paul was absent
        foreign = make_token("meeting-survey", {"r": paul.id, "m": meeting.id + 1})
        wrong_shape = make_token("meeting-survey", ["r", 1])
        other_purpose = make_token("meeting-rsvp", {"r": paul.id, "m": meeting.id})
    assert "pas ouvert pour cette participation" in visitor.get(f"/questionnaire/{absent}").get_data(as_text=True)
    assert "aucune participation" in visitor.get(f"/questionnaire/{foreign}").get_data(as_text=True)
    assert visitor.get(f"/questionnaire/{wrong_shape}").status_code == 400
    assert visitor.get(f"/questionnaire/{other_purpose}").status_code == 400
    assert _answers(db) == 0


def test_bad_answers_are_refused_with_what_was_typed_kept(client, db, held_meeting, coordinator, smtp, deliver):
    meeting = held_meeting()
    path = _mailed(client, meeting, coordinator, smtp, deliver)["karim@montreuil.fr"]
    visitor = _as(client)
    html = _answer(visitor, path, rating="", wished_theme="Thème gardé").get_data(as_text=True)
    assert "Choisissez une note de 1 à 5" in html and "Thème gardé" in html
    for hostile in (
        {"rating": "6"},
        {"rating": "٣"},
        {"rating": "99999999999999999999"},
        {"useful_item": "123456"},
        {"useful_item": "x"},
        {"wished_theme": "x" * 201},
        {"comment": "x" * 3001},
    ):
        response = _answer(visitor, path, **hostile)
        assert response.status_code == 200, hostile
    assert _answers(db) == 0


def test_results_on_the_back_office_page_without_names(client, db, held_meeting, coordinator, smtp, deliver):
    meeting = held_meeting()
    links = _mailed(client, meeting, coordinator, smtp, deliver)
    first, second = meeting.items
    visitor = _as(client)
    _answer(visitor, links["helene@montreuil.fr"], rating="5", useful_item=str(second.id), wished_theme="Foncier")
    _answer(visitor, links["karim@montreuil.fr"], rating="4", useful_item=str(second.id), comment="Bien organisé")
    _answer(visitor, links["sofia@saint-ouen.fr"], rating="2", useful_item=str(first.id), wished_theme="foncier ")
    page = get_page(_as(client, coordinator.email), f"/coordination/rencontres/{meeting.id}").get_data(as_text=True)
    assert "3 réponses pour 4 personnes présentes (taux de réponse : 75 %)." in page
    assert "Note moyenne : 3,7 sur 5." in page
    assert '<meter min="0" max="3" value="1" aria-label="Note 5 : 33 % des réponses">' in page
    assert '<meter min="0" max="3" value="0" aria-label="Note 3 : 0 % des réponses">' in page
    items = page[page.index('id="survey-items"') :]
    assert items.index("Point 2") < items.index("Point 1")  # chosen twice, then once
    assert "Bien organisé" in page and "Foncier" in page
    results = page[page.index('id="questionnaire"') :]
    results = results[: results.index("</section>")]
    assert "Bien organisé" in results and "Hélène" not in results  # no names with the answers
    # the wished themes feed the coordinators' list of themes next to the problems' loop, counted together
    loop = get_page(_as(client, coordinator.email), "/coordination/problematiques").get_data(as_text=True)
    themes = loop[loop.index('id="wished-themes"') :]
    assert "<td>foncier</td><td>2</td><td>Rencontre de septembre</td>" in themes.replace("\n", "")


def test_an_answer_to_a_meeting_reopened_since_is_refused(client, db, held_meeting, coordinator, smtp, deliver):
    meeting = held_meeting()
    path = _mailed(client, meeting, coordinator, smtp, deliver)["sofia@saint-ouen.fr"]
    meeting.status = "published"  # reopened by mistake: the questionnaire waits for it to be held again
    db.session.commit()
    assert _answer(_as(client), path).status_code == 400 and _answers(db) == 0


def test_an_attendee_who_already_answered_gets_no_link_in_a_correction(
    client, db, held_meeting, coordinator, smtp, deliver
):
    meeting = held_meeting()
    links = _mailed(client, meeting, coordinator, smtp, deliver)
    _answer(_as(client), links["sofia@saint-ouen.fr"])
    smtp.clear()
    coordination = _as(client, coordinator.email)
    asked = coordination.submit(
        f"/coordination/rencontres/{meeting.id}/compte-rendu",
        {"body": "Merci à tous, corrigé", "action": "save", "mail_again": "y"},
    )
    from werkzeug.datastructures import MultiDict

    from tests.pages import confirmation_form

    action, fields = confirmation_form(asked.get_data(as_text=True))
    coordination.post(action, data=MultiDict(fields))
    deliver()
    assert "/questionnaire/" not in smtp.text_of(smtp.to("sofia@saint-ouen.fr")[0])
    assert "/questionnaire/" in smtp.text_of(smtp.to("karim@montreuil.fr")[0])
