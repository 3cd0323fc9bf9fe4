"""The rules of a commitment: who records it, what it must say, its statuses and their history, due and overdue."""

from datetime import date

import pytest
import sqlalchemy as sa

from clubess.commitments import services
from clubess.commitments.models import Commitment, CommitmentChange
from clubess.core.audit import AuditEvent
from clubess.core.errors import DomainError, Forbidden


def _count(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def _data(**values):
    base = {
        "title": "Adopter un SPASER",
        "lever": "achats_responsables",
        "success": "",
        "responsible_id": None,
        "target": (2026, 4),
        "meeting_id": None,
        "note": "",
    }
    return services.CommitmentData(**{**base, **values})


def test_the_referent_records_a_commitment_that_starts_planned_with_its_history(db, club, commit):
    c = club
    commitment = commit(
        c.helene.user,
        c.montreuil,
        responsible_id=c.karim.id,
        meeting_id=c.s1.id,
        target=(2027, 2),
        note="Dit en séance.",
    )
    db.session.expire_all()
    commitment = db.session.get(Commitment, commitment.id)
    assert (commitment.status, commitment.target_label, commitment.responsible_name) == (
        "planned",
        "T2 2027",
        "Karim Benali",
    )
    assert commitment.meeting_id == c.s1.id and commitment.collectivity_id == c.montreuil.id
    [change] = commitment.changes
    assert (change.from_status, change.to_status, change.note, change.author_label) == (
        None,
        "planned",
        "Dit en séance.",
        "Hélène Durand",
    )
    event = db.session.scalar(sa.select(AuditEvent).where(AuditEvent.action == "commitment.created"))
    assert event.actor_id == c.helene.user_id and event.target_id == str(commitment.id)


def test_a_referent_cannot_record_or_change_another_collectivitys_commitment(db, club, commit):
    c = club
    theirs = commit(c.sofia.user, c.saint_ouen)
    with pytest.raises(Forbidden):
        services.record_commitment(c.helene.user, c.saint_ouen, _data(responsible_id=c.sofia.id))
    with pytest.raises(Forbidden):
        services.change_status(c.helene.user, theirs, "done", "Fait.")
    with pytest.raises(Forbidden):
        services.update_commitment(c.helene.user, theirs, _data(responsible_id=c.sofia.id, title="Autre"))
    db.session.rollback()
    assert _count(db, Commitment) == 1 and _count(db, CommitmentChange) == 1
    assert db.session.get(Commitment, theirs.id).status == "planned"


def test_a_member_who_is_not_the_referent_only_reads(db, club, commit):
    c = club
    ours = commit(c.helene.user, c.montreuil)
    with pytest.raises(Forbidden):
        services.record_commitment(c.karim.user, c.montreuil, _data(responsible_id=c.karim.id))
    with pytest.raises(Forbidden):
        services.change_status(c.karim.user, ours, "in_progress", "")
    services.require_reader(c.karim.user, c.montreuil)  # reading is fine
    with pytest.raises(Forbidden):
        services.require_reader(c.sofia.user, c.montreuil)


def test_a_coordinator_records_for_any_collectivity(db, club, commit):
    commitment = commit(club.coordinator, club.lhay, responsible_id=club.paul.id)
    assert commitment.collectivity_id == club.lhay.id


@pytest.mark.parametrize(
    "values, field",
    [
        ({"title": "  "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"lever": "inconnu"}, "lever"),
        ({"success": "x" * 2001}, "success"),
        ({"responsible_id": None}, "responsible_id"),
        ({"target": None}, "target"),
        ({"target": (2026, 3)}, "target"),  # T3 2026 is over on 15 October 2026
    ],
)
def test_what_a_commitment_must_say_is_checked_field_by_field(db, club, values, field):
    c = club
    values.setdefault("responsible_id", c.karim.id)
    with pytest.raises(DomainError) as refused:
        services.record_commitment(c.helene.user, c.montreuil, _data(**values))
    assert field in refused.value.errors
    db.session.rollback()
    assert _count(db, Commitment) == 0


def test_the_person_in_charge_is_of_that_collectivity_and_in_office(db, club):
    c = club
    with pytest.raises(DomainError) as other:
        services.record_commitment(c.helene.user, c.montreuil, _data(responsible_id=c.sofia.id))
    assert "responsible_id" in other.value.errors
    c.karim.mandate_end_on = date(2026, 10, 1)
    db.session.commit()
    with pytest.raises(DomainError) as former:
        services.record_commitment(c.helene.user, c.montreuil, _data(responsible_id=c.karim.id))
    assert "n’est plus en fonction" in former.value.errors["responsible_id"]


def test_the_meeting_must_be_one_the_collectivity_attended(db, club):
    c = club
    for meeting in (c.workshop, c.s2, c.cancelled):  # not there; not yet held; cancelled
        with pytest.raises(DomainError) as refused:
            services.record_commitment(
                c.helene.user, c.montreuil, _data(responsible_id=c.karim.id, meeting_id=meeting.id)
            )
        assert "meeting_id" in refused.value.errors
    with pytest.raises(DomainError):  # L'Haÿ was marked absent at S1
        services.record_commitment(c.coordinator, c.lhay, _data(responsible_id=c.paul.id, meeting_id=c.s1.id))
    db.session.rollback()
    assert _count(db, Commitment) == 0


def test_status_changes_keep_who_when_from_to_and_the_note(db, club, commit, frozen):
    c = club
    commitment = commit(c.helene.user, c.montreuil, responsible_id=c.karim.id)
    frozen.move_to("2026-11-02 09:00:00")
    services.change_status(c.helene.user, commitment, "in_progress", "Groupe de travail lancé.")
    frozen.move_to("2026-12-01 09:00:00")
    services.change_status(c.coordinator, commitment, "in_progress", "Point d’étape : vote prévu en février.")
    frozen.move_to("2027-02-20 09:00:00")
    services.change_status(c.helene.user, commitment, "done", "")
    db.session.commit()
    db.session.expire_all()
    history = services.history(db.session.get(Commitment, commitment.id))
    assert [(h.from_status, h.to_status, h.author_label, h.created_at.date().isoformat()) for h in history] == [
        ("in_progress", "done", "Hélène Durand", "2027-02-20"),
        ("in_progress", "in_progress", c.coordinator.display_name, "2026-12-01"),
        ("planned", "in_progress", "Hélène Durand", "2026-11-02"),
        (None, "planned", "Hélène Durand", "2026-10-15"),
    ]
    actions = db.session.scalars(
        sa.select(AuditEvent.action).where(AuditEvent.target_type == "Commitment").order_by(AuditEvent.id)
    ).all()
    assert actions == [
        "commitment.created",
        "commitment.status_changed",
        "commitment.noted",
        "commitment.status_changed",
    ]


def test_abandoning_needs_a_note_and_nothing_is_kept_without_one(db, club, commit):
    commitment = commit(club.helene.user, club.montreuil)
    with pytest.raises(DomainError) as refused:
        services.change_status(club.helene.user, commitment, "abandoned", "   ")
    assert "note" in refused.value.errors
    with pytest.raises(DomainError):  # the same status without a note says nothing
        services.change_status(club.helene.user, commitment, "planned", "")
    with pytest.raises(DomainError):
        services.change_status(club.helene.user, commitment, "oublie", "Une note.")
    db.session.rollback()
    assert db.session.get(Commitment, commitment.id).status == "planned"
    assert _count(db, CommitmentChange) == 1
    services.change_status(club.helene.user, commitment, "abandoned", "Budget refusé.")
    db.session.commit()
    assert db.session.get(Commitment, commitment.id).status == "abandoned"


def test_due_when_the_target_quarter_started_overdue_once_it_ended(db, club, commit):
    c = club
    now = commit(c.helene.user, c.montreuil, target=(2026, 4))
    later = commit(c.helene.user, c.montreuil, target=(2027, 1))
    assert now.is_due(date(2026, 10, 1)) and not now.is_due(date(2026, 9, 30))
    assert not now.is_overdue(date(2026, 12, 31)) and now.is_overdue(date(2027, 1, 1))
    assert not later.is_due(date(2026, 12, 31)) and later.is_due(date(2027, 1, 1))
    services.change_status(c.helene.user, now, "done", "")
    services.change_status(c.helene.user, later, "abandoned", "Plus de budget.")
    assert not now.is_due(date(2027, 6, 1)) and not now.is_overdue(date(2027, 6, 1))
    assert not later.is_due(date(2027, 6, 1))


def test_editing_postpones_and_hands_over_with_a_line_in_the_history(db, club, commit):
    c = club
    commitment = commit(c.helene.user, c.montreuil, responsible_id=c.karim.id)
    changed = services.update_commitment(
        c.helene.user,
        commitment,
        _data(
            title=commitment.title,
            success=commitment.success,
            responsible_id=c.helene.id,
            target=(2027, 2),
            note="Le vote est reporté.",
        ),
    )
    db.session.commit()
    assert changed == ["responsible", "target"]
    commitment = db.session.get(Commitment, commitment.id)
    assert commitment.target_label == "T2 2027" and commitment.responsible_name == "Hélène Durand"
    latest = services.history(commitment)[0]
    assert latest.note == (
        "Personne en charge : Karim Benali → Hélène Durand ; Trimestre visé : T4 2026 → T2 2027.\nLe vote est reporté."
    )
    same = _data(success=commitment.success, responsible_id=c.helene.id, target=(2027, 2))
    assert services.update_commitment(c.helene.user, commitment, same) == []  # nothing changed: nothing written
    assert len(commitment.changes) == 2


def test_an_overdue_commitment_keeps_its_quarter_and_its_former_person_when_edited(db, club, commit, frozen):
    c = club
    commitment = commit(c.helene.user, c.montreuil, responsible_id=c.karim.id, target=(2026, 4))
    frozen.move_to("2027-02-01 09:00:00")
    c.karim.mandate_end_on = date(2027, 1, 15)
    db.session.commit()
    # a new title only: T4 2026 is over and Karim is no longer in office, and both stay as they were
    changed = services.update_commitment(
        c.helene.user,
        commitment,
        _data(title="Adopter le SPASER", success=commitment.success, responsible_id=c.karim.id, target=(2026, 4)),
    )
    assert changed == ["title"]
    with pytest.raises(DomainError) as refused:
        services.update_commitment(c.helene.user, commitment, _data(responsible_id=c.karim.id, target=(2026, 3)))
    assert "target" in refused.value.errors
