"""Following commitments at meetings: which meeting follows which, what is due there, the generated agenda item."""

from datetime import time

import pytest
import sqlalchemy as sa

from clubess.commitments import followup, services
from clubess.core.errors import DomainError
from clubess.meetings.models import AgendaItem
from tests.fixtures_meetings import PARIS
from tests.pages import get_page


def test_the_next_meeting_is_the_next_of_the_series_skipping_cancelled_ones(club):
    # S1 → S2: the cancelled C (same series) and R (no series, in between) are not it
    assert followup.next_meeting(club.s1).id == club.s2.id
    assert followup.next_meeting(club.s2).id == club.s3.id


def test_without_a_series_the_next_meeting_is_the_next_rencontre(club, make_meeting, db):
    # the workshop W has no series: the next rencontre follows it (R, not the cancelled C, not another workshop)
    make_meeting(day=(2026, 10, 20), title="Webinaire", kind="webinaire")
    assert followup.next_meeting(club.workshop).id == club.extra.id


def test_when_the_series_ends_the_next_rencontre_follows(club, make_meeting, db):
    assert followup.next_meeting(club.s3) is None  # nothing planned after March 2027
    later = make_meeting(day=(2027, 6, 17), title="Rencontre de juin 2027")
    assert followup.next_meeting(club.s3).id == later.id


def test_due_at_a_meeting_the_open_commitments_it_follows_whose_quarter_started(db, club, commit):
    c = club
    at_s1 = commit(c.helene.user, c.montreuil, title="Ouvrir un tiers-lieu", meeting_id=c.s1.id, target=(2026, 4))
    next_year = commit(c.helene.user, c.montreuil, title="Voter le SPASER", meeting_id=c.s1.id, target=(2027, 1))
    done = commit(c.helene.user, c.montreuil, title="Former les agents", meeting_id=c.s1.id)
    services.change_status(c.helene.user, done, "done", "")
    at_workshop = commit(c.sofia.user, c.saint_ouen, title="Recenser les ressourceries", meeting_id=c.workshop.id)
    outside = commit(c.coordinator, c.lhay, title="Nommer un élu à l’ESS", responsible_id=c.paul.id)
    db.session.commit()

    def titles(meeting):
        return [x.title for x in followup.due_at(meeting)]

    # R (19/11/2026, a rencontre outside any series): the workshop's (it has no series) and the one made outside a
    # meeting; not S1's, whose series goes on
    assert titles(club.extra) == ["Nommer un élu à l’ESS", "Recenser les ressourceries"]
    # S2 (10/12/2026, a rencontre of S1's series): S1's for T4 2026 as well; not T1 2027, not the done one
    assert titles(club.s2) == ["Nommer un élu à l’ESS", "Ouvrir un tiers-lieu", "Recenser les ressourceries"]
    # S3 (18/03/2027): T1 2027 has started too; the T4 2026 ones still open are there again (overdue)
    assert titles(club.s3) == [
        "Nommer un élu à l’ESS",
        "Ouvrir un tiers-lieu",
        "Voter le SPASER",
        "Recenser les ressourceries",
    ]
    assert titles(club.cancelled) == []
    assert {at_s1.id, next_year.id, at_workshop.id, outside.id} == {x.id for x in followup.due_at(club.s3)}


def _items(db, meeting):
    return db.session.scalars(
        sa.select(AgendaItem).where(AgendaItem.meeting_id == meeting.id, AgendaItem.kind == "suivi_engagements")
    ).all()


