"""Retention tests run with unusual periods, so a figure the page states or a limit the command applies can
only come from the setting."""

from datetime import timedelta

import pytest

from clubess.core.db import now_utc

#: setting → value for the tests, and what /confidentialite must then say
ODD = {
    "RETENTION_GUEST_MONTHS": (7, "7 mois"),
    "RETENTION_REGISTRATION_YEARS": (2, "2 ans"),
    "RETENTION_MEMBER_MONTHS": (11, "11 mois"),
    "RETENTION_REJECTED_MONTHS": (5, "5 mois"),
    "VERIFY_TOKEN_MAX_AGE": (3 * 86400, "3 jours"),
    "PRESS_SUBSCRIBE_TOKEN_MAX_AGE": (2 * 86400, "2 jours"),
    "RETENTION_PRESS_YEARS": (2, "2 ans"),
    "RETENTION_OUTBOX_DAYS": (45, "45 jours"),
    "RETENTION_AUDIT_YEARS": (4, "4 ans"),
}


@pytest.fixture
def odd_periods(app):
    before = {key: app.config[key] for key in ODD}
    app.config.update({key: value for key, (value, _text) in ODD.items()})
    yield {key: text for key, (_value, text) in ODD.items()}
    app.config.update(before)


def days_ago(days: float):
    return now_utc() - timedelta(days=days)


@pytest.fixture
def run_retention(app):
    """`flask retention run`: returns {"domain.kind": count} as printed."""

    def run() -> dict[str, int]:
        result = app.test_cli_runner().invoke(args=["retention", "run"])
        assert result.exit_code == 0, result.output
        counts = {}
        for line in result.output.splitlines():
            kind, _sep, count = line.partition(": ")
            counts[kind] = int(count)
        return counts

    return run
