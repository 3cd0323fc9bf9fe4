"""The region at full size for bench/scale.py, in bulk inserts: collectivities, people, eight years of meetings
with agendas and registrations, practices (with their index rows and reused embeddings), problems, the press."""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import numpy as np
import sqlalchemy as sa

PASSWORD = "une phrase de passe assez longue"  # noqa: S105 - a scratch database
FIRST_NAMES = ["Hélène", "Karim", "Sofia", "Léo", "Paul", "Aïcha", "Mathieu", "Inès", "Thomas", "Nadia", "Éric", "Zoé"]
LAST_NAMES = ["Martin", "Benali", "Petit", "Roux", "Nguyen", "Durand", "Moreau", "Traoré", "Lefèvre", "Garnier"]
FUNCTIONS = [
    "adjointe déléguée à l'ESS",
    "conseiller municipal",
    "chargée de mission ESS",
    "directeur du développement",
]
KINDS = ["atelier_thematique", "atelier_thematique", "atelier_territorial", "atelier_territorial", "webinaire"]
ITEM_KINDS = ["accueil", "intervention", "retour_experience", "table_ronde", "pause", "echange_bonnes_pratiques"]
TOPICS = [
    "les tiers-lieux", "la commande publique responsable", "le réemploi", "l'insertion des jeunes",
    "l'alimentation durable", "les monnaies locales", "la mobilité solidaire", "le foncier pour l'ESS",
]  # fmt: skip
DEPARTMENTS = ["75", "77", "78", "91", "92", "93", "94", "95"]


@dataclass(frozen=True)
class Sizes:
    practices: int = 5000
    problems: int = 2000
    contacts: int = 2000
    years: int = 8


def app_for(url: str):
    from clubess import create_app
    from config import TestingConfig

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = url
        TESTING = False
        MATCH_SEMANTIC = True

    return create_app(Config)


def empty(url: str) -> None:
    """Drop every table of the bench database (`flask db upgrade` then builds the schema again)."""
    app = app_for(url)
    with app.app_context():
        from clubess.extensions import db

        tables = sa.MetaData()
        tables.reflect(db.engine)
        tables.drop_all(db.engine)
        db.engine.dispose()


def build(url: str, sizes: Sizes, semantic: bool, rng: random.Random) -> tuple[dict, dict]:
    """Insert everything; returns (what was made, the ids and accounts the bench needs)."""
    sys_path_bench()
    from search import generate  # bench/search.py: practices and their index rows, as the engine writes them

    app = app_for(url)
    with app.app_context():
        from clubess.extensions import db

        generate(db, sizes.practices)  # first: it empties the practices' tables
        if db.engine.dialect.name == "postgresql":
            db.session.execute(sa.text("SELECT setval('practices_id_seq', (SELECT max(id) FROM practices))"))
        if semantic:
            _vectors(db, rng)
        counts = {"practices": sizes.practices}
        ids = _people(db, rng, counts)
        ids |= _meetings(db, rng, sizes.years, counts)
        ids |= _problems_and_press(db, rng, sizes, counts)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":  # what autovacuum does after a bulk load
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.execute(sa.text("VACUUM ANALYZE"))
        db.engine.dispose()
    return counts, ids


def sys_path_bench() -> None:
    import sys
    from pathlib import Path

    here = str(Path(__file__).resolve().parent)
    if here not in sys.path:
        sys.path.insert(0, here)


def _vectors(db, rng: random.Random) -> None:
    """Each distinct sentence embedded once, reused by every passage holding it; whole text: mean + noise."""
    from clubess.practices.models import Practice, PracticePassage, PracticeVector
    from clubess.practices.search import passages, semantic

    name, sentence_model = semantic.model_name(), semantic.sentence_model_name()
    known: dict[str, np.ndarray] = {}
    noise = np.random.default_rng(rng.randrange(2**32))
    last = 0
    while True:
        batch = db.session.execute(
            sa.select(Practice.id, Practice.title, Practice.summary, Practice.description)
            .where(Practice.id > last)
            .order_by(Practice.id)
            .limit(2000)
        ).all()
        if not batch:
            return
        last = batch[-1].id
        split = {row.id: passages.split(row.title, row.summary, row.description) for row in batch}
        new = sorted({s for sentences in split.values() for s in sentences} - known.keys())
        for start in range(0, len(new), 256):
            chunk = new[start : start + 256]
            known.update(zip(chunk, semantic.embed_sentences(chunk), strict=True))
        wholes, rows = [], []
        for practice_id, sentences in split.items():
            if not sentences:
                continue
            matrix = np.vstack([known[s] for s in sentences])
            whole = matrix.mean(axis=0) + noise.normal(0, 0.01, matrix.shape[1]).astype(np.float32)
            whole /= np.linalg.norm(whole)
            wholes.append({"practice_id": practice_id, "model": name, "vector": semantic.to_bytes(whole)})
            rows += [
                {"practice_id": practice_id, "model": sentence_model, "position": i, "vector": semantic.to_bytes(v)}
                for i, v in enumerate(matrix)
            ]
        db.session.execute(sa.insert(PracticeVector), wholes)
        db.session.execute(sa.insert(PracticePassage), rows)
        db.session.commit()


