"""Every status and kind is shown by its label: pages and exports rendered with data in every status."""

import enum
from datetime import UTC, date, datetime, time

import pytest

from tests.labels_check import known_codes, raw_codes_in_csv, raw_codes_in_html
from tests.pages import get_page


def _all_enums() -> set[type[enum.StrEnum]]:
    import clubess.actors.models
    import clubess.auth.models  # noqa: F401
    import clubess.commitments.models
    import clubess.core.permissions
    import clubess.mailing.models
    import clubess.meetings.followup_models
    import clubess.meetings.models
    import clubess.members.models
    import clubess.practices.models
    import clubess.press.models
    import clubess.resources.models

    modules = [
        clubess.actors.models,
        clubess.resources.models,
        clubess.commitments.models,
        clubess.core.permissions,
        clubess.mailing.models,
        clubess.meetings.models,
        clubess.meetings.followup_models,
        clubess.members.models,
        clubess.practices.models,
        clubess.press.models,
    ]
    return {
        value
        for module in modules
        for value in vars(module).values()
        if isinstance(value, type) and issubclass(value, enum.StrEnum) and value is not enum.StrEnum
    }


#: which vocabulary labels each stored enum
VOCABULARY_OF = {
    "MeetingKind": "meeting_kind",
    "MeetingFormat": "meeting_format",
    "MeetingStatus": "meeting_status",
    "Audience": "meeting_audience",
    "ItemKind": "agenda_item_kind",
    "SpeakerKind": "speaker_kind",
    "RegistrationStatus": "registration_status",
    "Attendance": "attendance",
    "AttendMode": "attend_mode",
    "InvitationResponse": "invitation_response",
    "ContactStatus": "contact_status",
    "OutletKind": "outlet_kind",
    "LegalBasis": "legal_basis",
    "CommuniqueStatus": "communique_status",
    "DeliveryStatus": "delivery_status",
    "MessageStatus": "outbox_status",
    "TerritoryKind": "territory_kind",
    "CollectivityStatus": "collectivity_status",
    "MemberKind": "member_kind",
    "Role": "role",
    "PracticeStatus": "practice_status",
    "Provenance": "practice_provenance",
    "ProblemStatus": "problem_status",
    "Verdict": "verdict",
    "Scope": "mail_scope",
    "SuppressionReason": "suppression_reason",
    "DocumentKind": "document_kind",
    "Visibility": "document_visibility",
    "MinutesStatus": "minutes_status",
    "ContributionKind": "contribution_kind",
    "CommitmentStatus": "commitment_status",
    "OrganisationKind": "organisation_kind",
    "OrganisationStatus": "organisation_status",
}


def test_every_value_of_every_enum_has_one_label(app):
    from clubess.core.labels import vocabulary

    enums = _all_enums()
    assert {e.__name__ for e in enums} == set(VOCABULARY_OF), "a new enum needs its vocabulary"
    for enum_class in enums:
        labels = vocabulary(VOCABULARY_OF[enum_class.__name__])
        missing = {v.value for v in enum_class} - set(labels)
        assert not missing, f"{enum_class.__name__}: no label for {missing}"
        assert all(str(labels[v.value]).strip() for v in enum_class)


# --- a club with something in every status ------------------------------------------------------------


