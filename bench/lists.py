"""The lists that grow with history, at demo size and at the region's size: does each one stay flat?

Usage: `.venv/bin/python bench/lists.py [--runs 30] [--database-url postgresql+psycopg://…]`
(SQLite in a scratch folder by default; a given database is emptied first). In process, through the whole app
(the test client: nothing leaves the machine), as a signed-in coordinator or member. The database is first
filled at demo size (30 collectivities, 300 people, 12 meetings, 60 registrations and invitations on the
meeting measured, 20 problems, 50 press contacts, 100 practices), every list timed; then rows are added in bulk
up to the region's size (1,300 collectivities, 12,000 people, 208 meetings, 12,000 registrations and 12,000
invitations on that meeting, 2,000 problems, 2,000 press contacts, 5,000 practices) and every list timed
again. Prints p50 and p95 at both sizes and the ratio of the p95s: a paged list is flat when it is close to 1.
Bounded: `--runs` GETs per list and size, nothing else.
"""

import argparse
import re
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mailbench import LocalSmtp, engine_name, fresh_app  # noqa: E402

PASSWORD = "une phrase de passe assez longue"  # noqa: S105 - a scratch database
COORDINATOR = "coordination@bench.example.org"
MEMBER = "membre@bench.example.org"
LEVERS = ["ecosysteme_financement", "soutien_structures", "foncier_tiers_lieux", "achats_responsables"]
THEMES = ["tiers-lieux", "emploi", "alimentation", "mobilité", "réemploi", "insertion", "commande publique"]

DEMO = {
    "collectivities": 30,
    "people": 300,
    "meetings": 12,
    "registrations": 60,
    "problems": 20,
    "contacts": 50,
    "practices": 100,
}
REGION = {
    "collectivities": 1300,
    "people": 12000,
    "meetings": 208,
    "registrations": 12000,
    "problems": 2000,
    "contacts": 2000,
    "practices": 5000,
}


def setup(app) -> int:
    """Accounts, the territories and the meeting whose registrants are listed; returns its id."""
    import sqlalchemy as sa

    from clubess.auth.services import create_user
    from clubess.core.db import now_utc
    from clubess.extensions import db
    from clubess.meetings.models import Meeting
    from clubess.members.territories import load_territories

    with app.app_context():
        load_territories()
        create_user(COORDINATOR, password=PASSWORD, role="coordinator", verified=True)
        create_user(MEMBER, password=PASSWORD, role="member", verified=True)
        starts = now_utc() + timedelta(days=30)
        meeting = Meeting(
            kind="rencontre",
            title="Rencontre mesurée",
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            status="published",
        )
        db.session.add(meeting)
        db.session.commit()
        return db.session.scalar(sa.select(Meeting.id))


def grow(app, meeting_id: int, have: dict[str, int], want: dict[str, int]) -> None:
    """Insert in bulk what is missing to go from `have` to `want` rows of each kind."""
    import sqlalchemy as sa

    from clubess.auth.models import User
    from clubess.core.db import now_utc
    from clubess.extensions import db
    from clubess.meetings.models import Invitation, Meeting, Registration
    from clubess.members.models import Collectivity, Member, Territory
    from clubess.practices.models import MatchFeedback, Practice, Problem
    from clubess.press.models import PressContact

    now = now_utc()

    def span(kind):
        return range(have.get(kind, 0), want[kind])

    with app.app_context():
        territories = list(
            db.session.scalars(
                sa.select(Territory.id)
                .where(Territory.kind.in_(["commune", "epci", "ept"]))
                .order_by(Territory.kind, Territory.id)
            )
        )
        db.session.execute(
            sa.insert(Collectivity),
            [
                {
                    "territory_id": territories[i],
                    "status": "active",
                    "joined_on": date(2019, 1, 1) + timedelta(days=i % 2000),
                    "applied_at": now,
                }
                for i in span("collectivities")
            ],
        )
        collectivities = list(db.session.scalars(sa.select(Collectivity.id).order_by(Collectivity.id)))
        member_user = db.session.scalar(sa.select(User.id).where(User.email == MEMBER))
        people = [
            {
                "collectivity_id": collectivities[i % len(collectivities)],
                "kind": "elu" if i % 3 == 0 else "agent",
                "first_name": "Prénom",
                "last_name": f"Nom {i:05d}",
                "email": f"personne{i}@bench.example.org",
                "user_id": member_user if i == 0 else None,
                "created_at": now,
            }
            for i in span("people")
        ]
        if people:
            db.session.execute(sa.insert(Member), people)
        meetings = [
            {
                "kind": "rencontre" if i % 3 else "atelier_thematique",
                "title": f"Rencontre {i}",
                "starts_at": now - timedelta(days=8 * 365) + timedelta(days=i * 14),
                "ends_at": now - timedelta(days=8 * 365) + timedelta(days=i * 14, hours=3),
                "status": "held",
                "uid": f"bench-{i}@clubess",
                "created_at": now,
                "updated_at": now,
            }
            for i in span("meetings")
        ]
        if meetings:
            db.session.execute(sa.insert(Meeting), meetings)
        registrations = [
            {
                "meeting_id": meeting_id,
                "email": f"r{k}@bench.example.org",
                "name": f"Personne {k:05d}",
                "organisation": f"Commune {k % 1300}",
                "is_guest": True,
                "status": "waitlisted" if k % 20 == 19 else "registered",
                "created_at": now,
                "updated_at": now,
                "queued_at": now + timedelta(seconds=k),
            }
            for k in span("registrations")
        ]
        if registrations:
            db.session.execute(sa.insert(Registration), registrations)
            db.session.execute(
                sa.insert(Invitation),
                [
                    {
                        "meeting_id": meeting_id,
                        "email": r["email"] if k % 2 else f"i{k}@bench.example.org",  # half registered
                        "name": r["name"],
                        "invited_at": now,
                        "response": "declined" if k % 7 == 0 else "none",
                    }
                    for k, r in zip(span("registrations"), registrations, strict=True)
                ],
            )
        statuses = ["published"] * 7 + ["submitted", "draft", "archived"]
        practices = [
            {
                "ref": f"BENCH-{i}",
                "title": f"Pratique {i}",
                "lever": LEVERS[i % 4],
                "status": statuses[i % 10],
                "themes": [THEMES[i % 7]],
                "created_at": now,
                "updated_at": now,
            }
            for i in span("practices")
        ]
        if practices:
            db.session.execute(sa.insert(Practice), practices)
        practice_id = db.session.scalar(sa.select(sa.func.min(Practice.id)))
        problems = [
            {
                "text": f"Problématique {i}",
                "lever": LEVERS[i % 4],
                "themes": [THEMES[i % 7], THEMES[(i * 3) % 7]],
                "collectivity_id": collectivities[i % len(collectivities)],
                "best_score": (i % 10) / 10,
                "best_practice_id": practice_id,
                "created_at": now - timedelta(days=i % 700),
                "updated_at": now,
            }
            for i in span("problems")
        ]
        if problems:
            db.session.execute(sa.insert(Problem), problems)
            new_ids = db.session.scalars(sa.select(Problem.id).order_by(Problem.id.desc()).limit(len(problems)))
            db.session.execute(
                sa.insert(MatchFeedback),
                [
                    {"problem_id": pid, "practice_id": practice_id, "verdict": "not_relevant", "created_at": now}
                    for pid in list(new_ids)[::2]
                ],
            )
        contacts = [
            {
                "email": f"journaliste{i}@bench.example.org",
                "name": f"Journaliste {i:05d}",
                "outlet": f"Média {i % 97}",
                "status": "active",
                "created_at": now,
                "updated_at": now,
            }
            for i in span("contacts")
        ]
        if contacts:
            db.session.execute(sa.insert(PressContact), contacts)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            db.session.execute(sa.text("ANALYZE"))  # a live database has statistics; a bulk load has none yet
            db.session.commit()