def _people(db, rng: random.Random, counts: dict) -> dict:
    from clubess.auth.models import User
    from clubess.auth.passwords import hash_password
    from clubess.auth.services import create_user
    from clubess.core.db import now_utc
    from clubess.members.models import Collectivity, Member, Territory

    now = now_utc()
    coordinator = "coordination@bench.example.org"
    create_user(coordinator, password=PASSWORD, role="coordinator", verified=True)
    territories = db.session.execute(
        sa.select(Territory.id, Territory.kind, Territory.code).where(Territory.kind != "region").order_by(Territory.id)
    ).all()
    collectivities = []
    for i, t in enumerate(territories):
        status = "active" if t.kind == "commune" else ("pending", "active", "rejected")[i % 3]
        applied = now - timedelta(days=rng.randrange(20, 2900)) if status != "pending" else now - timedelta(days=i % 40)
        collectivities.append(
            {
                "territory_id": t.id,
                "status": status,
                "applied_at": applied,
                "confirmed_at": applied,
                "decided_at": applied + timedelta(days=12) if status != "pending" else None,
                "joined_on": (applied + timedelta(days=12)).date() if status == "active" else None,
                "rejection_reason": "Hors du périmètre du club." if status == "rejected" else None,
                "application_message": f"Nous souhaitons rejoindre le club pour travailler sur {TOPICS[i % 8]}.",
            }
        )
    db.session.execute(sa.insert(Collectivity), collectivities)
    made = db.session.execute(
        sa.select(Collectivity.id, Territory.kind, Territory.code).join(Territory).order_by(Collectivity.id)
    ).all()
    hashed = hash_password(PASSWORD)
    users, people = [], []
    for c in made:
        size = 10 if c.kind == "commune" else 2
        for k in range(size):
            n = len(people)
            email = f"personne{n}@{c.code}.bench.example.org"
            people.append(
                {
                    "collectivity_id": c.id,
                    "kind": "elu" if k < 3 else "agent",
                    "first_name": FIRST_NAMES[n % 12],
                    "last_name": f"{LAST_NAMES[n % 10]}-{n}",
                    "function": FUNCTIONS[k % 4],
                    "email": email,
                    "mandate_start_on": date(2020, 7, 1) if k < 3 else None,
                    "mandate_end_on": date(2025, 12, 31) if n % 23 == 0 else None,
                    "consent_at": now,
                    "show_email": k % 2 == 0,
                    "interests": [TOPICS[n % 8]],
                    "created_at": now,
                }
            )
            if k == 0:
                users.append({"email": email, "password_hash": hashed, "role": "member", "email_verified_at": now})
    db.session.execute(sa.insert(User), users)
    user_ids = dict(db.session.execute(sa.select(User.email, User.id)).all())
    for person in people:
        person["user_id"] = user_ids.get(person["email"])
    db.session.execute(sa.insert(Member), people)
    db.session.execute(
        sa.update(Collectivity).values(
            referent_id=sa.select(sa.func.min(Member.id))
            .where(Member.collectivity_id == Collectivity.id)
            .scalar_subquery()
        )
    )
    # the member the bench signs in as: Montreuil's référent, with a personal calendar link
    member = db.session.execute(
        sa.select(Member.email, Member.user_id)
        .join(Collectivity, Collectivity.id == Member.collectivity_id)
        .join(Territory, Territory.id == Collectivity.territory_id)
        .where(Territory.kind == "commune", Territory.code == "93048", Member.user_id.is_not(None))
    ).first()
    token = "bench-" + "k" * 30
    db.session.execute(sa.update(User).where(User.id == member.user_id).values(calendar_token=token))
    db.session.commit()
    counts["collectivities"] = len(collectivities)
    counts["people"] = len(people)
    counts["accounts"] = len(users) + 1
    return {"member_email": member.email, "coordinator_email": coordinator, "calendar_token": token}


