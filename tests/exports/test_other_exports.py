"""The exports that existed before the « Exports » page keep its rules: coordinators only, audited, not cached."""

import sqlalchemy as sa


def _events(db, action):
    from clubess.core.audit import AuditEvent

    return list(db.session.scalars(sa.select(AuditEvent).where(AuditEvent.action == action)))


def test_practices_export_is_audited_with_its_count(client, coordinator, corpus, db):
    client.login(coordinator.email)
    response = client.get("/coordination/pratiques/export.csv")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    client.get("/coordination/pratiques/export.json")
    events = _events(db, "export.practices")
    assert [e.details for e in events] == [
        {"filename": "bonnes-pratiques.csv", "count": len(corpus)},
        {"filename": "bonnes-pratiques.json", "count": len(corpus)},
    ]
    assert "Export des bonnes pratiques" in client.get("/coordination/journal").get_data(as_text=True)


def test_press_contacts_export_is_audited_with_its_count(client, coordinator, make_contact, db):
    make_contact("alice@parisien.example.org", departement="93")
    make_contact("bob@lemonde.example.org", departement="75")
    client.login(coordinator.email)
    client.get("/coordination/presse/contacts.csv?departement=93")
    assert [e.details for e in _events(db, "export.press_contacts")] == [
        {"filename": "contacts-presse.csv", "count": 1}
    ]


def test_members_cannot_download_the_other_exports(client, make_user, corpus, db):
    member = make_user(email="membre@example.org")
    client.login(member.email)
    assert client.get("/coordination/pratiques/export.csv").status_code == 403
    assert client.get("/coordination/presse/contacts.csv").status_code == 403
    assert _events(db, "export.practices") == [] and _events(db, "export.press_contacts") == []
