"""`make run` shows the whole after-meeting cycle: the demo's held meetings each left something behind."""

import sqlalchemy as sa

from clubess.commitments.models import Commitment, CommitmentStatus
from clubess.meetings.followup_models import Contribution, ContributionKind, Minutes, SurveyAnswer
from clubess.meetings.models import Meeting, Registration
from clubess.resources.models import Document
from tests.pages import get_page


def test_the_demo_s_held_meetings_show_the_whole_after_meeting_cycle(db, client):
    from clubess.demo import load_demo

    load_demo()
    db.session.commit()
    held = db.session.scalars(sa.select(Meeting).where(Meeting.status == "held").order_by(Meeting.id)).all()
    assert len(held) >= 2

    def count(model, meeting, *where):
        return db.session.scalar(
            sa.select(sa.func.count()).select_from(model).where(model.meeting_id == meeting.id, *where)
        )

    for meeting in held:
        assert count(Document, meeting) >= 1, meeting.title
        marks = set(db.session.scalars(sa.select(Registration.attendance).where(Registration.meeting_id == meeting.id)))
        assert {"present", "absent"} <= marks, meeting.title
        assert count(Minutes, meeting, Minutes.status == "published") == 1, meeting.title
        assert count(SurveyAnswer, meeting) >= 1, meeting.title
        assert count(Commitment, meeting) >= 1, meeting.title
    workshops = [m for m in held if m.kind.startswith("atelier")]
    assert workshops
    kinds = set(db.session.scalars(sa.select(Contribution.kind).where(Contribution.meeting_id == workshops[0].id)))
    assert kinds == {k.value for k in ContributionKind}
    statuses = set(
        db.session.scalars(sa.select(Commitment.status).where(Commitment.meeting_id.in_([m.id for m in held])))
    )
    assert statuses == {s.value for s in CommitmentStatus}

    # and the pages show it: a member reads the minutes on the meeting page, the coordinator its results
    client.login("coordination@club-ess.example.org", "demo-clubess-2026")
    page = get_page(client, f"/coordination/rencontres/{held[0].id}").get_data(as_text=True)
    assert "Questionnaire de satisfaction" in page and "Note moyenne" in page
    public = get_page(client, f"/rencontres/{held[0].id}").get_data(as_text=True)
    assert 'id="compte-rendu"' in public and "Décisions" in public
