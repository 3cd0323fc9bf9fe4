"""A person whose data sits in every table that can hold it: the fixture of the RGPD export and erasure tests."""

from datetime import date, time, timedelta
from types import SimpleNamespace

import pytest
import sqlalchemy as sa

from tests.fixtures_meetings import paris

EMAIL = "karim@montreuil.fr"
#: what must be gone from every text column of every table after the erasure
NEEDLES = ("karim@montreuil.fr", "Karim Benali", "Benali Karim", "Benali", "06 11 22 33 44")


@pytest.fixture
def karim_everywhere(db, people, coordinator, make_meeting, make_contact):
    """Karim Benali (agent of Montreuil, an account) has left a trace in every table keyed to a person.

    Built through the services where they write the copies (registration and outbox rows, audit labels,
    practice revisions), by hand where only a row is needed. Returns the rows' ids.
    """
    from clubess.core.audit import record
    from clubess.mailing.models import OutboxMessage
    from clubess.mailing.services import queue
    from clubess.meetings import guests, notifications, registrations
    from clubess.meetings.models import Invitation, Registration, Speaker
    from clubess.members import services as members_services
    from clubess.practices import services as practice_services
    from clubess.practices.models import MatchFeedback, Problem
    from clubess.press.models import Communique, Delivery

    karim, helene, sofia = people["karim"], people["helene"], people["sofia"]
    karim.phone = "06 11 22 33 44"
    karim.consent_at = paris(2026, 1, 15, 10)
    karim.user.calendar_token = "k" * 40
    db.session.commit()
    karim_user = karim.user

    # A full meeting: Sofia holds the only seat, Karim waits, then Hélène (registered by Karim) waits after him.
    full = make_meeting(day=(2027, 3, 18), capacity=1, title="Rencontre de mars")
    registrations.register_member(sofia.user, full, sofia)
    karim_waiting = registrations.register_member(karim_user, full, karim)
    helene_waiting = registrations.register_member(karim_user, full, helene)
    # A meeting held last June, where Karim was present.
    held = make_meeting(day=(2026, 6, 11), status="held", title="Rencontre de juin 2026")
    past = Registration(
        meeting=held,
        member_id=karim.id,
        collectivity_id=karim.collectivity_id,
        email=EMAIL,
        name="Karim Benali",
        organisation="Montreuil",
        status="registered",
        attendance="present",
    )
    # Hélène stood in for him there (on his behalf: a delegation, data-wise).
    stood_in = Registration(
        meeting=held,
        member_id=helene.id,
        collectivity_id=helene.collectivity_id,
        on_behalf_of_id=karim.id,
        email=helene.email,
        name="Hélène Durand",
        status="cancelled",
    )
    db.session.add(stood_in)
    # A public meeting where the same address asked for a guest seat (not yet confirmed).
    public = make_meeting(day=(2027, 4, 8), audience="public", title="Forum public")
    guest = guests.request_guest_registration(public, "Karim Benali", "Montreuil", EMAIL, "presentiel")
    # An invitation still in the outbox, and one he sent himself (the FK invited_by).
    invited_to = make_meeting(day=(2027, 5, 20), title="Atelier de mai")
    invitation = Invitation(
        meeting=invited_to, member_id=karim.id, email=EMAIL, name="Karim Benali", invited_by_id=coordinator.id
    )
    sent_by_him = Invitation(meeting=invited_to, email="paul@lhay.fr", name="Paul Roux", invited_by_id=karim_user.id)
    db.session.add_all([past, invitation, sent_by_him])
    db.session.flush()
    notifications.queue_invitations([invitation], reply_to=coordinator.email)
    # A practice he wrote and is the contact of, published by the coordination (revisions, index).
    practice = practice_services.create_practice(
        karim_user,
        practice_services.PracticeData(
            title="Une recyclerie de quartier",
            lever="soutien_structures",
            summary="Une recyclerie ouverte avec la régie de quartier.",
            description="Contact : Karim Benali (karim@montreuil.fr, 06 11 22 33 44).",
            contact_role="Karim Benali, chargé de mission ESS",
        ),
        submit=True,
        collectivity=karim.collectivity,
    )
    practice.contact_member_id = karim.id
    practice_services.publish(coordinator, practice)
    # A problem he stated, and his verdict on a match.
    problem = Problem(
        text="Trouver des locaux pour une recyclerie (Karim Benali)",
        author_id=karim_user.id,
        collectivity_id=karim.collectivity_id,
        followed=True,
        notify=True,
    )
    db.session.add(problem)
    db.session.flush()
    db.session.add(
        MatchFeedback(problem_id=problem.id, practice_id=practice.id, verdict="useful", author_id=karim_user.id)
    )
    # He spoke at the held meeting.
    speaker = Speaker(name="Karim Benali", organisation="Montreuil", title="Chargé de mission", member_id=karim.id)
    # A press contact with the same address (he subscribed to the communiqués) and its delivery log.
    communique = Communique(slug="bilan-2026", title="Bilan 2026", created_by_id=karim_user.id)
    db.session.add_all([speaker, communique])
    db.session.flush()
    contact = make_contact(EMAIL, name="Karim Benali", outlet="Montreuil", status="active")
    from clubess.actors.models import Organisation, Solution
    from clubess.practices.models import SolutionFeedback

    association = Organisation(
        name="Association de Karim",
        search_name="association de karim",
        kind="association",
        contact_name="Karim Benali",
        contact_email=EMAIL,
    )
    db.session.add(association)
    db.session.flush()
    # He found an ESS actor's solution useful for his problem.
    solution = Solution(ref="SOL-K", organisation_id=association.id, title="Atelier", lever="soutien_structures")
    db.session.add(solution)
    db.session.flush()
    db.session.add(
        SolutionFeedback(problem_id=problem.id, solution_id=solution.id, verdict="useful", author_id=karim_user.id)
    )
    delivery = Delivery(communique_id=communique.id, contact_id=contact.id, email=EMAIL, status="sent")
    db.session.add(delivery)
    # A commitment of Montreuil he is in charge of (named in its texts too), that he recorded, with a line of its
    # history he wrote.
    from clubess.commitments import services as commitment_services
    from clubess.commitments.models import CommitmentChange

    commitment = commitment_services.record_commitment(
        coordinator,
        karim.collectivity,
        commitment_services.CommitmentData(
            title="Ouvrir une recyclerie",
            lever="soutien_structures",
            success="Karim Benali présente le bilan en conseil.",
            responsible_id=karim.id,
            target=(2027, 1),
            note="Suivi par Karim Benali (karim@montreuil.fr, 06 11 22 33 44).",
        ),
    )
    commitment.created_by_id = karim_user.id
    db.session.add(
        CommitmentChange(
            commitment=commitment,
            author_id=karim_user.id,
            author_label="Karim Benali",
            from_status="planned",
            to_status="in_progress",
            note="Lancé avec la régie de quartier.",
        )
    )
    # ESS figures he imported (the row is what matters).
    from clubess.territories.models import IndicatorValue

    db.session.add(
        IndicatorValue(
            territory_id=karim.collectivity.territory_id,
            indicator="emplois_ess",
            year=2023,
            value=12,
            source="Observatoire",
            imported_by_id=karim_user.id,
        )
    )
    # The ESS policy profile he saved, naming him the élu in charge.
    from clubess.territories.policy_models import PolicyProfile

    db.session.add(
        PolicyProfile(
            collectivity_id=karim.collectivity_id,
            year=2026,
            elu_id=karim.id,
            note="Profil tenu par Karim.",
            updated_by_id=karim_user.id,
        )
    )
    # The members' digest of November 2026 was queued for him.
    from clubess.digest.models import Digest

    db.session.add(
        Digest(
            member_id=karim.id,
            period="2026-11",
            since_at=paris(2026, 10, 1, 0),
            until_at=paris(2026, 11, 2, 8),
            meeting_ids=[],
        )
    )
    # Audit: he acted (profile), he was acted upon (the référent edited him), his address is in details.
    members_services.update_profile(karim_user, karim, {"function": "Chargé de mission ESS et emploi"})
    record(helene.user, "member.updated", karim, fields="phone")
    record(None, "collectivity.addition_requested", karim.collectivity, email=EMAIL, name="Karim Benali")
    # A mail already sent to him, and one sent to a colleague that names him.
    sent = queue(
        EMAIL,
        "members/welcome",
        {"member": karim, "collectivity": karim.collectivity, "created": False, "url": "http://localhost/connexion"},
        category="members.welcome",
    )
    sent.status, sent.sent_at = "sent", paris(2026, 2, 1, 9)
    # At the held meeting he answered the questionnaire; at a held workshop he contributed; and, by hand (a
    # coordinator's act, the row is what matters), a version of the minutes names him as its author.
    from clubess.meetings.followup_models import Contribution, Minutes, MinutesRevision, SurveyAnswer

    db.session.flush()
    db.session.add(SurveyAnswer(meeting_id=held.id, registration_id=past.id, rating=4, comment="Merci, Karim Benali"))
    workshop = make_meeting(day=(2026, 10, 8), status="held", kind="atelier_territorial", title="Atelier d'octobre")
    db.session.add(
        Contribution(
            meeting_id=workshop.id, kind="constat", title="Locaux", text="Vu par Karim Benali", author_id=karim_user.id
        )
    )
    minutes = Minutes(meeting_id=held.id, body="Compte rendu", status="published", published_at=paris(2026, 6, 12, 9))
    db.session.add(minutes)
    db.session.flush()
    db.session.add(
        MinutesRevision(minutes_id=minutes.id, number=1, author_id=karim_user.id, author_name="Karim Benali")
    )
    # He left the digest: the suppression list holds his address.
    from clubess.mailing.suppression import suppress

    suppress(EMAIL, "digest", "unsubscribed")
    db.session.commit()
    mails = db.session.scalars(sa.select(OutboxMessage).where(OutboxMessage.recipient == EMAIL)).all()
    return SimpleNamespace(
        member=karim,
        user=karim_user,
        user_id=karim_user.id,
        member_id=karim.id,
        meetings=SimpleNamespace(full=full.id, held=held.id, public=public.id, invited_to=invited_to.id),
        waiting=karim_waiting.id,
        helene_waiting=helene_waiting.id,
        past=past.id,
        guest=guest.id,
        invitation=invitation.id,
        sent_by_him=sent_by_him.id,
        practice=practice.id,
        problem=problem.id,
        speaker=speaker.id,
        communique=communique.id,
        contact=contact.id,
        delivery=delivery.id,
        commitment=commitment.id,
        mails=[m.id for m in mails],
        today=date(2026, 12, 1),
        start=time(9, 30),
        week=timedelta(days=7),
    )


