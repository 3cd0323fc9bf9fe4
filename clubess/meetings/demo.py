"""Demo data for meetings: a year of club life (four quarterly rencontres, two ateliers, a webinar).

Meetings and speakers are flagged `demo`: invented people speak for real collectivities.
"""

from datetime import date, time

import sqlalchemy as sa

from clubess.core.timezone import local
from clubess.extensions import db
from clubess.meetings.models import AgendaItem, Meeting, MeetingSeries, Registration, RegistrationStatus, Speaker
from clubess.meetings.series import SeriesRule, create_series

SPEAKERS = [
    (
        "Claire Fontaine",
        "Chambre régionale de l'ESS",
        "Directrice",
        "partenaire",
        "Anime le club et accompagne les collectivités dans leur stratégie ESS.",
    ),
    (
        "Marc Rousseau",
        "Ressourcerie du Val",
        "Co-gérant",
        "structure_ess",
        "Dirige une ressourcerie de 25 salariés en insertion.",
    ),
    ("Hélène Durand", "Ville de Montreuil", "Maire adjointe déléguée à l'ESS", "elu", ""),
    (
        "Inès Garnier",
        "Université Paris-Est",
        "Maîtresse de conférences",
        "expert",
        "Travaille sur la commande publique responsable.",
    ),
]

TEMPLATE = [
    {"start": "09:30", "end": "10:00", "title": "Accueil café", "kind": "accueil"},
    {"start": "10:00", "end": "10:45", "title": "Actualités du club et des membres", "kind": "intervention"},
    {"start": "10:45", "end": "12:00", "title": "Échange de bonnes pratiques", "kind": "echange_bonnes_pratiques"},
    {"start": "12:00", "end": "12:30", "title": "Problèmes remontés par les membres", "kind": "table_ronde"},
]


def load_meetings(actor) -> None:
    """Create the demo meetings, published so the public agenda and the feeds have content."""
    if db.session.scalar(db.select(db.func.count()).select_from(MeetingSeries)):
        return
    speakers = {}
    for name, organisation, title, kind, bio in SPEAKERS:
        speakers[name] = Speaker(name=name, organisation=organisation, title=title, kind=kind, bio=bio, demo=True)
        db.session.add(speakers[name])
    series = create_series(
        actor,
        "Rencontres trimestrielles 2027",
        "rencontre",
        SeriesRule(rule="quarterly", year=2027, month_in_quarter=3, weekday=3, nth=3),
        time(9, 30),
        time(12, 30),
        "hybride",
        "Maison de l'économie sociale et solidaire",
        "Paris 11e",
        "https://visio.example.org/club-ess-rencontres",
        TEMPLATE,
    )
    themes = [
        "Financer l'ESS locale",
        "Achats responsables et SPASER",
        "Tiers-lieux et foncier",
        "Bilan de l'année et priorités 2028",
    ]
    for meeting, theme in zip(series.meetings, themes, strict=True):
        meeting.title = f"Rencontre trimestrielle : {theme}"
        meeting.description = (
            f"La rencontre du trimestre, consacrée à **{theme.lower()}**, "
            "avec des retours d'expérience de collectivités membres."
        )
        meeting.capacity, meeting.department_code, meeting.audience = 80, "75", "members"
        meeting.territory_id = territory_id_of(QUARTERLY_TERRITORY)
        meeting.status = "published"
        meeting.demo = True
    first = series.meetings[0]
    first.items[2].speakers = [speakers["Hélène Durand"], speakers["Marc Rousseau"]]
    first.items[1].speakers = [speakers["Claire Fontaine"]]
    series.meetings[1].items[2].speakers = [speakers["Inès Garnier"]]
    extra = [
        (
            "Atelier thématique : réemploi et ressourceries",
            "atelier_thematique",
            date(2027, 2, 4),
            time(14),
            time(17),
            "presentiel",
            "Ressourcerie du Val",
            "Montreuil",
            "93",
            "",
        ),
        (
            "Atelier territorial Seine-Saint-Denis",
            "atelier_territorial",
            date(2027, 5, 20),
            time(14),
            time(16, 30),
            "presentiel",
            "Hôtel du département",
            "Bobigny",
            "93",
            "",
        ),
        (
            "Webinaire : clauses sociales dans les marchés publics",
            "webinaire",
            date(2027, 4, 8),
            time(11),
            time(12),
            "en_ligne",
            "",
            "",
            None,
            "https://visio.example.org/webinaire-clauses",
        ),
        (
            "Rencontre trimestrielle : lancement du club",
            "rencontre",
            date(2026, 9, 17),
            time(9, 30),
            time(12, 30),
            "presentiel",
            "Hôtel de Région",
            "Saint-Ouen-sur-Seine",
            "93",
            "",
        ),
    ]
    for title, kind, day, start, end, fmt, venue, address, dep, url in extra:
        meeting = Meeting(
            kind=kind,
            title=title,
            starts_at=local(day, start),
            ends_at=local(day, end),
            format=fmt,
            venue=venue,
            address=address,
            department_code=dep,
            territory_id=territory_id_of(DEMO_TERRITORIES.get(title)),
            online_url=url,
            capacity=30 if kind != "webinaire" else None,
            audience="members",
            status="held" if day.year == 2026 else "published",
            is_customised=True,
            description="Un temps d'échange entre collectivités membres et acteurs de l'ESS.",
            demo=True,
        )
        meeting.items = [
            AgendaItem(
                position=0,
                title="Tour de table",
                kind="accueil",
                starts_at=meeting.starts_at,
                ends_at=meeting.starts_at + (meeting.ends_at - meeting.starts_at) / 4,
            ),
            AgendaItem(
                position=1,
                title="Retour d'expérience",
                kind="retour_experience",
                starts_at=meeting.starts_at + (meeting.ends_at - meeting.starts_at) / 4,
                ends_at=meeting.ends_at,
                speakers=[speakers["Marc Rousseau"]],
            ),
        ]
        db.session.add(meeting)
    db.session.flush()


