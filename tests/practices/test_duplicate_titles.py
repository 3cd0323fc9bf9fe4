"""A practice with the title of one its collectivity already has is proposed only after a warning.

Same title: equal once normalised (case, accents, punctuation, spaces); same collectivity (or, for the
club's own practices, none); drafts, submitted and published practices count, archived ones do not.
"""

import sqlalchemy as sa

from clubess.practices.models import Practice
from tests.pages import check_page

FORM = {
    "title": "Une ressourcerie MUNICIPALE !",
    "lever": "soutien_structures",
    "summary": "Réemploi.",
    "action": "submit",
}


def _existing(db, collectivity, status="published", title="Une ressourcerie municipale", ref="M001"):
    practice = Practice(
        ref=ref, title=title, lever="soutien_structures", status=status, collectivity_id=collectivity.id
    )
    db.session.add(practice)
    db.session.commit()
    return practice


def _count(db) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Practice))


def test_the_same_title_from_the_same_collectivity_warns_then_goes_on(client, db, people, active_collectivity):
    existing = _existing(db, active_collectivity)
    client.login("karim@montreuil.fr")
    response = client.submit("/bonnes-pratiques/proposer", FORM)
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    check_page(page)
    assert "Votre collectivité a déjà une pratique de ce titre" in page
    assert f'href="/bonnes-pratiques/{existing.id}"' in page  # published: its page is linked
    assert 'value="Une ressourcerie MUNICIPALE !"' in page and _count(db) == 1
    key = page.split('name="acknowledge" value="')[1].split('"')[0]
    going_on = client.submit("/bonnes-pratiques/proposer", {**FORM, "acknowledge": key})
    assert going_on.status_code == 302 and _count(db) == 2
    assert db.session.scalar(sa.select(Practice).order_by(Practice.id.desc())).status == "submitted"


def test_other_collectivities_archived_practices_and_other_titles_do_not_warn(client, db, people, active_collectivity):
    other = people["sofia"].collectivity
    _existing(db, other, ref="S001")  # Saint-Ouen's
    _existing(db, active_collectivity, status="archived", ref="M002")
    _existing(db, active_collectivity, title="Une ressourcerie intercommunale", ref="M003")
    client.login("helene@montreuil.fr")
    assert client.submit("/bonnes-pratiques/proposer", FORM).status_code == 302
    assert _count(db) == 4


def test_a_colleagues_draft_is_named_without_a_link_it_could_not_open(client, db, people, active_collectivity):
    _existing(db, active_collectivity, status="draft")
    client.login("karim@montreuil.fr")
    page = client.submit("/bonnes-pratiques/proposer", {**FORM, "action": "save"}).get_data(as_text=True)
    assert "Une ressourcerie municipale" in page and "Brouillon" in page
    assert 'href="/bonnes-pratiques/1"' not in page
    assert _count(db) == 1
