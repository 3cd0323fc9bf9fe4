"""Migrations: upgrade from empty, no drift from the models, downgrade to base and back."""

import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from clubess.core.db import render_migration_item
from clubess.extensions import db


def test_migrations_match_the_models_and_go_down_and_up_again(app_ctx):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True, "render_item": render_migration_item})
        diff = compare_metadata(context, db.metadata)
    assert diff == []
    downgrade(revision="base")
    assert set(sa.inspect(db.engine).get_table_names()) <= {"alembic_version"}
    upgrade()
    assert {"users", "outbox_messages", "audit_events"} <= set(sa.inspect(db.engine).get_table_names())
