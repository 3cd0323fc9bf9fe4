"""`flask demo load` publishes a bilan with an introduction and joins it to the demo's « Bilan » communiqué."""

import sqlalchemy as sa

from clubess.press.models import Communique
from clubess.report.demo import COMMUNIQUE_SLUG, demo_year
from clubess.report.models import AnnualReport
from tests.pages import get_page


def test_the_demo_publishes_a_bilan_with_an_introduction_and_joins_it_to_its_communique(db, client):
    from clubess.demo import load_demo

    load_demo()
    year = demo_year()
    report = db.session.scalar(sa.select(AnnualReport))
    assert (report.year, report.is_published) == (year, True)
    assert "première année" in report.snapshot["introduction"]
    assert report.snapshot["figures"]["meetings"]  # the demo's held meetings are in it
    communique = db.session.scalar(sa.select(Communique).where(Communique.slug == COMMUNIQUE_SLUG))
    assert communique.status == "draft" and f"/le-club/bilan/{year}" in communique.body
    assert [a.filename for a in communique.attachments] == [f"bilan-{year}.pdf"]
    html = get_page(client, f"/le-club/bilan/{year}").get_data(as_text=True)
    assert "demo-notice" in html  # its meetings are the demo's: the page says the figures are fictitious
    assert f'href="/le-club/bilan/{year}"' in get_page(client, "/le-club").get_data(as_text=True)
