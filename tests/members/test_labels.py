"""Statuses and kinds of the membership pages are words, never codes."""

from tests.pages import get_page


def test_the_application_page_names_its_status(client, db, territories, coordinator):
    from clubess.members.models import Collectivity, Member

    pending = Collectivity(territory=territories["94038"])
    db.session.add(pending)
    db.session.add(Member(collectivity=pending, kind="elu", first_name="Paul", last_name="Roux", email="paul@lhay.fr"))
    db.session.commit()
    client.login(coordinator.email)
    page = get_page(client, f"/coordination/adhesions/{pending.id}").get_data(as_text=True)
    assert ">pending<" not in page
    assert "Demande en attente" in page
