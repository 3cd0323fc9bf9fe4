"""The data the site-wide tests read: one of each thing a page can show, in neutral words."""

from datetime import UTC, date, datetime, timedelta

import pytest

from tests.fixtures_meetings import paris


@pytest.fixture
def site(db, territories, make_user, coordinator, admin):
    """One of each thing a page can show, written in words that are neither French nor telltale."""
    from clubess.auth import services as auth_services
    from clubess.core.audit import record
    from clubess.core.tokens import make_token
    from clubess.mailing.models import OutboxMessage
    from clubess.meetings.models import AgendaItem, Invitation, Meeting, MeetingSeries, Registration, Speaker
    from clubess.members.models import Collectivity, Member
    from clubess.practices.models import Practice, Problem
    from clubess.practices.search.index import index_practice
    from clubess.press.models import Communique, CommuniqueAttachment, Delivery, PressContact
    from tests.fixtures_press import png

    montreuil = Collectivity(territory=territories["93048"], status="active", joined_on=date(2026, 1, 15))
    pending = Collectivity(territory=territories["93070"], status="pending", application_message="Hello.")
    member_user = make_user(email="alex@montreuil.fr", display_name="Alex Smith", locale="en")
    alex = Member(
        collectivity=montreuil,
        kind="elu",
        first_name="Alex",
        last_name="Smith",
        email=member_user.email,
        function="Deputy mayor",
        delegation="SSE",
        user=member_user,
        show_email=True,
        interests=["ecosysteme_financement"],
    )
    sam = Member(collectivity=montreuil, kind="agent", first_name="Sam", last_name="Jones", email="sam@montreuil.fr")
    kim = Member(collectivity=pending, kind="agent", first_name="Kim", last_name="Lee", email="kim@saint-ouen.fr")
    db.session.add_all([montreuil, pending, alex, sam, kim])
    db.session.flush()
    montreuil.referent, pending.referent = alex, kim

    speaker = Speaker(name="Robin Hood", organisation="Sherwood", title="Chair", kind="expert", bio="Bio.")
    series = MeetingSeries(
        title="Quarterly 2027",
        rule="dates",
        dates=["2027-06-17"],
        start_time=datetime(2027, 1, 1, 9, 30).time(),
        end_time=datetime(2027, 1, 1, 12, 30).time(),
        template_agenda=[{"start": "09:30", "end": "10:00", "title": "Coffee", "kind": "accueil"}],
    )
    meeting = Meeting(
        series=series,
        kind="rencontre",
        title="Quarterly meeting",
        description="Agenda below.",
        starts_at=paris(2027, 6, 17, 9, 30),
        ends_at=paris(2027, 6, 17, 12, 30),
        format="hybride",
        venue="Town hall",
        address="Montreuil",
        online_url="https://visio.example.org/q",
        capacity=1,
        audience="public",
        status="published",
        department_code="93",
    )
    meeting.items = [
        AgendaItem(
            position=0,
            title="Coffee",
            kind="accueil",
            starts_at=meeting.starts_at,
            ends_at=meeting.starts_at + timedelta(minutes=30),
            speakers=[speaker],
        )
    ]
    held = Meeting(
        kind="webinaire",
        title="Webinar",
        starts_at=paris(2026, 3, 5, 11),
        ends_at=paris(2026, 3, 5, 12),
        format="en_ligne",
        status="held",
    )
    db.session.add_all([speaker, series, meeting, held])
    db.session.flush()
    registration = Registration(
        meeting=meeting, member_id=alex.id, collectivity_id=montreuil.id, email=alex.email, name="Alex Smith"
    )
    waiting = Registration(
        meeting=meeting, email="guest@example.org", name="Guest Person", organisation="Acme", is_guest=True
    )
    waiting.status = "waitlisted"
    invitation = Invitation(meeting=meeting, member_id=sam.id, email=sam.email, name="Sam Jones")
    attended = Registration(meeting=held, member_id=sam.id, email=sam.email, name="Sam Jones", attendance="present")
    db.session.add_all([registration, waiting, invitation, attended])

    practice = Practice(
        ref="X01",
        title="Solidarity fund",
        summary="A fund.",
        description="A fund.",
        lever="ecosysteme_financement",
        themes=["funding"],
        year=2025,
        territory_name="Montreuil",
        territory_kind="commune",
        department_code="93",
        collectivity_id=montreuil.id,
        status="published",
        published_at=datetime(2026, 1, 2, tzinfo=UTC),
        contact_member_id=alex.id,
    )
    submitted = Practice(
        ref="X02",
        title="Repair cafe",
        summary="Repairs.",
        lever="soutien_structures",
        themes=["repair"],
        status="submitted",
        collectivity_id=montreuil.id,
        author_id=member_user.id,
    )
    db.session.add_all([practice, submitted])
    db.session.flush()
    index_practice(practice)
    problem = Problem(
        text="Funding", lever="ecosysteme_financement", collectivity_id=montreuil.id, author_id=member_user.id
    )
    db.session.add(problem)

    contact = PressContact(name="Pat Reporter", outlet="Daily", email="pat@daily.example.org", beats="economy")
    sent = Communique(
        slug="launch",
        title="Launch",
        standfirst="Launch.",
        body="Launch.",
        status="published",
        published_at=datetime(2026, 1, 5, tzinfo=UTC),
    )
    draft = Communique(slug="draft", title="Draft", body="Draft.")
    attachment = CommuniqueAttachment(
        communique=sent, filename="photo.png", content_type="image/png", size=60, data=png()
    )
    db.session.add_all([contact, sent, draft, attachment])
    db.session.flush()
    db.session.add(Delivery(communique_id=sent.id, contact_id=contact.id, email=contact.email, status="sent"))
    from clubess.core import uploads
    from clubess.resources.models import Document

    picture = png()
    slides = Document(
        meeting=held,
        title="Slides",
        kind="support",
        visibility="public",
        description="Slides.",
        stored_name=uploads.store(db.session, "resources", picture, "image/png"),
        filename="slides.png",
        content_type="image/png",
        size=len(picture),
    )
    study = Document(title="Study", kind="etude", visibility="members", url="https://example.org/s", year=2025)
    db.session.add_all([slides, study])
    message = OutboxMessage(recipient="pat@daily.example.org", subject="Hello", body_text="Hello.", category="test")
    db.session.add(message)
    from clubess.practices.models import ThesaurusEntry

    synonyms = ThesaurusEntry(expressions="repair cafe, fix-it workshop")
    from clubess.meetings.followup_models import Contribution

    contribution = Contribution(meeting=meeting, kind="constat", title="Few premises", text="Premises are rare.")
    db.session.add_all([synonyms, contribution])
    record(coordinator, "meeting.published", meeting)
    from clubess.commitments.models import Commitment, CommitmentChange

    commitment = Commitment(
        collectivity_id=montreuil.id,
        meeting_id=held.id,
        title="Open a repair cafe",
        lever="soutien_structures",
        success="Two cafes open.",
        responsible_id=alex.id,
        target_year=2027,
        target_quarter=1,
        status="in_progress",
        created_by_id=member_user.id,
    )
    commitment.changes = [
        CommitmentChange(author_id=member_user.id, author_label="Alex Smith", to_status="planned"),
        CommitmentChange(
            author_id=member_user.id,
            author_label="Alex Smith",
            from_status="planned",
            to_status="in_progress",
            note="Started.",
        ),
    ]
    db.session.add(commitment)
    from clubess.actors.models import Organisation, Solution
    from clubess.actors.solutions import index_solution

    organisation = Organisation(
        name="Canal Repair Shop",
        search_name="canal repair shop",
        kind="association",
        status="active",
        contact_email="contact@repair.example.org",
        territories=[territories["93"]],
        demo=True,
    )
    solution = Solution(
        ref="SOL00001",
        organisation=organisation,
        title="Neighbourhood repair shop",
        lever="soutien_structures",
        status="published",
        published_at=datetime(2026, 5, 1, tzinfo=UTC),
        demo=True,
    )
    db.session.add_all([organisation, solution])
    db.session.flush()
    index_solution(solution)
    db.session.commit()

    tokens = {
        "registrations.manage": make_token("meeting-registration", {"r": registration.id}),
        "registrations.rsvp": make_token("meeting-rsvp", {"i": invitation.id}),
        "registrations.offer": make_token("meeting-offer", {"r": waiting.id}),
        "registrations.confirm_guest": make_token("meeting-guest", {"r": waiting.id}),
        "unsubscribe.confirm": make_token("unsubscribe", {"s": "invitations", "e": sam.email}),
        "auth.reset_password": auth_services.make_reset_token(member_user),
        "auth.welcome": auth_services.make_reset_token(member_user, auth_services.WELCOME_PURPOSE),
        "auth.verify_email": make_token(auth_services.VERIFY_PURPOSE, {"uid": member_user.id, "email": alex.email}),
        "survey.answer": make_token("meeting-survey", {"r": attended.id, "m": held.id}),
        "survey.thanks": make_token("meeting-survey", {"r": attended.id, "m": held.id}),
    }
    return {
        "ids": {
            "meeting_id": meeting.id,
            "practice_id": practice.id,
            "organisation_id": organisation.id,
            "solution_id": solution.id,
            "action": "archiver",  # a solution's moderation: the confirmation page it shows first
            "collectivity_id": pending.id,
            "user_id": member_user.id,
            "message_id": message.id,
            "registration_id": registration.id,
            "speaker_id": speaker.id,
            "communique_id": sent.id,
            "contact_id": contact.id,
            "problem_id": problem.id,
            "series_id": series.id,
            "item_id": meeting.items[0].id,
            "member_id": sam.id,
            "attachment_id": attachment.id,
            "slug": sent.slug,
            "ref": practice.ref,
            "code": "93",  # a territory's page: the département holds every row of the site above
            "filename": attachment.filename,
            "fmt": "csv",
            "entry_id": synonyms.id,
            "document_id": slides.id,
            "contribution_id": contribution.id,
            "commitment_id": commitment.id,
            "year": 2026,  # /espace/politique-ess/<year>
        },
        "tokens": tokens,
        "member": member_user.email,
        "names": [
            "Alex Smith",
            "Sam Jones",
            "Kim Lee",
            "Robin Hood",
            "Guest Person",
            "Pat Reporter",
            member_user.display_name,
            coordinator.display_name,
            admin.display_name,
        ],
    }
