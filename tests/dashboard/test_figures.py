"""The back-office home and the outbox count mail exactly (hand-counted fixtures)."""

import re

from tests.pages import get_page


def _outbox(db, counts: dict[str, int]):
    from clubess.mailing.models import OutboxMessage

    n = 0
    for status, how_many in counts.items():
        for _ in range(how_many):
            n += 1
            db.session.add(
                OutboxMessage(
                    recipient=f"m{n}@example.org",
                    subject="s",
                    body_text="t",
                    category="auth.reset_password",
                    status=status,
                )
            )
    db.session.commit()


def _stat(page: str, label: str) -> int:
    match = re.search(r'stat__value">(\d+)</span> <span class="stat__label">' + re.escape(label), page)
    assert match, label
    return int(match.group(1))


def test_the_home_counts_mail_waiting_sent_and_failed(client, db, coordinator):
    _outbox(db, {"queued": 3, "sending": 1, "sent": 5, "failed": 2, "cancelled": 4})
    client.login(coordinator.email)
    page = get_page(client, "/coordination").get_data(as_text=True)
    assert _stat(page, "en attente") == 4  # queued, and the one a worker is sending now
    assert _stat(page, "envoyés") == 5
    assert _stat(page, "en échec") == 2


def test_the_outbox_counts_each_status(client, db, coordinator):
    _outbox(db, {"queued": 3, "sending": 1, "sent": 5, "failed": 2, "cancelled": 4})
    client.login(coordinator.email)
    page = get_page(client, "/coordination/courriels/").get_data(as_text=True)
    for label, n in [("En attente", 3), ("En cours d'envoi", 1), ("Envoyé", 5), ("En échec", 2), ("Annulé", 4)]:
        assert f"{label} ({n})" in page, label
    assert "Tous (15)" in page
