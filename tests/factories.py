"""factory_boy factories: one per model, French fake data, cheap password hashes (from TestingConfig)."""

import factory
from factory.alchemy import SQLAlchemyModelFactory

from clubess.auth.models import User
from clubess.auth.passwords import hash_password
from clubess.core.db import now_utc
from clubess.extensions import db

DEFAULT_PASSWORD = "un mot de passe solide"


class UserFactory(SQLAlchemyModelFactory):
    class Meta:
        model = User
        sqlalchemy_session_factory = lambda: db.session  # noqa: E731
        sqlalchemy_session_persistence = "flush"

    email = factory.Sequence(lambda n: f"personne{n}@example.org")
    display_name = factory.Faker("name", locale="fr_FR")
    role = "member"
    password_hash = factory.LazyFunction(lambda: hash_password(DEFAULT_PASSWORD))
    email_verified_at = factory.LazyFunction(now_utc)
