"""The back-office practices import in two steps: the check page states what the import will do and writes
nothing; its button writes exactly that, for the coordinator who uploaded the file only."""

import io
import json
import os
import time
from pathlib import Path

import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from clubess.core.audit import AuditEvent
from clubess.practices.models import Practice
from tests.pages import check_page, confirmation_form, effects_of

URL = "/coordination/pratiques/import"
VALID = {"ref": "N1", "title": "Nouvelle pratique", "lever": "achats_responsables", "summary": "Résumé"}


def _counts(db) -> tuple[int, int]:
    db.session.expire_all()
    practices = db.session.scalar(sa.select(sa.func.count()).select_from(Practice))
    events = db.session.scalar(sa.select(sa.func.count()).select_from(AuditEvent))
    return practices, events


def _upload(client, records: list, skip: bool = False):
    data = {"file": (io.BytesIO(json.dumps({"practices": records}).encode()), "pratiques.json")}
    if skip:
        data["skip_invalid"] = "y"
    return client.submit(URL, data)


def _existing(db):
    db.session.add(Practice(ref="OLD", title="Ancienne", lever="achats_responsables", summary="R", status="published"))
    db.session.commit()


RECORDS = [VALID, {**VALID, "ref": "N2"}, {**VALID, "ref": "OLD", "title": "Ancienne, revue"}]


def test_the_upload_states_the_counts_and_writes_nothing(client, coordinator, db):
    _existing(db)
    client.login(coordinator.email)
    before = _counts(db)
    response = _upload(client, [*RECORDS, {**VALID, "ref": "BAD", "lever": "inconnu"}], skip=True)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    check_page(html)
    assert effects_of(html) == [
        "2 pratiques seront créées.",
        "1 pratique sera mise à jour.",
        "1 enregistrement refusé, qui ne sera pas importé.",
    ]
    assert "BAD" in html and "Levier inconnu" in html  # each refused record, and why
    assert _counts(db) == before
    assert db.session.get(Practice, db.session.scalar(sa.select(Practice.id).where(Practice.ref == "OLD"))).title == (
        "Ancienne"
    )


def test_confirming_writes_what_the_check_announced_and_is_audited(client, coordinator, db, app):
    _existing(db)
    client.login(coordinator.email)
    html = _upload(client, RECORDS).get_data(as_text=True)
    assert effects_of(html) == ["2 pratiques seront créées.", "1 pratique sera mise à jour."]
    action, fields = confirmation_form(html)
    response = client.post(action, data=MultiDict(fields))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "2 créée(s), 1 mise(s) à jour, 0 rejetée(s)" in html
    db.session.expire_all()
    assert sorted(db.session.scalars(sa.select(Practice.ref))) == ["N1", "N2", "OLD"]
    assert db.session.scalar(sa.select(Practice.title).where(Practice.ref == "OLD")) == "Ancienne, revue"
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "practice.imported"))
    assert event.details == {"created": 2, "updated": 1, "rejected": 0}
    # the file kept between the two steps is deleted once imported
    assert not list((Path(app.config["UPLOAD_FOLDER"]) / "imports").glob(f"{dict(fields)['jeton']}*"))


def test_the_button_pressed_twice_imports_once(client, coordinator, db):
    client.login(coordinator.email)
    html = _upload(client, [VALID]).get_data(as_text=True)
    action, fields = confirmation_form(html)
    assert "1 créée(s)" in client.post(action, data=MultiDict(fields)).get_data(as_text=True)
    again = client.post(action, data=MultiDict(fields))
    assert again.status_code == 400
    assert "Ce fichier n’est plus disponible" in again.get_data(as_text=True)
    assert _counts(db)[0] == 1


def test_another_coordinator_cannot_confirm_the_upload(client, coordinator, make_user, db, app):
    make_user(role="coordinator", email="autre@example.org")
    client.login(coordinator.email)
    action, fields = confirmation_form(_upload(client, [VALID]).get_data(as_text=True))
    other = app.test_client()
    other.login("autre@example.org")
    token = dict(fields)["jeton"]
    response = other.submit(URL, {"jeton": token, "confirmed": "yes"})
    assert response.status_code == 400
    assert "déposé par une autre personne" in response.get_data(as_text=True)
    assert _counts(db)[0] == 0
    # the coordinator who uploaded it still can
    assert "1 créée(s)" in client.post(action, data=MultiDict(fields)).get_data(as_text=True)


def test_a_forged_stale_or_expired_token_is_refused_clearly(client, coordinator, db, app):
    client.login(coordinator.email)
    for token in ["", "../../etc/passwd", "x" * 5000, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"]:
        response = client.submit(URL, {"jeton": token, "confirmed": "yes"})
        assert response.status_code == 400, token
        assert "Ce fichier n’est plus disponible" in response.get_data(as_text=True)
    fields = dict(confirmation_form(_upload(client, [VALID]).get_data(as_text=True))[1])
    two_hours_ago = time.time() - 7200
    for path in (Path(app.config["UPLOAD_FOLDER"]) / "imports").glob(f"{fields['jeton']}*"):
        os.utime(path, (two_hours_ago, two_hours_ago))
    response = client.submit(URL, {"jeton": fields["jeton"], "confirmed": "yes"})
    assert response.status_code == 400
    assert "Ce fichier n’est plus disponible" in response.get_data(as_text=True)
    assert _counts(db)[0] == 0


def test_data_changed_since_the_check_is_refused_and_checked_again(client, coordinator, db):
    client.login(coordinator.email)
    action, fields = confirmation_form(_upload(client, [VALID]).get_data(as_text=True))
    _existing(db)  # meanwhile… no effect on N1: still 1 created
    db.session.add(Practice(ref="N1", title="Créée entre-temps", lever="achats_responsables", summary="R"))
    db.session.commit()
    response = client.post(action, data=MultiDict(fields))
    html = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Les pratiques ont changé depuis la vérification" in html
    assert effects_of(html) == ["1 pratique sera mise à jour."]  # the new check
    assert db.session.scalar(sa.select(Practice.title).where(Practice.ref == "N1")) == "Créée entre-temps"
    response = client.post(*confirmation_form(html)[:1], data=MultiDict(confirmation_form(html)[1]))
    assert "0 créée(s), 1 mise(s) à jour" in response.get_data(as_text=True)


def test_invalid_records_without_the_option_still_import_nothing_and_offer_no_button(client, coordinator, db):
    client.login(coordinator.email)
    html = _upload(client, [VALID, {**VALID, "ref": "N2", "lever": "inconnu"}]).get_data(as_text=True)
    assert "rien n’a été importé" in html and "Levier inconnu" in html
    assert 'name="confirmed"' not in html
    assert _counts(db)[0] == 0