def _quarters(years: int) -> list[date]:
    """The first day of each quarter: `years` years ending with the quarter to come."""
    today = date.today()
    current = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    out = []
    for back in range(4 * years - 2, -2, -1):
        month = current.month - 3 * back
        year = current.year + (month - 1) // 12
        out.append(date(year, (month - 1) % 12 + 1, 1))
    return out


def _meetings(db, rng: random.Random, years: int, counts: dict) -> dict:
    from zoneinfo import ZoneInfo

    from clubess.core.db import now_utc
    from clubess.meetings.models import AgendaItem, Meeting, Registration, Speaker, agenda_item_speakers
    from clubess.members.models import Member

    paris, now = ZoneInfo("Europe/Paris"), now_utc()
    db.session.execute(
        sa.insert(Speaker),
        [
            {"name": f"{FIRST_NAMES[i % 12]} {LAST_NAMES[i % 10]}", "organisation": f"Structure {i}", "kind": kind}
            for i in range(300)
            for kind in [("elu", "expert", "structure_ess", "partenaire")[i % 4]]
        ],
    )
    speakers = list(db.session.scalars(sa.select(Speaker.id)))
    practices = list(db.session.scalars(sa.select(sa.text("id")).select_from(sa.table("practices")).limit(500)))
    meetings = []
    for q, first in enumerate(_quarters(years)):
        for k, kind in enumerate(["rencontre", *KINDS]):
            day = first + timedelta(days=35 + 9 * k)
            starts = datetime.combine(day, time(9, 30) if k % 2 == 0 else time(14, 0), tzinfo=paris)
            past = starts < now
            status = ("cancelled" if (q + k) % 31 == 7 else "held") if past else ("draft" if k == 5 else "published")
            topic = TOPICS[(q + k) % 8]
            meetings.append(
                {
                    "kind": kind,
                    "title": f"Rencontre trimestrielle {first.year} T{(first.month - 1) // 3 + 1}"
                    if kind == "rencontre"
                    else f"Atelier : {topic} ({q}-{k})",
                    "description": f"Une demi-journée d'échanges sur {topic} entre élus et agents.",
                    "starts_at": starts,
                    "ends_at": starts + timedelta(hours=3),
                    "format": ("presentiel", "hybride", "en_ligne")[k % 3],
                    "venue": "Maison de l'ESS" if k % 3 != 2 else "",
                    "address": "Paris 11e" if k % 3 != 2 else "",
                    "online_url": "https://visio.example.org/club" if k % 3 else "",
                    "department_code": DEPARTMENTS[q % 8] if kind == "atelier_territorial" else None,
                    "capacity": None if kind == "rencontre" else 60,
                    "audience": "public" if kind in ("rencontre", "webinaire") or k == 1 else "members",
                    "status": status,
                    "uid": f"scale-{q}-{k}@clubess",
                    "created_at": now,
                    "updated_at": now,
                }
            )
    db.session.execute(sa.insert(Meeting), meetings)
    made = db.session.execute(sa.select(Meeting.id, Meeting.starts_at, Meeting.status, Meeting.kind)).all()
    items = []
    for m in made:
        for p in range(8):
            at = m.starts_at + timedelta(minutes=20 * p)
            kind = ITEM_KINDS[p % 6]
            items.append(
                {
                    "meeting_id": m.id,
                    "position": p,
                    "starts_at": at,
                    "ends_at": at + timedelta(minutes=20),
                    "title": f"{kind.replace('_', ' ').capitalize()} : {TOPICS[(m.id + p) % 8]}",
                    "kind": kind,
                    "description": "Présentation suivie d'un temps de questions.",
                    "practice_id": practices[(m.id * 8 + p) % len(practices)] if kind == "retour_experience" else None,
                }
            )
    db.session.execute(sa.insert(AgendaItem), items)
    item_ids = list(db.session.scalars(sa.select(AgendaItem.id).where(AgendaItem.kind != "pause")))
    links = {(i, rng.choice(speakers)) for i in item_ids for _ in range(rng.choice((0, 1, 2)))}
    if links:
        db.session.execute(agenda_item_speakers.insert(), [{"agenda_item_id": i, "speaker_id": s} for i, s in links])
    members = db.session.execute(sa.select(Member.id, Member.collectivity_id, Member.email, Member.first_name)).all()
    registrations = []
    for m in made:
        if m.status == "draft":
            continue
        held = m.status == "held"
        for k, person in enumerate(rng.sample(members, 110 if m.kind == "rencontre" else 45)):
            registrations.append(
                {
                    "meeting_id": m.id,
                    "member_id": person.id,
                    "collectivity_id": person.collectivity_id,
                    "email": person.email,
                    "name": person.first_name,
                    "status": "waitlisted" if k >= 60 and m.kind != "rencontre" else "registered",
                    "mode": "en_ligne" if k % 4 == 0 else "presentiel",
                    "attendance": ("present" if k % 5 else "absent") if held else "unknown",
                    "queued_at": m.starts_at - timedelta(days=20 - k % 20),
                    "created_at": m.starts_at - timedelta(days=20 - k % 20),
                    "updated_at": now,
                }
            )
    db.session.execute(sa.insert(Registration), registrations)
    db.session.commit()
    counts.update(meetings=len(meetings), agenda_items=len(items), registrations=len(registrations))
    upcoming = sorted((m for m in made if m.status == "published"), key=lambda m: m.starts_at)
    held = sorted((m for m in made if m.status == "held"), key=lambda m: m.starts_at)
    public = db.session.execute(sa.select(Meeting.id).where(Meeting.audience == "public")).scalars().all()
    return {
        "meeting": next(m.id for m in upcoming if m.id in set(public)),
        "past_meeting": held[-1].id,
    }