def _paris(day: date, hour: int, minute: int = 0) -> datetime:
    from zoneinfo import ZoneInfo

    return datetime.combine(day, time(hour, minute), tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture
def world(db, territories, active_collectivity, make_user, coordinator, admin):
    """Hand-made data covering every value of every status and kind (see VOCABULARY_OF)."""
    from clubess.core.audit import record
    from clubess.mailing.models import OutboxMessage
    from clubess.meetings.models import (
        AgendaItem,
        Invitation,
        Meeting,
        MeetingSeries,
        Registration,
        Speaker,
    )
    from clubess.members.models import Collectivity, Member
    from clubess.practices.models import MatchFeedback, Practice, PracticeRevision, Problem
    from clubess.press.models import Communique, Delivery, PressContact

    helene = active_collectivity.referent
    helene_user = helene.user
    # collectivities: pending, rejected, left, and active ones of every kind of territory
    others = [
        Collectivity(territory=territories["94038"], status="pending"),
        Collectivity(territory=territories["93070"], status="rejected", rejection_reason="Hors région"),
        Collectivity(territory=territories["200057875"], status="left", left_on=date(2026, 6, 1)),
        Collectivity(territory=territories["11"], status="active", joined_on=date(2026, 1, 2)),
        Collectivity(territory=territories["93"], status="active", joined_on=date(2026, 1, 3)),
        Collectivity(territory=territories["200054781"], status="active", joined_on=date(2026, 1, 4)),
    ]
    db.session.add_all(others)
    for i, c in enumerate(others):
        db.session.add(
            Member(
                collectivity=c, kind="elu" if i % 2 else "agent", first_name="P", last_name=f"N{i}", email=f"p{i}@x.fr"
            )
        )

    # meetings: every status, kind, format and audience; a series
    series = MeetingSeries(title="Rencontres 2027", rule="dates", start_time=time(9, 30), end_time=time(12, 30))
    db.session.add(series)
    statuses = ["draft", "published", "held", "cancelled", "published"]
    kinds = ["rencontre", "atelier_thematique", "atelier_territorial", "webinaire", "evenement"]
    formats = ["presentiel", "en_ligne", "hybride", "presentiel", "hybride"]
    meetings = []
    for i, (status, kind, fmt) in enumerate(zip(statuses, kinds, formats, strict=True)):
        day = date(2026, 3, 2) if status == "held" else date(2027, 6, 1 + i)
        meetings.append(
            Meeting(
                series=series,
                kind=kind,
                title=f"Rencontre {i}",
                starts_at=_paris(day, 9, 30),
                ends_at=_paris(day, 12, 30),
                format=fmt,
                venue="Maison de l’ESS",
                online_url="https://visio.example.org/x",
                status=status,
                audience="public" if i % 2 else "members",
                capacity=10,
            )
        )
    db.session.add_all(meetings)
    published = meetings[1]
    speakers = [
        Speaker(name=f"Intervenant {n}", kind=k) for n, k in enumerate(("elu", "expert", "structure_ess", "partenaire"))
    ]
    db.session.add_all(speakers)
    for i, kind in enumerate(
        [
            "accueil",
            "intervention",
            "retour_experience",
            "echange_bonnes_pratiques",
            "table_ronde",
            "signature",
            "pause",
        ]
    ):
        published.items.append(
            AgendaItem(
                position=i,
                title=f"Point {i}",
                kind=kind,
                starts_at=_paris(date(2027, 6, 2), 9, 30 + i),
                ends_at=_paris(date(2027, 6, 2), 9, 31 + i),
                speakers=[speakers[i % 4]],
            )
        )
    db.session.flush()
    # registrations: every status, attendance and mode; a public registration
    regs = [
        ("registered", "present", "presentiel", False),
        ("registered", "absent", "en_ligne", False),
        ("registered", "unknown", "presentiel", True),
        ("waitlisted", "unknown", "presentiel", False),
        ("offered", "unknown", "presentiel", False),
        ("pending", "unknown", "presentiel", True),
        ("cancelled", "unknown", "presentiel", False),
    ]
    for i, (status, attendance, mode, guest) in enumerate(regs):
        db.session.add(
            Registration(
                meeting=published,
                email=f"r{i}@example.org",
                name=f"Personne {i}",
                status=status,
                attendance=attendance,
                mode=mode,
                is_guest=guest,
                offer_expires_at=datetime(2027, 5, 1, tzinfo=UTC) if status == "offered" else None,
            )
        )
    db.session.add(Registration(meeting=published, member=helene, email=helene.email, name=helene.full_name))
    for i, response in enumerate(["none", "accepted", "declined"]):
        db.session.add(Invitation(meeting=published, email=f"i{i}@example.org", name=f"Invité {i}", response=response))

    # after the meetings: minutes in every status (published ones on the held workshop, with a decision and a
    # contribution of every kind), a survey answer
    from clubess.meetings.followup_models import Contribution, Decision, Minutes, SurveyAnswer

    held = meetings[2]
    held.items.append(
        AgendaItem(position=0, title="Atelier", kind="table_ronde", starts_at=held.starts_at, ends_at=held.ends_at)
    )
    minutes = Minutes(meeting=held, body="Compte rendu", status="published", published_at=held.ends_at)
    minutes.decisions = [Decision(position=0, text="Une décision", lever="achats_responsables")]
    db.session.add_all([minutes, Minutes(meeting=published, body="Brouillon", status="draft")])
    for kind in ("constat", "initiative", "preconisation"):
        db.session.add(
            Contribution(
                meeting=held, kind=kind, title=f"Contribution {kind}", text="Texte", lever="soutien_structures"
            )
        )
    db.session.flush()
    present = Registration(meeting=held, email="present@example.org", name="Présente", attendance="present")
    db.session.add(present)
    db.session.flush()
    db.session.add(
        SurveyAnswer(meeting_id=held.id, registration_id=present.id, rating=4, useful_item_id=held.items[0].id)
    )

    # practices: every status and provenance, authored by Hélène; every revision; problems and verdicts
    practices = []
    for i, (status, provenance) in enumerate(
        [("draft", "member"), ("submitted", "member"), ("published", "club"), ("archived", "partner_network")]
    ):
        practices.append(
            Practice(
                ref=f"T{i}",
                title=f"Pratique {i}",
                summary="Résumé",
                lever="achats_responsables",
                status=status,
                provenance=provenance,
                territory_kind="commune",
                author_id=helene_user.id,
                published_at=datetime(2026, 1, 1, tzinfo=UTC) if status in ("published", "archived") else None,
            )
        )
    db.session.add_all(practices)
    db.session.flush()
    from clubess.practices.search.index import index_practice

    index_practice(practices[2])
    for action in ("created", "edited", "submitted", "changes_requested", "published", "archived"):
        db.session.add(
            PracticeRevision(practice_id=practices[1].id, author_label="x@example.org", action=action, snapshot={})
        )
    problems = []
    for status in ("open", "solved", "closed"):
        problems.append(
            Problem(
                text="Un problème de réemploi",
                status=status,
                author_id=helene_user.id,
                collectivity=active_collectivity,
                best_practice_id=practices[2].id,
                best_score=0.7,
            )
        )
    db.session.add_all(problems)
    db.session.flush()
    for problem, verdict in zip(problems, ("useful", "not_relevant", "already_done"), strict=True):
        db.session.add(MatchFeedback(problem=problem, practice_id=practices[2].id, verdict=verdict))

    # ESS actors: a structure of every kind and status, a solution in every status
    from clubess.actors.models import Organisation, Solution

    kinds = ["association", "scop", "scic", "siae", "entreprise_adaptee", "fondation", "mutuelle", "reseau", "other"]
    statuses = ["pending", "active", "rejected", "archived"]
    organisations = [
        Organisation(name=f"Structure {i}", search_name=f"structure {i}", kind=kind, status=statuses[i % 4])
        for i, kind in enumerate(kinds)
    ]
    solutions = [
        Solution(
            ref=f"SOL{i}", organisation=organisations[1], title=f"Solution {i}", lever="soutien_structures", status=s
        )
        for i, s in enumerate(["draft", "submitted", "published", "archived"])
    ]
    db.session.add_all([*organisations, *solutions])

    # press: every contact status, kind of outlet, legal basis; communiqués; every delivery status
    outlet_kinds = [
        "nationale",
        "regionale",
        "specialisee",
        "audiovisuel",
        "en_ligne",
        "agence",
        "institutionnel",
        "membre",
        "autre",
    ]
    contact_statuses = ["active", "pending", "unsubscribed", "bounced"]
    contacts = [
        PressContact(
            email=f"j{i}@presse.example.org",
            name=f"Journaliste {i}",
            outlet="Média",
            outlet_kind=kind,
            status=contact_statuses[i % 4],
            legal_basis="consentement" if i % 2 else "interet_legitime",
            beats="ess",
        )
        for i, kind in enumerate(outlet_kinds)
    ]
    db.session.add_all(contacts)
    draft = Communique(slug="brouillon", title="Un projet", status="draft")
    sent = Communique(
        slug="envoye", title="Une annonce", status="published", published_at=datetime(2026, 2, 1, tzinfo=UTC)
    )
    db.session.add_all([draft, sent])
    db.session.flush()
    for i, status in enumerate(["queued", "sent", "failed", "bounced", "skipped"]):
        db.session.add(Delivery(communique_id=sent.id, contact=contacts[i], email=contacts[i].email, status=status))

    # documents: every kind and visibility, on the published meeting and in the centre
    from clubess.resources.models import Document

    for i, kind in enumerate(["support", "etude", "guide", "compte_rendu", "replay", "photo", "autre"]):
        db.session.add(
            Document(
                meeting=published if i % 2 else None,
                title=f"Document {i}",
                kind=kind,
                visibility=("public", "members", "registrants")[i % 3] if i % 2 else "members",
                url=f"https://example.org/d{i}",
                lever="achats_responsables",
                year=2025,
            )
        )

    # outbox: every status, several categories
    for i, (status, category) in enumerate(
        [
            ("queued", "meetings.invitation"),
            ("sending", "press.communique"),
            ("sent", "auth.reset_password"),
            ("failed", "members.welcome"),
            ("cancelled", "meetings.update"),
        ]
    ):
        db.session.add(
            OutboxMessage(
                recipient=f"o{i}@example.org", subject=f"Objet {i}", body_text="…", category=category, status=status
            )
        )
    db.session.flush()
    # commitments: every status, made at the held meeting, with a history (statuses changed, a note)
    from clubess.commitments.models import Commitment, CommitmentChange

    commitments = []
    for i, status in enumerate(("planned", "in_progress", "done", "abandoned")):
        commitment = Commitment(
            collectivity_id=active_collectivity.id,
            meeting_id=meetings[2].id,
            title=f"Engagement {i}",
            lever="achats_responsables",
            responsible_id=helene.id,
            target_year=2026,
            target_quarter=4,
            status=status,
        )
        commitment.changes = [CommitmentChange(author_label="Hélène Durand", to_status="planned")]
        if status != "planned":
            commitment.changes.append(
                CommitmentChange(author_label="Hélène Durand", from_status="planned", to_status=status, note="Une note")
            )
        commitments.append(commitment)
    db.session.add_all(commitments)
    db.session.flush()
    # audit events whose details hold codes
    record(coordinator, "meeting.status_changed", published, before="draft", after="published")
    record(admin, "user.role_changed", coordinator, before="member", after="coordinator")
    record(coordinator, "press.contact_status", contacts[2], previous="active", status="unsubscribed")
    record(coordinator, "registration.attendance", None, attendance="present")
    record(helene_user, "problem.feedback", problems[0], verdict="not_relevant")
    record(helene_user, "commitment.status_changed", commitments[1], before="planned", after="in_progress")
    make_user(email="membre@example.org", role="member")
    db.session.commit()
    return {
        "meetings": meetings,
        "published": published,
        "series": series,
        "collectivities": [active_collectivity, *others],
        "practices": practices,
        "problems": problems,
        "contacts": contacts,
        "communiques": [draft, sent],
        "helene": helene_user,
        "commitments": commitments,
        "organisations": organisations,
        "solutions": solutions,
    }


def _coordination_pages(world) -> list[str]:
    published = world["published"]
    pages = [
        "/coordination",
        "/coordination/journal",
        "/coordination/rencontres",
        f"/coordination/series/{world['series'].id}",
        "/coordination/intervenants",
        f"/coordination/rencontres/{published.id}/inscrits",
        f"/coordination/rencontres/{published.id}/invitations",
        f"/coordination/rencontres/{published.id}/inviter",
        "/coordination/problematiques",
        "/coordination/engagements",
        "/coordination/presse/contacts",
        "/coordination/presse/communiques",
        f"/coordination/presse/communiques/{world['communiques'][1].id}/envois",
        "/coordination/courriels/",
        "/coordination/comptes",
        "/annuaire",
        "/rencontres",
        "/rencontres?periode=passees",
        "/bonnes-pratiques",
        "/espace",
        "/ressources",
        "/coordination/ressources",
        f"/coordination/rencontres/{published.id}/documents",
    ]
    pages += [f"/coordination/adhesions?status={s}" for s in ("pending", "active", "rejected", "left")]
    pages += [f"/coordination/adhesions/{c.id}" for c in world["collectivities"]]
    pages += [f"/coordination/rencontres?statut={s}" for s in ("draft", "published", "held", "cancelled")]
    pages += [f"/coordination/rencontres/{m.id}" for m in world["meetings"]]
    pages += [f"/coordination/rencontres/{m.id}/compte-rendu" for m in world["meetings"][1:3]]
    pages += [f"/coordination/rencontres/{world['meetings'][2].id}/compte-rendu/versions"]
    pages += [f"/coordination/rencontres/{world['meetings'][2].id}/contributions"]
    pages += [f"/rencontres/{m.id}" for m in world["meetings"]]
    pages += [f"/coordination/rencontres/{published.id}/inscrits?statut={s}" for s in ("offered", "cancelled")]
    pages += [f"/coordination/pratiques?statut={s}" for s in ("draft", "submitted", "published", "archived")]
    pages += [f"/coordination/pratiques/{p.id}" for p in world["practices"]]
    pages += [f"/bonnes-pratiques/{p.id}" for p in world["practices"]]
    pages += [f"/coordination/presse/contacts/{c.id}" for c in world["contacts"]]
    pages += [f"/coordination/presse/communiques/{c.id}" for c in world["communiques"]]
    pages += [f"/coordination/courriels/?statut={s}" for s in ("queued", "sending", "sent", "failed", "cancelled")]
    pages += [f"/coordination/engagements/{c.id}" for c in world["commitments"]]
    pages += [f"/coordination/engagements?statut={s}" for s in ("planned", "in_progress", "done", "abandoned")]
    pages += [f"/coordination/acteurs?statut={s}" for s in ("", "pending", "active", "rejected", "archived")]
    pages += [f"/coordination/acteurs/{o.id}" for o in world["organisations"]]
    pages += [f"/acteurs/{o.id}" for o in world["organisations"]]
    pages += [f"/coordination/acteurs/solutions?statut={s}" for s in ("draft", "submitted", "published", "archived")]
    pages += [f"/coordination/acteurs/solutions/{s.id}" for s in world["solutions"]]
    pages += ["/acteurs"]
    return pages


def test_no_page_shows_a_stored_code(client, db, world, admin):
    import sqlalchemy as sa

    from clubess.auth.models import User
    from clubess.mailing.models import OutboxMessage

    codes = known_codes()
    assert {"pending", "active", "submitted", "waitlisted", "interet_legitime"} <= codes
    client.login(admin.email)
    pages = _coordination_pages(world)
    pages += [f"/coordination/courriels/{i}" for i in db.session.scalars(sa.select(OutboxMessage.id))]
    pages += [f"/coordination/comptes/{i}" for i in db.session.scalars(sa.select(User.id))]
    found = {}
    for url in pages:
        html = get_page(client, url).get_data(as_text=True)
        shown = raw_codes_in_html(html, codes)
        if url.startswith("/coordination/series/"):
            shown -= {"accueil"}  # the template agenda's syntax example (item 14 of issue 15 owns that hint)
        if shown:
            found[url] = shown
    assert found == {}


def test_no_member_page_shows_a_stored_code(client, world):
    codes = known_codes()
    client.login(world["helene"].email)
    found = {}
    member_pages = ["/espace", "/espace/collectivite", "/espace/inscriptions", "/espace/pratiques", "/annuaire"]
    member_pages += ["/ressources", "/espace/engagements"] + [
        f"/espace/engagements/{c.id}" for c in world["commitments"]
    ]
    for url in member_pages:
        html = get_page(client, url).get_data(as_text=True)
        if shown := raw_codes_in_html(html, codes):
            found[url] = shown
    for problem in world["problems"]:
        html = get_page(client, f"/problematiques/{problem.id}").get_data(as_text=True)
        if shown := raw_codes_in_html(html, codes):
            found[problem.id] = shown
    assert found == {}


def test_no_export_shows_a_stored_code(client, world, coordinator):
    codes = known_codes()
    client.login(coordinator.email)
    published = world["published"]
    for url in [
        f"/coordination/rencontres/{published.id}/inscrits?format=csv",
        "/coordination/presse/contacts.csv",
        "/coordination/engagements.csv",
    ]:
        response = client.get(url)
        assert response.mimetype == "text/csv"
        assert raw_codes_in_csv(response.get_data(as_text=True), codes) == set(), url


def test_the_checker_finds_a_code_shown_raw(app):
    html = "<!doctype html><html lang=fr><body><dl><dd>pending</dd><dd>Statut : active · 3</dd></dl>"
    html += "<p>une démarche active</p><code>user.created</code><p>a@pending.fr</p>"
    html += "<p>type interet_legitime</p></body></html>"
    with app.app_context():
        assert raw_codes_in_html(html, known_codes()) == {"pending", "active", "interet_legitime"}
