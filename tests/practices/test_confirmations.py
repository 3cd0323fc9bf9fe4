"""Publishing (public, may mail people), archiving and deleting synonyms are confirmed first."""

import sqlalchemy as sa

from clubess.practices.models import Practice, Problem, ThesaurusEntry
from tests.pages import effects_of, get_page


def _status(db, practice) -> str:
    db.session.expire_all()
    return db.session.get(Practice, practice.id).status


def test_publishing_says_it_becomes_public_and_how_many_people_may_be_mailed(
    client, db, corpus, active_collectivity, coordinator, make_user
):
    helene = active_collectivity.referent.user
    other = make_user(email="autre@example.org")
    gone = make_user(email="parti@example.org", is_enabled=False)
    db.session.add_all(
        [
            Problem(text="a", author_id=helene.id, followed=True, notify=True),  # counted
            Problem(text="b", author_id=helene.id, followed=True, notify=True),  # the same person
            Problem(text="c", author_id=other.id, followed=True, notify=False),  # no alert
            Problem(text="d", author_id=other.id, followed=True, notify=True, status="closed"),
            Problem(text="e", author_id=gone.id, followed=True, notify=True),  # account closed
        ]
    )
    draft = Practice(ref="N1", title="Une nouvelle pratique", lever="achats_responsables", status="submitted")
    db.session.add(draft)
    db.session.commit()
    client.login(coordinator.email)
    url = f"/coordination/pratiques/{draft.id}"
    page = client.submit(url, {"action": "publish"}).get_data(as_text=True)
    assert effects_of(page)[1].startswith("Au plus 1 personne est prévenue par courriel")
    assert _status(db, draft) == "submitted"
    client.confirm(url, {"action": "publish"})
    assert _status(db, draft) == "published"


def test_archiving_asks_first_and_requesting_changes_does_not(client, db, corpus, coordinator):
    practice = corpus["P01"]
    client.login(coordinator.email)
    url = f"/coordination/pratiques/{practice.id}"
    page = client.submit(url, {"action": "archive"}).get_data(as_text=True)
    assert "Archiver « Une ressourcerie municipale dans les anciens ateliers » ?" in page
    assert _status(db, practice) == "published"
    client.confirm(url, {"action": "archive"})
    assert _status(db, practice) == "archived"


def test_deleting_a_synonym_group_asks_first(client, db, coordinator):
    db.session.add(ThesaurusEntry(expressions="ressourcerie ~ recyclerie"))
    db.session.commit()
    entry_id = db.session.scalar(sa.select(ThesaurusEntry.id))
    client.login(coordinator.email)
    page = get_page(client, "/coordination/thesaurus").get_data(as_text=True)
    assert f'href="/coordination/thesaurus/{entry_id}/supprimer"' in page
    client.submit(f"/coordination/thesaurus/{entry_id}/supprimer", form_url="/coordination/thesaurus")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ThesaurusEntry)) == 1
    client.confirm(f"/coordination/thesaurus/{entry_id}/supprimer", expect="ne trouve plus les autres")
    db.session.expire_all()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ThesaurusEntry)) == 0
