"""A hand-counted club for the dashboard's figures (now: Sunday 15 November 2026, 13:00 in Paris).

Members on 15 Nov 2026: Montreuil (joined 15 Jan), Saint-Ouen (1 Feb), L'Haÿ (1 Mar), Est Ensemble (EPT with
Montreuil inside, 10 May), Entre Deux (EPCI with a commune in 93 and one in 94, 1 Aug) → 5: 3 communes, 1 EPT,
1 EPCI; 93: 4 (Montreuil, Saint-Ouen, Est Ensemble, Entre Deux), 94: 2 (L'Haÿ, Entre Deux). Seine-Saint-Denis
(joined 2024) left on 31 Mar 2026: a member in the first quarter only. Commune Nord applied (pending).
Population covered: Montreuil 111 934 (once, though Est Ensemble covers it too) + Saint-Ouen 51 000 + L'Haÿ
31 000 + Nord 10 000 + Sud 20 000 = 223 934 of 12 000 000. On 31 Mar: Seine-Saint-Denis covers Montreuil,
Saint-Ouen and Nord: 111 934 + 51 000 + 10 000 + L'Haÿ 31 000 = 203 934.
New members 2026 by quarter: 3, 1, 1, 0.
People in office on 15 Nov: élus Hélène, Sofia, Paul (3); agents Karim, Léo (2). Ancien (élu, mandate ended
30 Jun), Dept (agent of Seine-Saint-Denis) and an erased élu are not; on 31 Mar: élus 4, agents 3.
Accounts: Hélène, Karim, Sofia (3); Hélène signed in on 1 Oct 2026, Karim last on 1 Dec 2025 → 1 in 2026.
Meetings: R1 (12 Mar, held) presences Hélène, Karim, Paul; R2 (11 Jun, held) Hélène and Léo (walk-in); C1
cancelled and D1 draft count nothing → per quarter meetings 1, 1, 0, 0 and presences 3, 2, 0, 0.
Next: N1 (10 Dec, capacity 10): seated Hélène, Karim, Paul (offered, expires in 24 h) = 3 → 30 %, Sofia
waitlisted, Léo cancelled; made in the last 7 days: Hélène, Sofia, Paul = 3, 7 to 14 days ago: Karim = 1. N2
(14 Jan 2027) has no capacity and no registration.
Never came in 2026: Est Ensemble, Entre Deux, Seine-Saint-Denis (3 of 6 members of the year).
Practices: soutien_structures 2 published + 1 submitted; achats_responsables 1 published, 1 draft, 1 archived.
Problems 2026 stated per quarter 1, 1, 2, 0 (P5 was stated in Dec 2025); answered (first useful or already
done verdict) Q1 P5, Q2 P1 → 1, 1, 0, 0. Without a good answer: P2 (weak best score), P3 (not relevant) = 2.
Themes 2026: tiers-lieux 2 (P1, P2), emploi 1, foncier 1.
Press 2026: communiqués A (1 Mar) and B (1 Sep) sent = 2; reach a, b, d = 3; bounced c = 1; one unsubscribe on
1 Jun (another in 2025). Bounced contacts: 1. Failed mail: 2.
"""

from datetime import UTC, date, datetime, time

import pytest

from clubess.mailing.models import OutboxMessage
from clubess.members.hierarchy import refresh_links
from clubess.members.models import Collectivity, Member, Territory
from clubess.practices.models import MatchFeedback, Practice, Problem
from clubess.press.models import Communique, Delivery, PressContact
from tests.fixtures_meetings import paris
from tests.meetings.test_attendance import register

NOW = "2026-11-15 12:00:00"


def utc(y, m, d, hh=12):
    return datetime(y, m, d, hh, tzinfo=UTC)


