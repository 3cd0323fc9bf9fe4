"""Demo data of what follows a meeting: a held territorial workshop and its attendance, published minutes with
decisions for every held meeting, workshop contributions of each kind and some survey answers (all flagged demo).

The minutes are published through the service, so the outbox holds their mail to each attendee (readable at
/coordination/courriels in development).
"""

from datetime import date, time, timedelta

import sqlalchemy as sa

from clubess.core.db import now_utc
from clubess.core.timezone import local
from clubess.extensions import db
from clubess.meetings import minutes
from clubess.meetings.demo import load_attendance, territory_id_of
from clubess.meetings.followup_models import Contribution, Minutes, SurveyAnswer
from clubess.meetings.models import AgendaItem, Attendance, Meeting, MeetingStatus, Registration
from clubess.members.models import Collectivity, Member, Territory

WORKSHOP = "Atelier territorial Est Ensemble : tiers-lieux et foncier solidaire"

MINUTES = {
    "rencontre": (
        "## Ouverture\n\n"
        "La présidente du club a rappelé les trois engagements de la charte et présenté le programme de l'année.\n\n"
        "## Échanges\n\n"
        "- **Montreuil** a présenté son fonds de soutien aux structures de l'ESS et son comité d'attribution.\n"
        "- **Est Ensemble** a partagé son schéma de promotion des achats socialement et écologiquement "
        "responsables (SPASER).\n"
        "- Les participants ont souligné le besoin de locaux abordables pour les associations.\n\n"
        "Les supports présentés sont disponibles dans les documents de la rencontre.",
        [
            ("Créer un groupe de travail sur les SPASER, animé par Est Ensemble", "achats_responsables"),
            (
                "Recenser les locaux vacants des collectivités membres avant la prochaine rencontre",
                "foncier_tiers_lieux",
            ),
            ("Consacrer la rencontre de mars au financement de l'ESS locale", "ecosysteme_financement"),
        ],
    ),
    "atelier": (
        "## Diagnostic partagé\n\n"
        "Élus, agents et structures de l'ESS ont dressé l'état des lieux du foncier disponible pour les "
        "tiers-lieux du territoire, puis repéré les initiatives à faire connaître.\n\n"
        "Les contributions de l'atelier sont listées ci-dessous, par type.",
        [
            ("Proposer aux communes une convention type de mise à disposition de locaux", "foncier_tiers_lieux"),
            ("Organiser une visite de la Ressourcerie du Val au printemps", "soutien_structures"),
        ],
    ),
}

CONTRIBUTIONS = [
    (
        "constat",
        "Des locaux vacants mais inadaptés",
        "Plusieurs rez-de-chaussée communaux sont vides, mais leur "
        "mise aux normes dépasse les moyens des associations.",
        "foncier_tiers_lieux",
        "93048",
    ),
    (
        "constat",
        "Des baux trop courts pour investir",
        "Les conventions d'occupation précaire de quelques mois découragent les travaux d'aménagement.",
        "foncier_tiers_lieux",
        None,
    ),
    (
        "initiative",
        "La Ressourcerie du Val",
        "Une ressourcerie de 25 salariés en insertion installée dans un "
        "ancien garage municipal, avec un bail de neuf ans.",
        "soutien_structures",
        "93048",
    ),
    (
        "initiative",
        "Un tiers-lieu dans une ancienne école",
        "Une commune voisine a confié une école désaffectée à un collectif d'associations, qui en assure la gestion.",
        "foncier_tiers_lieux",
        "200057875",
    ),
    (
        "preconisation",
        "Une foncière solidaire à l'échelle de l'EPT",
        "Mutualiser l'achat et la rénovation de locaux pour les louer aux structures de l'ESS à prix maîtrisé.",
        "ecosysteme_financement",
        "200057875",
    ),
    (
        "preconisation",
        "Un inventaire partagé des locaux",
        "Tenir à jour, entre collectivités membres, la liste des locaux disponibles et de leurs conditions.",
        "foncier_tiers_lieux",
        None,
    ),
]

ANSWERS = [
    (5, 1, "Le financement participatif des tiers-lieux", "Des échanges très concrets, merci."),
    (4, 1, "Les clauses sociales dans les marchés", ""),
    (4, 0, "le financement participatif des tiers-lieux", "Un peu court pour le tour de table."),
    (3, 1, "", "Plus de temps pour les questions, s'il vous plaît."),
]


#: the territory the workshop is about (its territory page lists it and its contributions)
EST_ENSEMBLE = "200057875"