def _problems_and_press(db, rng: random.Random, sizes: Sizes, counts: dict) -> dict:
    from clubess.core.db import now_utc
    from clubess.members.models import Collectivity, Member
    from clubess.practices.models import Practice
    from clubess.press.models import Communique, PressContact

    now = now_utc()
    authors = db.session.execute(
        sa.select(Member.collectivity_id, Member.user_id)
        .join(Collectivity, Collectivity.id == Member.collectivity_id)
        .where(Member.user_id.is_not(None), Collectivity.status == "active")
    ).all()
    levers = [
        "ecosysteme_financement", "soutien_structures", "foncier_tiers_lieux",
        "rd_sociale_cooperation", "achats_responsables", "animation_sensibilisation",
    ]  # fmt: skip
    problems = []
    for i in range(sizes.problems):
        collectivity_id, user_id = authors[i % len(authors)]
        problems.append(
            {
                "text": f"Nous cherchons comment développer {TOPICS[i % 8]} sur notre territoire ({i}).",
                "lever": levers[i % 6] if i % 3 else None,
                "themes": [TOPICS[i % 8]],
                "collectivity_id": collectivity_id,
                "author_id": user_id,
                "status": ("open", "open", "solved", "closed")[i % 4],
                "followed": i % 2 == 0,
                "best_score": (i % 10) / 10,
                "created_at": now - timedelta(days=i % (365 * sizes.years)),
                "updated_at": now,
            }
        )
    from clubess.practices.models import Problem

    db.session.execute(sa.insert(Problem), problems)
    contacts = [
        {
            "email": f"journaliste{i}@redaction{i % 90}.example.org",
            "name": f"{FIRST_NAMES[i % 12]} {LAST_NAMES[i % 10]}",
            "outlet": f"Rédaction {i % 90}",
            "beats": ("économie, ess", "territoires", "emploi")[i % 3],
            "departement": DEPARTMENTS[i % 8],
            "status": "bounced" if i % 40 == 0 else "unsubscribed" if i % 33 == 0 else "active",
            "created_at": now,
            "updated_at": now,
        }
        for i in range(sizes.contacts)
    ]
    db.session.execute(sa.insert(PressContact), contacts)
    communiques = [
        {
            "slug": f"communique-{i}",
            "title": f"Le club réunit les collectivités sur {TOPICS[i % 8]} ({i})",
            "standfirst": "Les élus et agents du club partagent leurs pratiques.",
            "body": "Le club réunit désormais **toutes les communes** de la région.\n\n- Ateliers\n- Rencontres",
            "status": "published",
            "published_at": now - timedelta(days=i * 36),
            "created_at": now,
            "updated_at": now,
        }
        for i in range(10 * sizes.years)
    ]
    db.session.execute(sa.insert(Communique), communiques)
    practice = db.session.scalar(sa.select(sa.func.min(Practice.id)).where(Practice.status == "published"))
    counts.update(problems=len(problems), press_contacts=len(contacts), communiques=len(communiques))
    return {"practice": practice}