@pytest.fixture
def club(db, people, territories, make_meeting):
    add = db.session.add_all
    entre = Territory(code="200000001", kind="epci", name="Entre Deux", search_name="entre deux", population=30000)
    nord = Territory(
        code="93998", kind="commune", name="Commune Nord", search_name="commune nord", department_code="93",
        parent_code="200000001", population=10000,
    )  # fmt: skip
    sud = Territory(
        code="94998", kind="commune", name="Commune Sud", search_name="commune sud", department_code="94",
        parent_code="200000001", population=20000,
    )  # fmt: skip
    add([entre, nord, sud])
    db.session.flush()
    est = Collectivity(territory=territories["200057875"], status="active", joined_on=date(2026, 5, 10))
    epci = Collectivity(territory=entre, status="active", joined_on=date(2026, 8, 1))
    dept = Collectivity(
        territory=territories["93"], status="left", joined_on=date(2024, 1, 1), left_on=date(2026, 3, 31)
    )
    add([est, epci, dept, Collectivity(territory=nord, status="pending")])
    montreuil = people["helene"].collectivity
    add(
        [
            Member(collectivity=montreuil, kind="elu", first_name="A", last_name="Ancien", email="a@m.fr",
                   mandate_end_on=date(2026, 6, 30)),
            Member(collectivity=dept, kind="agent", first_name="D", last_name="Dept", email="d@93.fr"),
            Member(collectivity=montreuil, kind="elu", first_name="", last_name="", email="x@m.fr",
                   anonymised_at=utc(2026, 2, 1)),
        ]
    )  # fmt: skip
    people["helene"].user.last_login_at = utc(2026, 10, 1)
    people["karim"].user.last_login_at = utc(2025, 12, 1)
    refresh_links()
    db.session.commit()

    p = people
    r1 = make_meeting(day=(2026, 3, 12), status="held", title="R1")
    r2 = make_meeting(day=(2026, 6, 11), status="held", title="R2")
    c1 = make_meeting(day=(2026, 10, 1), status="cancelled", title="C1")
    d1 = make_meeting(day=(2026, 11, 5), status="draft", title="D1", start=time(9), end=time(10))
    n1 = make_meeting(day=(2026, 12, 10), title="N1", capacity=10)
    make_meeting(day=(2027, 1, 14), title="N2")
    for meeting, who in (
        (r1, [("helene", "present"), ("karim", "present"), ("sofia", "absent"), ("paul", "present")]),
        (r2, [("helene", "present")]),
        (c1, [("sofia", "present")]),
        (d1, [("karim", "present")]),
    ):
        for name, attendance in who:
            register(db, meeting, p[name], attendance=attendance)
    register(db, r2, p["leo"], attendance="present", is_walk_in=True)
    register(db, n1, p["helene"], created_at=utc(2026, 11, 13))
    register(db, n1, p["karim"], created_at=utc(2026, 11, 5))
    register(db, n1, p["sofia"], status="waitlisted", created_at=utc(2026, 11, 14))
    register(db, n1, p["paul"], status="offered", offer_expires_at=utc(2026, 11, 16), created_at=utc(2026, 11, 15, 9))
    register(db, n1, p["leo"], status="cancelled", created_at=utc(2026, 11, 14))

    def practice(ref, lever, status):
        return Practice(ref=ref, title=ref, lever=lever, status=status)

    practices = [
        practice("P-1", "soutien_structures", "published"),
        practice("P-2", "soutien_structures", "published"),
        practice("P-3", "soutien_structures", "submitted"),
        practice("P-4", "achats_responsables", "published"),
        practice("P-5", "achats_responsables", "draft"),
        practice("P-6", "achats_responsables", "archived"),
    ]
    add(practices)
    db.session.flush()
    good = practices[0].id

    def problem(text, created, themes, score, **kwargs):
        # the decision matching stores (practices.problems.decide): a verdict « utile » or a strong best match
        answered = score >= 0.5 and not kwargs.pop("rejected", False)
        return Problem(text=text, created_at=created, themes=themes, best_score=score, is_answered=answered, **kwargs)

    p1 = problem("P1", utc(2026, 2, 10), ["Tiers-lieux", "foncier"], 0.9)
    p2 = problem("P2", utc(2026, 5, 20), ["tiers-lieux "], 0.2)
    p3 = problem("P3", utc(2026, 8, 1), ["Emploi"], 0.9, rejected=True)  # its answer judged not relevant
    p4 = problem("P4", utc(2026, 9, 1), [], 0.1, status="closed")
    p5 = problem("P5", utc(2025, 12, 20), ["Emploi"], 0.9)
    add([p1, p2, p3, p4, p5])
    db.session.flush()
    add(
        [
            MatchFeedback(problem_id=p1.id, practice_id=good, verdict="useful", created_at=utc(2026, 4, 5)),
            MatchFeedback(problem_id=p3.id, practice_id=good, verdict="not_relevant", created_at=utc(2026, 8, 2)),
            MatchFeedback(problem_id=p5.id, practice_id=good, verdict="already_done", created_at=utc(2026, 1, 10)),
        ]
    )

    def communique(slug, status, published):
        return Communique(slug=slug, title=slug, status=status, published_at=published)

    a = communique("a", "published", utc(2026, 3, 1))
    b = communique("b", "published", utc(2026, 9, 1))
    old = communique("old", "published", utc(2025, 11, 1))
    add([a, b, old, communique("draft", "draft", None)])
    db.session.flush()

    def delivery(c, email, status, at):
        return Delivery(
            communique_id=c.id, email=email, status=status, queued_at=at, sent_at=at if status == "sent" else None
        )

    add(
        [
            delivery(a, "a@presse.fr", "sent", utc(2026, 3, 1)),
            delivery(a, "b@presse.fr", "sent", utc(2026, 3, 1)),
            delivery(a, "c@presse.fr", "bounced", utc(2026, 3, 1)),
            delivery(b, "a@presse.fr", "sent", utc(2026, 9, 1)),
            delivery(b, "d@presse.fr", "sent", utc(2026, 9, 1)),
            delivery(old, "e@presse.fr", "sent", utc(2025, 11, 1)),
            PressContact(email="x@presse.fr", status="unsubscribed", status_changed_at=utc(2026, 6, 1)),
            PressContact(email="y@presse.fr", status="unsubscribed", status_changed_at=utc(2025, 6, 1)),
            PressContact(email="z@presse.fr", status="bounced", status_changed_at=utc(2026, 7, 1)),
            PressContact(email="w@presse.fr", status="active"),
        ]
    )
    for n, status in enumerate(["failed", "failed", "sent", "queued"]):
        add([OutboxMessage(recipient=f"m{n}@example.org", subject="s", body_text="t", category="x", status=status)])
    db.session.commit()
    return {"n1": n1, "paris": paris}