def signed_in(app, email: str):
    client = app.test_client()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', client.get("/connexion").get_data(as_text=True))
    response = client.post("/connexion", data={"email": email, "password": PASSWORD, "csrf_token": token.group(1)})
    if response.status_code != 302:
        sys.exit(f"FAILED: login of {email}")
    return client


def lists(meeting_id: int) -> list[tuple[str, str]]:
    """(who, URL) of each list measured."""
    return [
        ("coordinator", "/coordination/problematiques"),
        ("coordinator", f"/coordination/rencontres/{meeting_id}/inscrits"),
        ("coordinator", f"/coordination/rencontres/{meeting_id}/invitations"),
        ("coordinator", "/coordination/presse/contacts"),
        ("coordinator", "/coordination/adhesions?status=active"),
        ("coordinator", "/coordination/rencontres"),
        ("coordinator", "/coordination/pratiques?statut=published"),
        ("member", "/annuaire"),
        ("member", "/bonnes-pratiques"),
    ]


def measure(clients, pages, runs: int) -> dict[str, tuple[float, float, int]]:
    """{URL: (p50 ms, p95 ms, size in KB)} after one warming request each."""
    out = {}
    for who, url in pages:
        client = clients[who]
        first = client.get(url)
        if first.status_code != 200:
            sys.exit(f"FAILED: {url} answered {first.status_code}")
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        print(f"  {url}: p95 {times[int(0.95 * (len(times) - 1))]:.1f} ms", file=sys.stderr, flush=True)
        out[url] = (statistics.median(times), times[int(0.95 * (len(times) - 1))], len(first.data) // 1024)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    app = fresh_app(args.database_url, LocalSmtp())  # no mail is sent: its SMTP server is never started
    meeting_id = setup(app)
    grow(app, meeting_id, {}, DEMO)
    clients = {"coordinator": signed_in(app, COORDINATOR), "member": signed_in(app, MEMBER)}
    pages = lists(meeting_id)
    demo = measure(clients, pages, args.runs)
    print("growing to the region's size…", file=sys.stderr, flush=True)
    grow(app, meeting_id, DEMO, REGION)
    region = measure(clients, pages, args.runs)
    print(f"Lists at demo size and at the region's size ({engine_name(app)}, {args.runs} GETs each)")
    print("region: " + ", ".join(f"{n:,} {what}" for what, n in REGION.items()))
    print(f"{'list':<44} {'demo p50':>8} {'p95':>6} {'region p50':>10} {'p95':>6} {'KB':>4} {'p95 ratio':>9}")
    for _who, url in pages:
        d50, d95, _kb = demo[url]
        r50, r95, kb = region[url]
        shown = re.sub(r"/rencontres/\d+/", "/rencontres/<id>/", url)
        print(f"{shown:<44} {d50:8.1f} {d95:6.1f} {r50:10.1f} {r95:6.1f} {kb:4d} {r95 / d95:9.2f}")
    print("(ms; ratio = region p95 / demo p95: a list that does not grow with history stays close to 1)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
