"""« Joindre à un communiqué »: a new or chosen draft gets the public link and the PDF of the published bilan."""

import sqlalchemy as sa
from freezegun import freeze_time

from clubess.core.audit import AuditEvent
from clubess.press.models import Communique
from tests.report.bilan_fixture import NOW

URL = "/coordination/bilan/2026"


def _login(client, coordinator):
    client.login(coordinator.email)


def test_a_new_draft_gets_the_link_and_the_pdf(client, bilan, coordinator, db):
    with freeze_time(NOW):
        _login(client, coordinator)
        client.confirm(URL + "/publier")
        response = client.submit(URL + "/communique", {"communique": "nouveau"}, URL)
    assert response.status_code == 302
    db.session.expire_all()
    communique = db.session.scalar(sa.select(Communique).where(Communique.title == "Bilan 2026 du club"))
    assert communique.status == "draft"
    assert response.headers["Location"].endswith(f"/coordination/presse/communiques/{communique.id}")
    assert "http://localhost/le-club/bilan/2026" in communique.body
    assert [(a.filename, a.content_type) for a in communique.attachments] == [("bilan-2026.pdf", "application/pdf")]
    actions = [e.action for e in db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.id))]
    assert actions[-1] == "report.attached"


def test_a_chosen_draft_keeps_its_text_and_is_joined_once(client, bilan, coordinator, db, make_communique):
    draft = make_communique(title="Bilan de la première année", body="Notre texte.")
    with freeze_time(NOW):
        _login(client, coordinator)
        client.confirm(URL + "/publier")
        page = client.get(URL).get_data(as_text=True)
        assert "Brouillon : Bilan de la première année" in page
        for _time in range(2):
            response = client.submit(URL + "/communique", {"communique": str(draft.id)}, URL)
            assert response.status_code == 302
    db.session.expire_all()
    communique = db.session.get(Communique, draft.id)
    assert communique.body.startswith("Notre texte.")
    assert communique.body.count("/le-club/bilan/2026") == 1
    assert [a.filename for a in communique.attachments] == ["bilan-2026.pdf"]


def test_an_unpublished_bilan_or_a_sent_communique_cannot_be_joined(client, bilan, coordinator, db, make_communique):
    sent = make_communique(title="Déjà parti")
    sent.status = "published"
    db.session.commit()
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Communique))
    with freeze_time(NOW):
        _login(client, coordinator)
        response = client.submit(URL + "/communique", {"communique": "nouveau"}, URL)
        assert response.status_code == 422
        assert "Publiez d’abord le bilan" in response.get_data(as_text=True)
        client.confirm(URL + "/publier")
        for value in (str(sent.id), "999999", "abc", "9" * 40):
            response = client.submit(URL + "/communique", {"communique": value}, URL)
            assert response.status_code == 422, value
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Communique)) == before
