"""The audit log says who acted, with their name and role, and what they acted on, in words."""

import sqlalchemy as sa

from clubess.core.audit import AuditEvent
from tests.pages import get_page


def test_an_action_taken_through_the_logged_in_proxy_records_and_shows_the_real_person(client, db, coordinator):
    client.login(coordinator.email)
    client.submit("/espace/agenda", {"action": "renew"})  # records with current_user as actor and target

    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "calendar.token_changed"))
    assert event.actor_id == coordinator.id
    assert event.target_type == "User" and event.target_id == str(coordinator.id)
    assert event.actor_label == coordinator.email

    page = get_page(client, "/coordination/journal").get_data(as_text=True)
    assert "LocalProxy" not in page and "Proxy" not in page
    assert coordinator.display_name in page
    assert "Coordination" in page  # the actor's role


def _recorded_actions() -> set[str]:
    """Every action name passed to record() anywhere in the code (read from the source)."""
    import ast
    from pathlib import Path

    import clubess

    found = set()
    for path in Path(clubess.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            name = getattr(node, "func", None)
            name = getattr(name, "id", None) or getattr(name, "attr", None)
            if isinstance(node, ast.Call) and name == "record" and len(node.args) >= 2:
                found |= {c.value for c in ast.walk(node.args[1]) if isinstance(c, ast.Constant)}
    return found


def test_every_recorded_action_has_a_label(app):
    from clubess.core.labels import vocabulary

    actions = _recorded_actions()
    assert "meeting.status_changed" in actions and len(actions) > 50
    assert actions - set(vocabulary("audit_action")) == set()


def test_the_log_names_visitors_and_the_system_and_translates_details(client, db, coordinator, make_meeting):
    from clubess.core.audit import record

    meeting = make_meeting(status="published")
    record(None, "mailing.unsubscribed", None, scope="invitations")  # outside a request: the worker, the CLI
    record(coordinator, "meeting.status_changed", meeting, before="published", after="cancelled")
    db.session.commit()
    client.get("/")  # a visitor, through the web
    with client.application.test_request_context("/"):
        record(None, "collectivity.addition_requested", None, email="x@example.org")
        db.session.commit()
    client.login(coordinator.email)
    page = get_page(client, "/coordination/journal").get_data(as_text=True)
    assert "Système (tâche automatique)" in page
    assert "Visiteur sans compte" in page
    assert "avant : Publiée ; après : Annulée" in page
    assert f"Rencontre n° {meeting.id}" in page
    assert "Statut de la rencontre changé" in page
    assert ">published<" not in page and ">cancelled<" not in page
