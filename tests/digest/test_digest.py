"""The members' digest: who receives it, what it says (levers first), exactly once, skipped when nothing is new,
and the one-click unsubscribe. The real outbox worker delivers it to the test SMTP server."""

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from clubess.core.audit import AuditEvent
from clubess.core.errors import DomainError
from clubess.digest import services
from clubess.digest.models import Digest
from clubess.mailing.models import OutboxMessage, Scope, Suppression
from clubess.mailing.suppression import suppress
from clubess.mailing.worker import send_pending
from tests.digest.conftest import at


def _period(key="2026-11"):
    return services.parse_period(key)


def _send(db):
    plan = services.queue_digests(None, _period())
    db.session.commit()
    send_pending()
    return plan


def test_first_digest_lists_the_practices_new_since_last_month_levers_first(db, club):
    plan = services.build_plan(_period())
    assert plan.recipients == 2 and plan.empty == 0
    person, content = plan.people[0]
    assert person.name == "Hélène Durand"
    assert [p.title for p in content.lever_practices] == ["Achats SPASER"]
    assert [p.title for p in content.other_practices] == ["Fonds de prêt"]  # not the draft nor September's


def test_each_person_gets_the_digest_once_however_often_it_runs(db, club, smtp):
    first = _send(db)
    assert first.recipients == 2
    assert sorted(m["To"] for m in smtp.messages) == ["helene@montreuil.fr", "karim@montreuil.fr"]
    mail = smtp.to("helene@montreuil.fr")[0]
    text = smtp.text_of(mail)
    assert text.index("Achats SPASER") < text.index("Fonds de prêt")  # her collectivity's lever first
    assert "Brouillon" not in text and "Ancienne" not in text
    assert "http://localhost/bonnes-pratiques/" in text or "/bonnes-pratiques/" in text
    assert mail["List-Unsubscribe"].startswith("<http")
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "novembre 2026" in mail["Subject"]

    second = _send(db)
    assert second.recipients == 0 and second.already == 2
    assert len(smtp.messages) == 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Digest)) == 2
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 2


def test_nothing_new_sends_nothing(db, active_collectivity, frozen, smtp):
    plan = _send(db)
    assert (plan.recipients, plan.empty) == (0, 2)
    assert smtp.messages == []


def test_next_month_only_what_is_new_since_the_last_digest(db, club, frozen, smtp):
    from clubess.practices.models import Practice

    _send(db)
    smtp.clear()
    frozen.move_to("2026-12-02 08:00:00")
    db.session.add(
        Practice(
            ref="D5",
            title="Tiers-lieu",
            lever="foncier_tiers_lieux",
            status="published",
            published_at=at("2026-11-20 09:00:00"),
        )
    )
    db.session.commit()
    plan = services.queue_digests(None, services.parse_period(""))
    db.session.commit()
    send_pending()
    assert plan.period.key == "2026-12" and plan.recipients == 2
    text = smtp.text_of(smtp.to("helene@montreuil.fr")[0])
    assert "Tiers-lieu" in text and "Achats SPASER" not in text


@pytest.mark.parametrize(
    "change",
    ["no_news", "mandate_ended", "collectivity_left", "unverified", "suppressed"],
)
def test_who_does_not_receive_it(db, club, change):
    karim = club["Karim"]
    if change == "no_news":
        karim.wants_news = False
    elif change == "mandate_ended":
        karim.mandate_end_on = date(2026, 11, 1)
    elif change == "collectivity_left":
        club["collectivity"].status = "left"
    elif change == "unverified":
        karim.user.email_verified_at = None
    else:
        suppress(karim.email, Scope.DIGEST, "unsubscribed")
    db.session.commit()
    plan = services.build_plan(_period())
    names = [person.name for person, _c in plan.people]
    assert "Karim Benali" not in names
    if change == "collectivity_left":
        assert names == []
    else:
        assert names == ["Hélène Durand"]
    assert plan.suppressed == (1 if change == "suppressed" else 0)