def grep_database(db, needles=NEEDLES) -> list[tuple[str, str, str]]:
    """Every (table, column, needle) where a needle shows in a text or JSON column, in any table of the
    database (reflected, so tables the models do not know are read too). JSON escapes (\\u00e9) and HTML
    escapes are looked for as well as the plain text, case-insensitively."""
    import html
    import json

    forms = {}
    for needle in needles:
        for form in {needle, json.dumps(needle)[1:-1], html.escape(needle), html.escape(needle, quote=False)}:
            forms[form.lower()] = needle
    metadata = sa.MetaData()
    metadata.reflect(db.engine)
    hits = []
    with db.engine.connect() as conn:
        for table in metadata.tables.values():
            columns = [
                c
                for c in table.columns
                if not isinstance(
                    c.type,
                    (sa.LargeBinary, sa.Integer, sa.Float, sa.Numeric, sa.Boolean, sa.Date, sa.DateTime, sa.Time),
                )
                and "VECTOR" not in str(c.type).upper()
            ]
            if not columns:
                continue
            for row in conn.execute(sa.select(*[sa.cast(c, sa.Text) for c in columns])):
                for column, value in zip(columns, row, strict=True):
                    text = (value or "").lower()
                    for form, needle in forms.items():
                        if form in text:
                            hits.append((table.name, column.name, needle))
    return sorted(set(hits))
