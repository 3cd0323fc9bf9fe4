"""The demo shows the whole cycle: commitments in every status from the held meeting, with their history, and some
due at the next meeting (whose *Suivi des engagements* the coordinator can generate)."""

import sqlalchemy as sa

from clubess.commitments import followup
from clubess.commitments.models import Commitment
from clubess.meetings.models import Meeting


def test_the_demo_has_commitments_in_every_status_with_history_and_one_due_at_the_next_meeting(db):
    from clubess.demo import load_demo

    load_demo()
    commitments = db.session.scalars(sa.select(Commitment)).all()
    assert {c.status for c in commitments} == {"planned", "in_progress", "done", "abandoned"}
    assert all(c.demo and c.changes and c.changes[-1].to_status == c.status for c in commitments)
    assert any(len(c.changes) >= 3 for c in commitments)  # prévu → en cours → réalisé
    held = db.session.scalars(sa.select(Meeting).where(Meeting.status == "held")).all()
    made_at_held = [c for c in commitments if c.meeting_id in {m.id for m in held}]
    assert {c.status for c in made_at_held} == {"planned", "in_progress", "done", "abandoned"}
    origin = made_at_held[0].meeting
    following = followup.next_meeting(origin)
    assert following is not None and following.status == "published"
    due = followup.due_at(following)
    assert due and all(c.is_open for c in due)
    from clubess.commitments.demo import load_commitments

    load_commitments()  # loading again adds nothing
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Commitment)) == len(commitments)