def test_one_click_unsubscribe_stops_the_digest_and_unticks_the_preference(db, club, smtp, client):
    _send(db)
    link = smtp.to("karim@montreuil.fr")[0]["List-Unsubscribe"].strip("<>")
    response = client.post(smtp.local_path(link), data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 204
    db.session.expire_all()
    karim = db.session.get(type(club["Karim"]), club["Karim"].id)
    assert karim.wants_news is False
    assert db.session.scalar(sa.select(Suppression.scope).where(Suppression.email == "karim@montreuil.fr")) == "digest"
    assert [p.name for p, _c in services.build_plan(_period()).people] == []  # Hélène already has hers
    # ticking the box again in the profile brings the digest back
    from clubess.members.services import update_profile

    update_profile(karim.user, karim, {"wants_news": True})
    db.session.commit()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Suppression)) == 0


def test_a_queued_digest_is_not_sent_after_the_person_opts_out(db, club, smtp):
    services.queue_digests(None, _period())
    club["Karim"].wants_news = False
    db.session.commit()
    stats = send_pending()
    assert [m["To"] for m in smtp.messages] == ["helene@montreuil.fr"]
    assert stats["skipped"] == 1


def test_a_digest_whose_news_was_withdrawn_is_not_sent(db, club, smtp):
    services.queue_digests(None, _period())
    for practice in club["practices"].values():
        practice.status = "archived"
    db.session.commit()
    send_pending()
    assert smtp.messages == []


def test_problems_answered_meetings_communiques_and_resources(db, club, frozen, smtp):
    from clubess.meetings.models import Meeting, Registration
    from clubess.practices.models import MatchFeedback, Problem
    from clubess.press.models import Communique
    from clubess.resources.models import Document

    problem = Problem(text="Comment financer une recyclerie ?", collectivity_id=club["collectivity"].id)
    other = Problem(text="Une problématique d’ailleurs", collectivity_id=None)
    db.session.add_all([problem, other])
    db.session.flush()
    db.session.add(
        MatchFeedback(
            problem_id=problem.id,
            practice_id=club["practices"]["D2"].id,
            verdict="useful",
            created_at=at("2026-11-02 10:00:00"),
        )
    )
    meeting = Meeting(
        kind="rencontre",
        title="Rencontre de décembre",
        status="published",
        starts_at=at("2026-12-10 09:00:00"),
        ends_at=at("2026-12-10 12:00:00"),
    )
    db.session.add(meeting)
    db.session.add(
        Communique(
            slug="bilan", title="Le bilan de l’année", status="published", published_at=at("2026-11-03 09:00:00")
        )
    )
    db.session.add(
        Communique(
            slug="embargo",
            title="Sous embargo",
            status="published",
            published_at=at("2026-11-03 09:00:00"),
            embargo_until=at("2026-11-20 09:00:00"),
        )
    )
    db.session.add(
        Document(
            title="Guide des achats",
            kind="guide",
            visibility="members",
            url="https://example.org/g",
            created_at=at("2026-11-04 09:00:00"),
        )
    )
    db.session.flush()
    db.session.add(
        Registration(
            meeting_id=meeting.id,
            member_id=club["Karim"].id,
            email="karim@montreuil.fr",
            name="Karim Benali",
            status="registered",
        )
    )
    db.session.commit()

    plan = services.build_plan(_period())
    contents = {p.name: c for p, c in plan.people}
    helene, karim = contents["Hélène Durand"], contents["Karim Benali"]
    assert [p.text for p in helene.problems] == ["Comment financer une recyclerie ?"]
    assert [m.title for m in helene.meetings] == ["Rencontre de décembre"]
    assert karim.meetings == []  # already registered
    assert [c.title for c in helene.communiques] == ["Le bilan de l’année"]  # not the one under embargo
    assert [d.title for d in helene.resources] == ["Guide des achats"]

    _send(db)
    text = smtp.text_of(smtp.to("helene@montreuil.fr")[0])
    for expected in (
        "Comment financer une recyclerie ?",
        "Rencontre de décembre",
        "Le bilan de l’année",
        "Guide des achats",
    ):
        assert expected in text
    # the next month: the communiqué out of embargo since is news; the meeting already announced is not
    frozen.move_to("2026-12-02 08:00:00")
    plan = services.build_plan(services.parse_period(""))
    helene = dict((p.name, c) for p, c in plan.people)["Hélène Durand"]
    assert [c.title for c in helene.communiques] == ["Sous embargo"]
    assert [m.title for m in helene.meetings] == ["Rencontre de décembre"] and helene.new_meeting_ids == []
    helene.communiques = []
    assert helene.is_empty


