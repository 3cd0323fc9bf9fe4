"""`flask demo load`: realistic demo data for a new installation (each domain adds its part)."""

from datetime import date, timedelta

import click
import sqlalchemy as sa
from flask import current_app
from flask.cli import AppGroup

from clubess.actors.demo import load_actors
from clubess.auth import services as auth_services
from clubess.auth.models import User
from clubess.commitments.demo import load_commitments
from clubess.core.db import now_utc
from clubess.core.permissions import Role
from clubess.extensions import db
from clubess.meetings.demo import load_meetings
from clubess.meetings.followup_demo import load_followup
from clubess.members.models import Collectivity, Member, Territory
from clubess.members.territories import load_territories
from clubess.practices.demo.loader import load_practices
from clubess.press.demo import load_press
from clubess.report.demo import load_report
from clubess.resources.demo import load_resources
from clubess.territories.demo import load_indicators
from clubess.territories.policy_demo import load_policy_profiles

demo_cli = AppGroup("demo", help="Demo data.")

#: documented in the README; demo data is refused in production
DEMO_PASSWORD = "demo-clubess-2026"  # noqa: S105 - public demo password, refused in production

DEMO_USERS = [
    ("admin@club-ess.example.org", "Camille Admin", Role.ADMIN),
    ("coordination@club-ess.example.org", "Nadia Coordination", Role.COORDINATOR),
]

# (territory kind, code, status, people: (kind, first, last, function, delegation, email, has_account))
DEMO_COLLECTIVITIES = [
    (
        "commune",
        "93048",
        "active",
        [
            (
                "elu",
                "Hélène",
                "Durand",
                "Maire adjointe",
                "adjointe déléguée à l'économie sociale et solidaire",
                "elu@montreuil.example.org",
                True,
            ),
            ("agent", "Thomas", "Nguyen", "Chargé de mission ESS", "", "thomas.nguyen@montreuil.example.org", True),
        ],
    ),
    (
        "ept",
        "200057875",
        "active",
        [
            (
                "agent",
                "Karim",
                "Benali",
                "Responsable du développement économique",
                "",
                "agent@est-ensemble.example.org",
                True,
            ),
            (
                "elu",
                "Sophie",
                "Lemaire",
                "Vice-présidente",
                "déléguée à l'emploi et à l'ESS",
                "sophie.lemaire@est-ensemble.example.org",
                True,
            ),
        ],
    ),
    (
        "commune",
        "75056",
        "active",
        [
            (
                "elu",
                "Antoine",
                "Moreau",
                "Adjoint à la maire",
                "délégué à l'économie sociale et solidaire",
                "antoine.moreau@paris.example.org",
                True,
            ),
        ],
    ),
    (
        "departement",
        "93",
        "active",
        [
            ("agent", "Fatou", "Diallo", "Cheffe du service ESS", "", "fatou.diallo@seinesaintdenis.example.org", True),
        ],
    ),
    (
        "commune",
        "94081",
        "active",
        [
            (
                "elu",
                "Julien",
                "Petit",
                "Conseiller municipal",
                "délégué au commerce et à l'ESS",
                "julien.petit@vitry.example.org",
                True,
            ),
        ],
    ),
    (
        "commune",
        "92050",
        "pending",
        [
            (
                "elu",
                "Claire",
                "Fontaine",
                "Maire adjointe",
                "déléguée au développement durable",
                "claire.fontaine@nanterre.example.org",
                False,
            ),
        ],
    ),
    (
        "epci",
        "200059889",
        "pending",
        [
            (
                "agent",
                "Marc",
                "Rousseau",
                "Chargé de mission économie circulaire",
                "",
                "marc.rousseau@gpseo.example.org",
                False,
            ),
        ],
    ),
]