#: the territory each demo meeting is held in or is about (its territory page lists it), by title
DEMO_TERRITORIES = {
    "Atelier thématique : réemploi et ressourceries": "93048",  # Montreuil
    "Atelier territorial Seine-Saint-Denis": "93",
    "Rencontre trimestrielle : lancement du club": "93070",  # Saint-Ouen-sur-Seine
}
#: the quarterly rencontres are held in Paris
QUARTERLY_TERRITORY = "75056"


def territory_id_of(code: str | None) -> int | None:
    """The id of the territory with this code (None when the territories are not loaded)."""
    from clubess.members.territories import find_by_code

    territory = find_by_code(code) if code else None
    return territory.id if territory is not None else None


#: a person who came to the held meetings without registering, from no member collectivity
DEMO_WALK_IN = ("Nadia Benkhelifa", "Régie de quartier de Saint-Denis")


def load_attendance(held: list[Meeting], walk_in=None) -> None:
    """Attendance at the demo's held meetings, as a coordinator would record it: most registrants present,
    one in five absent (a different one at each meeting), and two walk-ins: a member who had not
    registered and someone from outside the club."""
    for number, meeting in enumerate(held):
        registrations = db.session.scalars(
            sa.select(Registration)
            .where(Registration.meeting_id == meeting.id, Registration.status == RegistrationStatus.REGISTERED)
            .order_by(Registration.id)
        ).all()
        for index, registration in enumerate(registrations):
            registration.attendance = "absent" if (index + number) % 5 == 3 else "present"
        if walk_in is not None and not any(r.member_id == walk_in.id for r in registrations):
            db.session.add(
                Registration(
                    meeting=meeting,
                    member_id=walk_in.id,
                    collectivity_id=walk_in.collectivity_id,
                    email=walk_in.email,
                    name=walk_in.full_name,
                    organisation=walk_in.collectivity.territory.name,
                    status=RegistrationStatus.REGISTERED.value,
                    attendance="present",
                    is_walk_in=True,
                )
            )
        name, organisation = DEMO_WALK_IN
        db.session.add(
            Registration(
                meeting=meeting,
                name=name,
                organisation=organisation,
                is_guest=True,
                status=RegistrationStatus.REGISTERED.value,
                attendance="present",
                is_walk_in=True,
            )
        )
    db.session.flush()