@pytest.mark.parametrize("value", ["2026-13", "26-11", "2026-11-01", "x" * 500, "9999-01", "2027-01"])
def test_an_unknown_or_future_period_is_refused(db, frozen, value):
    with pytest.raises(DomainError):
        services.parse_period(value)


def test_cli_prints_the_counts_and_queues_once(app, db, club):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["digest", "send", "--dry-run"])
    assert "would queue: 2" in result.output, result.output
    assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0
    result = runner.invoke(args=["digest", "send", "--period", "2026-11"])
    assert "queued: 2, skipped (nothing new): 0, suppressed: 0" in result.output, result.output
    result = runner.invoke(args=["digest", "send"])
    assert "queued: 0" in result.output and "already queued this month: 2" in result.output
    result = runner.invoke(args=["digest", "send", "--period", "2026-99"])
    assert result.exit_code != 0 and "AAAA-MM" in result.output
    assert db.session.scalar(sa.select(AuditEvent.action).where(AuditEvent.action == "digest.queued").limit(1))


def test_the_plan_takes_a_fixed_number_of_queries(db, club, count_queries):
    from clubess.members.models import Member
    from clubess.practices.models import Practice

    with count_queries() as small:
        services.build_plan(_period())
    for n in range(15):
        user_email = f"agent{n}@montreuil.fr"
        from tests.factories import UserFactory

        user = UserFactory(email=user_email)
        db.session.add(
            Member(
                collectivity=club["collectivity"],
                kind="agent",
                first_name="A",
                last_name=str(n),
                email=user_email,
                user=user,
            )
        )
        db.session.add(
            Practice(
                ref=f"X{n}",
                title=f"Pratique {n}",
                lever="soutien_structures",
                status="published",
                published_at=at("2026-11-01 09:00:00") + timedelta(hours=n),
            )
        )
    db.session.commit()
    with count_queries() as large:
        plan = services.build_plan(_period())
    assert plan.recipients == 17
    assert large.count == small.count


def test_a_problem_whose_best_answer_is_a_solution_published_in_the_month_is_news(db, club, frozen):
    """A problem answered best by an ESS actor's solution published in the month is in the digest, like one
    answered by a practice; the same solution published long before is not news."""
    from clubess.actors.models import Organisation, Solution
    from clubess.practices.models import Problem

    structure = Organisation(name="Recyclerie du Bas-Montreuil", kind="association")
    db.session.add(structure)
    db.session.flush()
    solution = Solution(
        ref="S-RECYCLERIE",
        organisation_id=structure.id,
        title="Une ressourcerie mobile",
        lever="soutien_structures",
        status="published",
        published_at=at("2026-11-05 10:00:00"),
    )
    db.session.add(solution)
    db.session.flush()
    db.session.add(
        Problem(
            text="Les encombrants finissent à la benne",
            collectivity_id=club["collectivity"].id,
            best_solution_id=solution.id,
            best_score=0.7,
        )
    )
    db.session.commit()
    people = dict((p.name, c) for p, c in services.build_plan(_period()).people)
    assert [p.text for p in people["Hélène Durand"].problems] == ["Les encombrants finissent à la benne"]
    solution.published_at = at("2025-06-20 10:00:00")
    db.session.commit()
    people = dict((p.name, c) for p, c in services.build_plan(_period()).people)
    assert "Hélène Durand" not in people or people["Hélène Durand"].problems == []
