"""Sign-in sheet: how long a coordinator waits for the PDF of a meeting of 120 registrants.

Usage: `.venv/bin/python bench/signin_sheet.py [--registrants 120] [--runs 5] [--database-url postgresql+psycopg://…]`
(SQLite in a scratch folder by default; a given database is emptied first). Builds 120 people with accented
names in 30 member collectivities, registers them to a meeting, then GETs
/coordination/rencontres/<id>/emargement.pdf as a logged-in coordinator (in-process, through the whole app):
the first request (fonts loaded and registered) and the next ones. Prints the times, the pages and the
size, checks the text with poppler's pdftotext when it is installed, and exits 1 when a request takes
2 s or more (the target).
"""

import argparse
import itertools
import re
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mailbench import LocalSmtp, engine_name, fresh_app  # noqa: E402

TARGET_S = 2.0
PASSWORD = "une phrase de passe assez longue"  # noqa: S105 - a scratch database
FIRST = ["Hélène", "Zoé", "Loïc", "Anaïs", "Jérôme", "François", "Gaëlle", "Noël", "Chloé", "Maëlle", "Benoît"]
LAST = ["Lefèvre", "Bérénice", "Œuvray", "Ducœur", "Müller", "Pérez", "Nguyễn", "Garçon", "D’Orléans", "Brûlé", "Lœb"]
FUNCTIONS = ["Adjointe déléguée à l’économie sociale et solidaire", "Chargé de mission ESS", "Conseillère municipale"]


def build(app, registrants: int) -> int:
    """A meeting with `registrants` people from 30 collectivities; returns its id."""
    from clubess.auth.services import create_user
    from clubess.extensions import db
    from clubess.meetings.models import Meeting, Registration
    from clubess.members.models import Collectivity, Member, Territory

    with app.app_context():
        create_user("coordination@bench.example.org", password=PASSWORD, role="coordinator", verified=True)
        collectivities = []
        for i in range(30):
            territory = Territory(
                code=f"93{i:03d}",
                kind="commune",
                name=f"Saint-Œuvre-lès-Bénévoles {i}",
                search_name=f"saint oeuvre les benevoles {i}",
                department_code="93",
            )
            collectivities.append(Collectivity(territory=territory, status="active"))
        starts = datetime.now(UTC) - timedelta(days=1)
        meeting = Meeting(
            kind="rencontre",
            title="Rencontre trimestrielle « Cœur d’ESS » : achats responsables",
            starts_at=starts,
            ends_at=starts + timedelta(hours=3),
            status="published",
            venue="Maison de l’économie sociale et solidaire",
            address="Paris 11e",
        )
        db.session.add_all([*collectivities, meeting])
        names = itertools.cycle(itertools.product(FIRST, LAST))
        for i in range(registrants):
            first, last = next(names)
            member = Member(
                collectivity=collectivities[i % 30],
                kind="elu" if i % 3 == 0 else "agent",
                first_name=first,
                last_name=f"{last} {i}" if i >= len(FIRST) * len(LAST) else last,
                function=FUNCTIONS[i % 3],
                email=f"personne{i}@bench.example.org",
            )
            db.session.add(member)
            db.session.add(
                Registration(
                    meeting=meeting,
                    member=member,
                    collectivity=member.collectivity,
                    email=member.email,
                    name=member.full_name,
                    organisation=member.collectivity.territory.name,
                    status="registered",
                )
            )
        db.session.commit()
        return meeting.id


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--registrants", type=int, default=120)
    parser.add_argument("--runs", type=int, default=5, help="requests after the first one")
    parser.add_argument("--database-url")
    args = parser.parse_args()

    app = fresh_app(args.database_url, LocalSmtp())
    meeting_id = build(app, args.registrants)
    client = app.test_client()
    login = client.get("/connexion").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login).group(1)
    client.post(
        "/connexion", data={"email": "coordination@bench.example.org", "password": PASSWORD, "csrf_token": token}
    )
    url = f"/coordination/rencontres/{meeting_id}/emargement.pdf"

    times = []
    for _ in range(1 + args.runs):
        started = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - started)
        if response.status_code != 200 or response.mimetype != "application/pdf":
            sys.exit(f"FAIL: {url} answered {response.status_code} {response.mimetype}")
    pdf = response.data
    pages = len(re.findall(rb"/Type /Page(?!s)", pdf))
    first, rest = times[0], times[1:]
    print(
        f"sign-in sheet, {args.registrants} registrants, {engine_name(app)}: first request {first:.2f} s "
        f"(fonts loaded), then p50 {statistics.median(rest):.2f} s, max {max(rest):.2f} s; "
        f"{pages} pages, {len(pdf) / 1024:.0f} KiB (target < {TARGET_S:.0f} s)"
    )
    if pdftotext := shutil.which("pdftotext"):
        text = subprocess.run([pdftotext, "-enc", "UTF-8", "-", "-"], input=pdf, capture_output=True, check=True)
        words = " ".join(text.stdout.decode().split())
        total = f"Total : {args.registrants} personnes inscrites" in words
        numbered = all(f"page {n} / {pages}" in words for n in range(1, pages + 1))
        print(f"pdftotext: total {'found' if total else 'MISSING'}, every page numbered: {numbered}")
        if not (total and numbered):
            sys.exit(1)
    if max(times) >= TARGET_S:
        print(f"FAIL: a request took {max(times):.2f} s (target < {TARGET_S:.0f} s)")
        sys.exit(1)


if __name__ == "__main__":
    main()
