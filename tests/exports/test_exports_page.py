"""The back office's « Exports » page and the members' export offered on the applications page."""

from clubess.core.timezone import today
from tests.pages import get_page


def test_the_exports_page_lists_every_export(client, coordinator, territories):
    client.login(coordinator.email)
    page = get_page(client, "/coordination/exports").get_data(as_text=True)
    for url in (
        "/coordination/membres/export.xlsx",
        "/coordination/membres/export.csv",
        "/coordination/inscriptions/export.xlsx",
        "/coordination/inscriptions/export.csv",
        "/coordination/pratiques/export.csv",
        "/coordination/pratiques/export.json",
        "/coordination/presse/contacts.csv",
        "/coordination/engagements.csv",
        "/coordination/participation",
    ):
        assert url in page, url
    year = today().year  # the registrants' period starts as this year
    assert f'value="{year}-01-01"' in page and f'value="{year}-12-31"' in page
    assert 'aria-current="page"' in page and ">Exports</a>" in page  # in the back-office menu
    assert "Est Ensemble (Établissement public territorial (EPT))" in page  # the perimeter choices


def test_the_applications_page_offers_the_members_export_with_its_filters(client, coordinator, territories):
    client.login(coordinator.email)
    page = get_page(client, "/coordination/adhesions").get_data(as_text=True)
    assert 'action="/coordination/membres/export.xlsx"' in page
    assert 'formaction="/coordination/membres/export.csv"' in page
    assert 'id="membres-interet"' in page and 'href="/coordination/exports"' in page