def test_the_coordinator_generates_the_follow_up_item_and_a_second_time_updates_it(
    app, db, client, club, commit, frozen
):
    c = club
    first = commit(c.helene.user, c.montreuil, title="Ouvrir un tiers-lieu", meeting_id=c.s1.id)
    client.login(c.coordinator.email)
    page = get_page(client, f"/coordination/rencontres/{c.s2.id}").get_data(as_text=True)
    assert "1 engagement est à suivre à cette rencontre" in page
    url = f"/coordination/rencontres/{c.s2.id}/suivi-engagements"
    form_url = f"/coordination/rencontres/{c.s2.id}"
    response = client.submit(url, {}, form_url=form_url)
    assert response.status_code == 302 and response.headers["Location"].endswith("#engagements")
    [item] = _items(db, c.s2)
    assert item.title == "Suivi des engagements"
    assert item.description == (
        "Engagements à suivre (trimestre visé commencé, ni réalisés ni abandonnés) :\n\n"
        "Montreuil\n- Ouvrir un tiers-lieu — Prévu — en charge : Hélène Durand — T4 2026"
    )
    # after the agenda's last item, for half an hour
    assert item.starts_at == max(i.ends_at for i in c.s2.items if i.id != item.id)
    assert (item.ends_at - item.starts_at).total_seconds() == 1800
    # the référent updates, a second commitment comes: generating again rewrites the same item
    services.change_status(c.helene.user, first, "in_progress", "Local trouvé.")
    commit(c.sofia.user, c.saint_ouen, title="Recenser les ressourceries", meeting_id=c.s1.id, target=(2026, 4))
    moved = item.starts_at - c.s2.starts_at  # the coordinator moves it to the start
    item.starts_at, item.ends_at = item.starts_at - moved, item.ends_at - moved
    db.session.commit()
    client.submit(url, {}, form_url=form_url)
    db.session.expire_all()
    [again] = _items(db, c.s2)
    assert again.id == item.id and again.starts_at == c.s2.starts_at
    assert again.description.endswith(
        "Montreuil\n- Ouvrir un tiers-lieu — En cours — en charge : Hélène Durand — T4 2026\n\n"
        "Saint-Ouen-sur-Seine\n- Recenser les ressourceries — Prévu — en charge : Sofia Martin — T4 2026"
    )
    page = get_page(client, f"/coordination/rencontres/{c.s2.id}").get_data(as_text=True)
    assert "Mettre à jour le point « Suivi des engagements »" in page


def test_a_template_slot_of_the_series_is_filled_instead_of_adding_an_item(db, club, commit):
    from clubess.meetings import programme

    c = club
    slot = programme.save_item(
        c.coordinator, c.s2, None, "Où en sont nos engagements ?", "suivi_engagements",
        c.s2.starts_at, c.s2.starts_at.replace(minute=45),
    )  # fmt: skip
    commit(c.helene.user, c.montreuil, meeting_id=c.s1.id)
    result = followup.generate_follow_up(c.coordinator, c.s2)
    assert result.item.id == slot.id and not result.created and result.count == 1
    assert result.item.title == "Où en sont nos engagements ?" and "Adopter un SPASER" in result.item.description


def test_a_full_agenda_gets_the_item_over_its_last_half_hour(db, club, commit):
    from clubess.meetings import programme

    c = club
    programme.save_item(c.coordinator, c.s2, None, "Table ronde", "table_ronde", c.s2.starts_at, c.s2.ends_at)
    commit(c.helene.user, c.montreuil, meeting_id=c.s1.id)
    result = followup.generate_follow_up(c.coordinator, c.s2)
    assert result.overlaps and result.item.ends_at == c.s2.ends_at
    assert result.item.starts_at.astimezone(PARIS).time() == time(12, 0)


def test_no_follow_up_without_anything_due_nor_for_a_held_or_cancelled_meeting(db, client, club, commit):
    c = club
    with pytest.raises(DomainError):
        followup.generate_follow_up(c.coordinator, c.s2)  # nothing due yet
    commit(c.helene.user, c.montreuil, meeting_id=c.s1.id)
    for meeting in (c.s1, c.cancelled):
        with pytest.raises(DomainError):
            followup.generate_follow_up(c.coordinator, meeting)
    with pytest.raises(Exception) as refused:
        followup.generate_follow_up(c.helene.user, c.s2)
    assert type(refused.value).__name__ == "Forbidden"
    db.session.rollback()
    assert _items(db, c.s2) == [] and _items(db, c.s1) == []
    client.login(c.coordinator.email)
    held = client.submit(
        f"/coordination/rencontres/{c.s1.id}/suivi-engagements", {}, form_url=f"/coordination/rencontres/{c.s2.id}"
    )
    assert held.status_code == 302
    assert "ni annulée ni tenue" in client.get(held.headers["Location"]).get_data(as_text=True)


def test_the_public_page_keeps_the_list_for_members(db, client, club, commit):
    c = club
    commit(c.helene.user, c.montreuil, title="Ouvrir un tiers-lieu", meeting_id=c.s1.id)
    followup.generate_follow_up(c.coordinator, c.s2)
    db.session.commit()
    visitor = get_page(client, f"/rencontres/{c.s2.id}").get_data(as_text=True)
    assert "Suivi des engagements" in visitor and "Ouvrir un tiers-lieu" not in visitor
    assert "Hélène Durand" not in visitor and "réservée aux membres" in visitor
    client.login(c.karim.email)
    member = get_page(client, f"/rencontres/{c.s2.id}").get_data(as_text=True)
    assert "Ouvrir un tiers-lieu" in member
