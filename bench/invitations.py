"""Invitation benchmark: preview and send to every member of 1,300 collectivities, then deliver them.

Usage: `.venv/bin/python bench/invitations.py [--collectivities 1300] [--database-url postgresql+psycopg://…]`
(SQLite in a scratch folder by default; a given database is emptied first). Prints the time of the
preview (audience resolution), of the send (invitations and outbox rows in one transaction), and the
worker's delivery rate to a local aiosmtpd server on 127.0.0.1 (bounded: it stops when the outbox is empty).
"""

import argparse
import sys
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mailbench import LocalSmtp, engine_name, fresh_app  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--collectivities", type=int, default=1300)
    parser.add_argument("--database-url")
    args = parser.parse_args()

    smtp = LocalSmtp()
    smtp.start()
    app = fresh_app(args.database_url, smtp)

    import sqlalchemy as sa

    from clubess.extensions import db

    with app.app_context():
        from clubess.auth.models import User
        from clubess.meetings import invitations
        from clubess.meetings.models import Meeting
        from clubess.members.models import Collectivity, Member, Territory
        from clubess.members.territories import load_territories

        load_territories()
        communes = db.session.scalars(
            sa.select(Territory).where(Territory.kind == "commune").order_by(Territory.code)
        ).all()
        coordinator = User(email="coordination@example.org", role="coordinator", display_name="Coordination")
        db.session.add(coordinator)
        for i, territory in enumerate(communes[: args.collectivities]):
            c = Collectivity(territory=territory, status="active", joined_on=date(2026, 1, 1))
            db.session.add(c)
            for kind in ("elu", "agent"):
                db.session.add(
                    Member(
                        collectivity=c,
                        kind=kind,
                        first_name=kind.title(),
                        last_name=f"{territory.name}",
                        email=f"{kind}{i}@{territory.code}.example.org",
                    )
                )
        paris = ZoneInfo("Europe/Paris")
        meeting = Meeting(
            kind="rencontre",
            title="Rencontre trimestrielle",
            starts_at=datetime(2031, 3, 20, 9, 30, tzinfo=paris),
            ends_at=datetime(2031, 3, 20, 12, 30, tzinfo=paris),
            venue="Maison de l'ESS",
            status="published",
        )
        db.session.add(meeting)
        db.session.commit()

        spec = invitations.AudienceSpec(people="all")
        started = time.perf_counter()
        preview = invitations.resolve_audience(coordinator, meeting, spec)
        preview_s = time.perf_counter() - started
        count = len(preview.recipients)
        db.session.rollback()

        started = time.perf_counter()
        invitations.send_invitations(coordinator, meeting, spec, count)
        db.session.commit()
        send_s = time.perf_counter() - started

        from clubess.mailing.worker import send_pending

        started = time.perf_counter()
        while any(send_pending().values()):
            pass
        deliver_s = time.perf_counter() - started
        db.engine.dispose()
    smtp.stop()
    engine = engine_name(app)
    print(f"invitations ({engine}): {count} recipients from {args.collectivities} collectivities")
    print(f"  preview: {preview_s * 1000:.0f} ms")
    print(f"  send (invitations + outbox rows, rendered by the worker): {send_s:.2f} s ({count / send_s:.0f} mails/s)")
    rate = smtp.total / deliver_s
    print(f"  worker delivery to a local SMTP server: {smtp.total} mails in {deliver_s:.1f} s ({rate:.0f} mails/s)")


if __name__ == "__main__":
    main()