def _held_workshop(members: list[Member]) -> Meeting:
    """A territorial workshop held last month: the members and a guest registered, their attendance recorded as
    at the other held meetings (clubess.meetings.demo.load_attendance: one in five absent, two walk-ins)."""
    day = date.today().replace(day=1) - timedelta(days=20)
    starts, ends = local(day, time(14)), local(day, time(17))
    meeting = Meeting(
        kind="atelier_territorial",
        title=WORKSHOP,
        description="Un diagnostic collaboratif du foncier disponible pour les tiers-lieux et les structures de l'ESS.",
        starts_at=starts,
        ends_at=ends,
        format="presentiel",
        venue="Tiers-lieu La Fabrique",
        address="Montreuil",
        department_code="93",
        territory_id=territory_id_of(EST_ENSEMBLE),
        capacity=25,
        audience="members",
        status=MeetingStatus.HELD.value,
        is_customised=True,
        demo=True,
    )
    meeting.items = [
        AgendaItem(
            position=0, title="Tour de table", kind="accueil", starts_at=starts, ends_at=starts + timedelta(minutes=30)
        ),
        AgendaItem(
            position=1,
            title="Diagnostic du foncier disponible",
            kind="echange_bonnes_pratiques",
            starts_at=starts + timedelta(minutes=30),
            ends_at=starts + timedelta(hours=2),
        ),
        AgendaItem(
            position=2,
            title="Préconisations de l'atelier",
            kind="table_ronde",
            starts_at=starts + timedelta(hours=2),
            ends_at=ends,
        ),
    ]
    db.session.add(meeting)
    db.session.flush()
    for member in members[:-1]:
        db.session.add(
            Registration(
                meeting_id=meeting.id,
                member_id=member.id,
                collectivity_id=member.collectivity_id,
                email=member.email,
                name=member.full_name,
                organisation=member.collectivity.territory.name,
                share_presence=True,
            )
        )
    db.session.add(
        Registration(
            meeting_id=meeting.id,
            email="camille.roche@ressourcerie-du-val.example.org",
            name="Camille Roche",
            organisation="Ressourcerie du Val",
            is_guest=True,
        )
    )
    db.session.flush()
    load_attendance([meeting], walk_in=members[-1])
    return meeting


def load_followup(actor) -> None:
    """Run after the meetings and their attendance are loaded; does nothing when minutes exist already."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(Minutes)):
        return
    members = db.session.scalars(
        sa.select(Member).join(Member.collectivity).where(Collectivity.status == "active").order_by(Member.id)
    ).all()
    workshop = db.session.scalar(sa.select(Meeting).where(Meeting.title == WORKSHOP))
    if workshop is None and members:
        workshop = _held_workshop(members)
    territories = {
        t.code: t.id
        for t in db.session.scalars(
            sa.select(Territory).where(Territory.code.in_([code for *_rest, code in CONTRIBUTIONS if code]))
        )
    }
    if workshop is not None:
        authors = [m.user_id for m in members if m.user_id] or [None]
        for i, (kind, title, text, lever, code) in enumerate(CONTRIBUTIONS):
            db.session.add(
                Contribution(
                    meeting_id=workshop.id,
                    kind=kind,
                    title=title,
                    text=text,
                    lever=lever,
                    territory_id=territories.get(code),
                    author_id=authors[i % len(authors)],
                    demo=True,
                )
            )
        db.session.flush()
    held = db.session.scalars(sa.select(Meeting).where(Meeting.status == MeetingStatus.HELD).order_by(Meeting.id))
    for meeting in held:
        body, decisions = MINUTES["atelier" if meeting.kind.startswith("atelier") else "rencontre"]
        minutes.save_minutes(actor, meeting, body, [minutes.DecisionData(text, lever) for text, lever in decisions])
        minutes.publish_minutes(actor, meeting)
        db.session.execute(sa.update(Minutes).where(Minutes.meeting_id == meeting.id).values(demo=True))
        _answers(meeting)
    db.session.flush()


def _answers(meeting: Meeting) -> None:
    """Some attendees answered the questionnaire (the others still have their link in the outbox)."""
    present = db.session.scalars(
        sa.select(Registration)
        .where(Registration.meeting_id == meeting.id, Registration.attendance == Attendance.PRESENT)
        .order_by(Registration.id)
    ).all()
    items = sorted(meeting.items, key=lambda i: i.position)
    for registration, (rating, item, theme, comment) in zip(present, ANSWERS, strict=False):
        db.session.add(
            SurveyAnswer(
                meeting_id=meeting.id,
                registration_id=registration.id,
                rating=rating,
                useful_item_id=items[min(item, len(items) - 1)].id if items else None,
                wished_theme=theme,
                comment=comment,
                created_at=now_utc(),
                demo=True,
            )
        )
