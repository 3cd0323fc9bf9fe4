"""/confidentialite states the periods from the settings `flask retention run` enforces."""

import re

from tests.pages import get_page
from tests.retention.conftest import ODD


def _rows(client) -> dict[str, str]:
    page = get_page(client, "/confidentialite").get_data(as_text=True)
    return {
        row_id: " ".join(re.sub(r"<[^>]+>", " ", body).split())
        for row_id, body in re.findall(r'<tr id="(duree-[a-z]+)">(.*?)</tr>', page, re.S)
    }


#: which row states which setting
ROWS = {
    "RETENTION_GUEST_MONTHS": "duree-invites",
    "RETENTION_REGISTRATION_YEARS": "duree-inscriptions",
    "RETENTION_MEMBER_MONTHS": "duree-membres",
    "RETENTION_REJECTED_MONTHS": "duree-adhesions",
    "VERIFY_TOKEN_MAX_AGE": "duree-adhesions",
    "PRESS_SUBSCRIBE_TOKEN_MAX_AGE": "duree-presse",
    "RETENTION_PRESS_YEARS": "duree-presse",
    "RETENTION_OUTBOX_DAYS": "duree-courriels",
    "RETENTION_AUDIT_YEARS": "duree-journal",
}


def test_the_page_states_the_default_periods(client):
    rows = _rows(client)
    assert "6 mois après la rencontre" in rows["duree-invites"]
    assert "3 ans après la rencontre" in rows["duree-inscriptions"]
    assert "puis 12 mois" in rows["duree-membres"] and "puis 12 mois" in rows["duree-compte"]
    assert "(7 jours)" in rows["duree-adhesions"] and "6 mois après la décision" in rows["duree-adhesions"]
    assert "3 ans sans communiqué reçu" in rows["duree-presse"] and "(7 jours)" in rows["duree-presse"]
    assert "90 jours après l’envoi" in rows["duree-courriels"]
    assert rows["duree-journal"].endswith("5 ans")


def test_the_page_follows_every_setting_the_command_reads(client, odd_periods):
    from clubess.core.retention import PERIODS

    assert set(ROWS) == {p.setting for p in PERIODS.values()}  # a new period must be stated on the page
    rows = _rows(client)
    for setting, row in ROWS.items():
        assert ODD[setting][1] in rows[row], (setting, rows[row])


def test_the_english_page_states_the_same_periods(client, odd_periods):
    page = client.get("/confidentialite", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "7 months" in page and "45 days" in page and "4 years" in page
