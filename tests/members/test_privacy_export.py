"""RGPD access and portability: `/espace/mes-donnees.json` holds everything kept about the person."""

import sqlalchemy as sa

from clubess.core.db import Base
from tests.members.conftest import EMAIL


def _export(client):
    client.login(EMAIL)
    response = client.get("/espace/mes-donnees.json")
    assert response.status_code == 200 and response.mimetype == "application/json"
    assert "attachment" in response.headers["Content-Disposition"]
    return response.json


def test_the_export_holds_every_trace_the_person_left(client, karim_everywhere):
    data = _export(client)

    assert data["account"]["email"] == EMAIL
    assert data["account"]["calendar_feed"]["active"] is True
    assert data["account"]["calendar_feed"]["url"].endswith("/agenda/" + "k" * 40 + ".ics")
    membership = data["memberships"][0]
    assert membership["collectivity"] == "Montreuil" and membership["phone"] == "06 11 22 33 44"
    assert membership["consent_at"].startswith("2026-01-15T09:00")  # consent, dated (UTC)
    assert membership["wants_invitations"] is True and membership["is_referent"] is False

    by_meeting = {(r["meeting"], r["as_guest"]): r for r in data["registrations"]}
    assert by_meeting[("Rencontre de mars", False)]["status"] == "waitlisted"
    assert by_meeting[("Rencontre de juin 2026", False)]["attendance"] == "present"
    assert by_meeting[("Forum public", True)]["status"] == "pending"  # a guest request with the same address
    made = [r for r in data["registrations_you_made"] if r["name"] == "Hélène Durand"]
    assert made and made[0]["meeting"] == "Rencontre de mars"
    assert [r["name"] for r in data["registrations_on_your_behalf"]] == ["Hélène Durand"]

    assert [(i["meeting"], i["response"]) for i in data["invitations"]] == [("Atelier de mai", "none")]
    assert [i["email"] for i in data["invitations_you_sent"]] == ["paul@lhay.fr"]
    assert data["problems"][0]["text"].startswith("Trouver des locaux")
    assert data["match_feedback"][0]["verdict"] == "useful"
    practice = data["practices"][0]
    assert practice["title"] == "Une recyclerie de quartier" and practice["you_are"] == ["author", "contact"]
    assert {r["action"] for r in data["practice_revisions"]} == {"submitted"}
    assert data["speaker_profiles"][0]["name"] == "Karim Benali"
    assert data["communiques_created"][0]["title"] == "Bilan 2026"
    press = data["press_contact"][0]
    assert press["email"] == EMAIL and press["deliveries"][0]["communique"] == "Bilan 2026"
    [in_charge] = data["commitments_in_charge"]
    assert (in_charge["title"], in_charge["collectivity"], in_charge["target_quarter"]) == (
        "Ouvrir une recyclerie",
        "Montreuil",
        "T1 2027",
    )
    assert [c["title"] for c in data["commitments_recorded"]] == ["Ouvrir une recyclerie"]
    assert [(c["from_status"], c["to_status"]) for c in data["commitment_changes"]] == [("planned", "in_progress")]
    subjects = {m["category"] for m in data["mails"]}
    assert {"members.welcome", "meetings.waitlisted", "meetings.guest_confirm", "meetings.invitation"} <= subjects
    assert {"member.profile_updated", "registration.created"} <= {a["action"] for a in data["audit"]["your_actions"]}
    assert "member.updated" in {a["action"] for a in data["audit"]["about_you"]}
    assert "collectivity.addition_requested" in {a["action"] for a in data["audit"]["about_you"]}


def test_the_export_of_someone_else_holds_nothing_of_the_person(client, karim_everywhere, db):
    client.login("sofia@saint-ouen.fr")
    text = client.get("/espace/mes-donnees.json").get_data(as_text=True)
    assert EMAIL not in text and "Benali" not in text


def _personal_columns():
    """(table, column) of every column keyed to a person: a foreign key to users or members, or an address."""
    found = set()
    for table in Base.metadata.sorted_tables:
        for column in table.columns:
            targets = {fk.column.table.name for fk in column.foreign_keys}
            is_address = isinstance(column.type, sa.String) and (
                "email" in column.name or column.name in {"recipient", "reply_to"} or column.type.length == 254
            )
            if targets & {"users", "members"} or is_address:
                found.add((table.name, column.name))
    return found


def test_every_table_keyed_to_a_person_is_covered_by_the_export(client, karim_everywhere):
    """A new table with a user or member foreign key, or an address column, fails here until the export
    (clubess.members.privacy.EXPORTED) says which section holds it, and the fixture fills that section."""
    from clubess.members.privacy import EXPORTED

    missing = _personal_columns() - set(EXPORTED)
    assert not missing, f"not in the RGPD export (add them to privacy.EXPORTED and to export_personal_data): {missing}"
    data = _export(client)
    empty = {section for section in EXPORTED.values() if not _lookup(data, section)}
    assert not empty, f"export sections empty for the fixture that fills every table: {empty}"


def _lookup(data, dotted: str):
    for key in dotted.split("."):
        data = data.get(key) if isinstance(data, dict) else None
    return data


def test_the_export_and_the_erasure_page_run_a_bounded_number_of_queries(
    client, karim_everywhere, count_queries, db, make_meeting
):
    from clubess.mailing.models import OutboxMessage
    from clubess.meetings.models import Invitation, Registration

    def counts():
        with count_queries() as export:
            client.get("/espace/mes-donnees.json")
        with count_queries() as page:
            client.get("/espace/effacement")
        return export.count, page.count

    client.login(EMAIL)
    before = counts()
    for n in range(3):  # more of everything: the number of queries does not change
        meeting = make_meeting(day=(2027, 9, 10 + n), title=f"Atelier {n}")
        db.session.add_all(
            [
                Registration(meeting=meeting, member_id=karim_everywhere.member_id, email=EMAIL, name="K"),
                Invitation(meeting=meeting, member_id=karim_everywhere.member_id, email=EMAIL, name="K"),
                OutboxMessage(recipient=EMAIL, subject="s", body_text="b", category="c"),
            ]
        )
    db.session.commit()
    assert counts() == before
    # about one query per table keyed to the person (minutes, contributions, survey, commitments, indicator
    # imports, ESS policy profiles, ESS structures' contacts and verdicts on their solutions included)
    assert before[0] <= 34 and before[1] <= 15
