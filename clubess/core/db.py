"""Declarative base, naming convention and column types shared by every model."""

import enum
from datetime import UTC, datetime
from functools import cache

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, aliased, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)


class DemoFlag:
    """A row written by `flask demo load`: invented content shown as « Exemple fictif (données de démonstration) ».

    Demo practices, meetings and communiqués put figures, quotes and people in the mouth of real, named
    collectivities; every page, API answer and export that shows such a row says it is fictitious.
    """

    demo: Mapped[bool] = mapped_column(default=False, server_default=sa.false())


def now_utc() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator):
    """A datetime stored in UTC that refuses naive values (SQLite would silently drop the zone)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: attach a timezone before storing it")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def enum_values(enum_cls: type[enum.StrEnum]) -> list[str]:
    return [member.value for member in enum_cls]


def enum_check(column: str, enum_cls: type[enum.StrEnum], name: str | None = None) -> sa.CheckConstraint:
    """A CHECK constraint that keeps a string column within a StrEnum's values."""
    values = ", ".join(f"'{v}'" for v in enum_values(enum_cls))
    return sa.CheckConstraint(f"{column} IN ({values})", name=name or f"{column}_valid")


def render_migration_item(type_, obj, autogen_context):
    """Alembic: write UtcDateTime as a plain timezone-aware DateTime, so migrations import nothing of ours."""
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


@cache
def alias(model, name: str):
    """One alias of `model` per name, built on first use and kept for the process. SQLAlchemy adapts a new alias's
    columns the first time a statement compares them (a millisecond and more each), so an alias made inside a
    function costs that on every request; a kept one, once."""
    return aliased(model, name=name)


def refresh_statistics(session, *tables: str) -> None:
    """After a bulk load, give PostgreSQL's planner the tables' new sizes at once (autovacuum would, up to a
    minute later): a query planned meanwhile on « empty » tables joins them in nested loops over every row (the
    territories' hierarchy: minutes instead of milliseconds). In the loading transaction, which it sees.
    `tables` are the models' own names, never input. Nothing to do on SQLite."""
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql("ANALYZE " + ", ".join(tables))
