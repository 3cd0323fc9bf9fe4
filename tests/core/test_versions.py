"""The data version (core.versions) changes with every committed change of page content, and only then."""

import sqlalchemy as sa

from clubess.core import versions
from clubess.core.audit import record
from clubess.core.fragments import FragmentCache
from clubess.members.models import Territory


def token(db):
    db.session.expire_all()
    return db.session.scalar(sa.select(versions.DataVersion.token))


def territory(db, code="99001"):
    place = Territory(code=code, kind="commune", name="Bourg", search_name="bourg", population=100)
    db.session.add(place)
    db.session.commit()
    return place


def test_no_change_ever_recorded_means_no_version(db):
    assert versions.current() is None


def test_every_commit_that_writes_content_gives_a_new_token(db):
    place = territory(db)
    first = token(db)
    assert first and len(first) == 32
    place.population = 200
    db.session.commit()
    second = token(db)
    assert second != first
    db.session.execute(sa.update(Territory).where(Territory.id == place.id).values(population=300))
    db.session.commit()
    assert token(db) not in (first, second)
    db.session.delete(place)
    db.session.commit()
    assert token(db) not in (first, second)


def test_writes_to_ignored_tables_and_rolled_back_writes_keep_the_token(db):
    place = territory(db)
    before = token(db)
    record(None, "test.happened", target=place)  # the audit log is ignored
    db.session.commit()
    assert token(db) == before
    place.population = 999
    db.session.flush()
    db.session.rollback()
    record(None, "test.happened", target=place)
    db.session.commit()  # the rolled-back flush must not count for the next transaction
    assert token(db) == before


def test_a_fragment_is_kept_until_the_data_changes(db, app_ctx):
    place = territory(db)
    cache, calls = FragmentCache(size=2), []

    def render():
        calls.append(1)
        return f"population {place.population}"

    assert cache.get("k", render) == "population 100"
    assert cache.get("k", render) == "population 100"
    assert len(calls) == 1
    place.population = 150
    db.session.commit()
    assert cache.get("k", render) == "population 150"
    assert len(calls) == 2
    cache.get("a", render), cache.get("b", render)  # bounded: the oldest goes
    assert cache.get("k", render) and len(calls) == 5


def test_on_postgresql_the_token_is_read_again_when_the_server_dropped_its_connection(db, app_ctx):
    """On PostgreSQL each process reads the token on a connection of its own: when the server ends it (a restart,
    a dropped link), the next request reads the token on a new one instead of failing."""
    import pytest

    if db.engine.dialect.name != "postgresql":
        pytest.skip("the token's own connection is PostgreSQL's")
    territory(db)
    first, _changed_at = versions._read(versions.CONTENT)
    assert first == token(db)
    backend = versions._reader._local.connection.info.backend_pid
    db.session.execute(sa.text("SELECT pg_terminate_backend(:pid)"), {"pid": backend})
    db.session.commit()
    assert versions._read(versions.CONTENT)[0] == first
    assert versions._reader._local.connection.info.backend_pid != backend
