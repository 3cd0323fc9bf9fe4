"""Communiqué benchmark: a coordinator sends a communiqué (with a 200 KB PDF) to 2,000 press contacts, then the worker
delivers it to a local SMTP server.

Usage: `.venv/bin/python bench/press.py [--contacts 2000] [--workers 1] [--database-url postgresql+psycopg://…]`
(SQLite in a scratch folder by default; a given database is emptied first). The preview and the send go
through HTTP requests, as the coordinator's browser makes them (login, CSRF, the confirmation count): what is
timed is what the coordinator waits for. Then the worker empties the outbox (bounded: it stops when nothing is
due) and the bench checks that every contact got exactly one mail.
"""

import argparse
import re
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mailbench import LocalSmtp, engine_name, fresh_app  # noqa: E402

PASSWORD = "un mot de passe de banc d'essai"  # noqa: S105 - a scratch database
CSRF_RE = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--pdf-kb", type=int, default=200, help="size of the attached PDF; 0: no attachment")
    parser.add_argument("--database-url")
    args = parser.parse_args()
    pdf = b"%PDF-1.4\n" + b"0" * (args.pdf_kb * 1024) + b"\n%%EOF\n" if args.pdf_kb else b""

    smtp = LocalSmtp()
    smtp.start()
    app = fresh_app(args.database_url, smtp)

    import sqlalchemy as sa

    from clubess.extensions import db

    with app.app_context():
        from clubess.auth import services as auth_services
        from clubess.press import communiques
        from clubess.press.models import Delivery, PressContact

        coordinator = auth_services.create_user(
            "coordination@example.org",
            password=PASSWORD,
            role="coordinator",
            display_name="Coordination",
            verified=True,
        )
        kinds = ["nationale", "regionale", "specialisee", "audiovisuel", "en_ligne"]
        db.session.execute(
            sa.insert(PressContact),
            [
                {
                    "email": f"journaliste{i}@media{i % 97}.example.org",
                    "name": f"Journaliste {i}",
                    "outlet": f"Média {i % 97}",
                    "outlet_kind": kinds[i % len(kinds)],
                    "beats": "économie, ess" if i % 2 else "emploi",
                    "departement": ["75", "92", "93", "94"][i % 4],
                    "status": "active",
                }
                for i in range(args.contacts)
            ],
        )
        communique = communiques.save_communique(
            coordinator,
            None,
            communiques.CommuniqueData(
                title="Le club accueille 20 nouvelles communes", body="Texte **du** communiqué."
            ),
        )
        if pdf:
            communiques.add_attachment(coordinator, communique, "dossier.pdf", pdf)
        db.session.commit()
        communique_id = communique.id

    client = app.test_client()

    def token(path: str) -> str:
        return CSRF_RE.search(client.get(path).get_data(as_text=True)).group(1)

    response = client.post(
        "/connexion",
        data={"email": "coordination@example.org", "password": PASSWORD, "csrf_token": token("/connexion")},
    )
    if response.status_code != 302:
        sys.exit("FAILED: login")
    send_url = f"/coordination/presse/communiques/{communique_id}/envoyer"
    csrf = token(send_url)

    started = time.perf_counter()
    page = client.post(send_url, data={"action": "preview", "csrf_token": csrf}).get_data(as_text=True)
    preview_s = time.perf_counter() - started
    count = int(re.search(r'id="recipient-count">(\d+) destinataire', page).group(1))

    started = time.perf_counter()
    response = client.post(send_url, data={"action": "send", "expected": str(count), "csrf_token": csrf})
    send_s = time.perf_counter() - started
    if response.status_code != 302:
        sys.exit("FAILED: the send was refused: " + response.get_data(as_text=True)[:2000])

    from clubess.mailing.worker import send_pending

    def work():
        with app.app_context():
            while any(send_pending().values()):
                pass

    started = time.perf_counter()
    if args.workers == 1:
        work()
    else:
        threads = [threading.Thread(target=work) for _ in range(args.workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=1800)
    deliver_s = time.perf_counter() - started

    with app.app_context():
        sent = db.session.scalar(sa.select(sa.func.count()).select_from(Delivery).where(Delivery.status == "sent"))
        db.engine.dispose()
    smtp.stop()
    received = smtp.received
    total = smtp.total
    duplicates = sum(n - 1 for n in received.values() if n > 1)
    engine = engine_name(app)
    attached = f"a {len(pdf) // 1024} KB PDF attached" if pdf else "no attachment"
    print(f"communiqué ({engine}): {count} press contacts, {attached}")
    print(f"  preview (count the recipients), HTTP: {preview_s * 1000:.0f} ms")
    print(f"  send (deliveries + outbox rows), HTTP, what the coordinator waits for: {send_s * 1000:.0f} ms")
    print(
        f"  worker delivery to a local SMTP server ({args.workers} worker{'s' if args.workers > 1 else ''}): "
        f"{total} mails in {deliver_s:.1f} s ({total / deliver_s:.0f} mails/s)"
    )
    print(
        f"  exactly once: {len(received)} distinct recipients, {duplicates} duplicates, {sent} deliveries marked sent"
    )
    if len(received) != count or duplicates or sent != count:
        sys.exit("FAILED: not every contact got exactly one mail")
    if send_s >= 1:
        sys.exit(f"FAILED: the send took {send_s:.2f} s (budget: under 1 s)")


if __name__ == "__main__":
    main()
