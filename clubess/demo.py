"""`flask demo load`: realistic demo data for a new installation (each domain adds its part)."""

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from clubess.auth import services as auth_services
from clubess.auth.models import User
from clubess.core.permissions import Role
from clubess.extensions import db

demo_cli = AppGroup("demo", help="Demo data.")

#: documented in the README; demo data is refused in production
DEMO_PASSWORD = "demo-clubess-2026"

DEMO_USERS = [
    ("admin@club-ess.example.org", "Camille Admin", Role.ADMIN),
    ("coordination@club-ess.example.org", "Nadia Coordination", Role.COORDINATOR),
    ("elu@montreuil.example.org", "Hélène Durand", Role.MEMBER),
    ("agent@est-ensemble.example.org", "Karim Benali", Role.MEMBER),
]


def load_demo(if_empty: bool = False) -> bool:
    """Create the demo accounts; returns False when `if_empty` and the database already has data."""
    if current_app.config.get("ENV_NAME") == "production":
        raise click.ClickException("Demo data is never loaded in production.")
    if if_empty and db.session.scalar(sa.select(sa.func.count()).select_from(User)):
        return False
    for email, name, role in DEMO_USERS:
        if auth_services.get_user_by_email(email) is None:
            auth_services.create_user(email, password=DEMO_PASSWORD, role=role, display_name=name, verified=True)
    db.session.commit()
    return True


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already holds accounts.")
def load_command(if_empty):
    """Load the demo data: accounts for every role (password in the README)."""
    created = load_demo(if_empty=if_empty)
    click.echo("Demo data loaded." if created else "Database not empty: demo data left out.")