def load_demo(if_empty: bool = False) -> bool:
    """Create demo accounts and member collectivities; False when `if_empty` and there is data already."""
    if current_app.config.get("ENV_NAME") == "production":
        raise click.ClickException("Demo data is never loaded in production.")
    if if_empty and db.session.scalar(sa.select(sa.func.count()).select_from(User)):
        return False
    if not db.session.scalar(sa.select(sa.func.count()).select_from(Territory)):
        load_territories()
    for email, name, role in DEMO_USERS:
        if auth_services.get_user_by_email(email) is None:
            auth_services.create_user(email, password=DEMO_PASSWORD, role=role, display_name=name, verified=True)
    _load_collectivities()
    coordinator = auth_services.get_user_by_email("coordination@club-ess.example.org")
    load_meetings(coordinator)
    _load_registrations()
    load_practices()
    load_actors()  # after the practices: one search index, the thesaurus loaded
    load_press(coordinator)
    load_followup(coordinator)  # after the meetings' attendance: minutes, contributions, survey answers
    load_commitments()  # at every held meeting, the follow-up's workshop included
    load_resources(coordinator)  # after every held meeting exists (the follow-up adds a held workshop)
    load_indicators()
    load_policy_profiles()
    load_report(coordinator)  # last: its figures are those of everything above
    db.session.commit()
    return True


def _load_registrations() -> None:
    """Registrations and attendance at the held meetings (so "past attendees" has people, and participation
    its figures: clubess.meetings.demo.load_attendance) and a full workshop with a queue."""
    from clubess.meetings.demo import load_attendance
    from clubess.meetings.models import Meeting, Registration

    members = db.session.scalars(
        sa.select(Member).join(Member.collectivity).where(Collectivity.status == "active").order_by(Member.id)
    ).all()
    held = db.session.scalars(sa.select(Meeting).where(Meeting.status == "held").order_by(Meeting.starts_at)).all()
    workshop = db.session.scalar(sa.select(Meeting).where(Meeting.title == "Atelier territorial Seine-Saint-Denis"))
    if not held or workshop is None or not members:
        return
    workshop.capacity = max(1, len(members) - 2)
    for index, member in enumerate(members):
        common = {
            "member_id": member.id,
            "collectivity_id": member.collectivity_id,
            "email": member.email,
            "name": member.full_name,
            "organisation": member.collectivity.territory.name,
            "share_presence": True,
        }
        for meeting in held:
            if index < len(members) - 1:  # the last one comes without registering (a walk-in)
                db.session.add(Registration(meeting=meeting, status="registered", **common))
        queued = now_utc() - timedelta(days=30 - index)
        status = "registered" if index < workshop.capacity else "waitlisted"
        db.session.add(Registration(meeting=workshop, status=status, queued_at=queued, **common))
    db.session.flush()
    load_attendance(held, walk_in=members[-1])


def _load_collectivities() -> None:
    password_hash = None
    for kind, code, status, people in DEMO_COLLECTIVITIES:
        territory = db.session.scalar(sa.select(Territory).where(Territory.kind == kind, Territory.code == code))
        if territory is None:
            continue  # another region's data
        applied = now_utc() - timedelta(days=90 if status == "active" else 3)
        collectivity = Collectivity(
            territory=territory,
            status=status,
            applied_at=applied,
            confirmed_at=applied,
            joined_on=(date.today() - timedelta(days=80)) if status == "active" else None,
            application_message="Nous voulons partager nos actions en faveur de l'ESS.",
            demo=True,
        )
        db.session.add(collectivity)
        members = []
        for p_kind, first, last, function, delegation, email, has_account in people:
            member = Member(
                collectivity=collectivity,
                kind=p_kind,
                first_name=first,
                last_name=last,
                function=function,
                delegation=delegation,
                email=email,
                consent_at=applied,
                show_email=True,
                mandate_start_on=date(2026, 3, 22) if p_kind == "elu" else None,
            )
            if has_account and status == "active":
                if password_hash is None:
                    password_hash = auth_services.hash_password(DEMO_PASSWORD)
                member.user = User(
                    email=email,
                    role=Role.MEMBER.value,
                    display_name=f"{first} {last}",
                    password_hash=password_hash,
                    email_verified_at=applied,
                )
            db.session.add(member)
            members.append(member)
        db.session.flush()
        collectivity.referent = members[0]


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already holds accounts.")
def load_command(if_empty):
    """Load the demo data: territories, accounts for every role, member collectivities (password in the README)."""
    created = load_demo(if_empty=if_empty)
    click.echo("Demo data loaded." if created else "Database not empty: demo data left out.")
