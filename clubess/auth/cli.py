"""`flask users ...`: accounts from the command line."""

import click
from flask.cli import AppGroup

from clubess.auth import services, sessions
from clubess.core.errors import DomainError
from clubess.core.permissions import Role
from clubess.extensions import db

users_cli = AppGroup("users", help="Manage accounts.")


@users_cli.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice([r.value for r in Role]), default=Role.MEMBER.value, show_default=True)
@click.option("--name", default="", help="Display name.")
@click.option(
    "--password",
    envvar="CLUBESS_NEW_PASSWORD",
    default=None,
    help="Password (better: leave it out to be prompted, or set CLUBESS_NEW_PASSWORD).",
)
@click.option("--send-reset", is_flag=True, help="Mail a link to choose the password instead of setting one.")
def create_command(email, role, name, password, send_reset):
    """Create an account (its address counts as verified: an administrator vouches for it)."""
    if password is None and not send_reset:
        password = click.prompt("Mot de passe", hide_input=True, confirmation_prompt=True)
    try:
        user = services.create_user(email, password=password, role=Role(role), display_name=name, verified=True)
        if send_reset:
            services.request_password_reset(user.email)
    except DomainError as exc:
        raise click.ClickException(str(exc.message)) from None
    db.session.commit()
    click.echo(f"Created {user.email} ({user.role}).")
    if send_reset:
        click.echo("A link to choose a password is in the outbox (flask outbox send).")


@users_cli.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice([r.value for r in Role]))
def set_role_command(email, role):
    """Change the role of an existing account."""
    user = services.get_user_by_email(email)
    if user is None:
        raise click.ClickException(f"No account for {email}.")
    from clubess.core.audit import record

    before = user.role
    user.role = role
    services.end_sessions(user)
    record(None, "user.role_changed", user, before=before, after=role, via="cli")
    db.session.commit()
    click.echo(f"{user.email}: {before} -> {role}")


@users_cli.command("end-expired-sessions")
def end_expired_sessions_command():
    """Delete the login sessions past their lifetime (for cron: no stale device list is kept)."""
    count = sessions.end_expired_sessions()
    db.session.commit()
    click.echo(f"{count} expired session(s) deleted.")
