"""Demo documents: on every held meeting (slides, a study, photos, the replay of an online one), the resource
centre's own (a SPASER guide, a partner network's study, a webinar replay), and a « retour d'expérience »
linked to its practice fiche. The files are made by code (resources/demo_files.py); rows are flagged demo."""

import sqlalchemy as sa

from clubess.core.timezone import tz
from clubess.extensions import db
from clubess.meetings.models import ItemKind, Meeting, MeetingStatus
from clubess.practices.models import Practice, PracticeStatus
from clubess.resources import services
from clubess.resources.demo_files import make_pdf, make_png
from clubess.resources.files import Upload
from clubess.resources.models import Document

CENTRE = [
    (
        "Guide pour élaborer un SPASER",
        "guide",
        "achats_responsables",
        "public",
        2025,
        "Les étapes d'un schéma de promotion des achats socialement et écologiquement responsables : diagnostic "
        "des achats, objectifs, clauses sociales, suivi.",
        [
            "Pourquoi un SPASER ?",
            "Diagnostic des achats de la collectivité",
            "Clauses sociales et insertion",
            "Réserver des marchés aux structures de l'ESS",
            "Suivre et évaluer le schéma",
        ],
    ),
    (
        "Étude du RTES : les collectivités et le financement de l'ESS",
        "etude",
        "ecosysteme_financement",
        "members",
        2024,
        "Panorama des dispositifs de financement de l'ESS portés par les collectivités : fonds de prêts d'honneur, "
        "subventions, garanties, marchés.",
        [
            "Fonds territoriaux et prêts d'honneur",
            "Subventions de fonctionnement et d'investissement",
            "Garanties et apports en fonds propres",
            "Recommandations aux élus",
        ],
    ),
    (
        "Tiers-lieux et foncier solidaire : fiche repère",
        "guide",
        "foncier_tiers_lieux",
        "public",
        2025,
        "Mettre à disposition des locaux vacants pour des tiers-lieux de l'ESS : baux, conventions, accompagnement.",
        ["Recenser le foncier disponible", "Bail emphytéotique et convention d'occupation", "Accompagner le projet"],
    ),
]


def load_resources(actor) -> None:
    """Documents for each held meeting and the centre (skipped when documents exist already)."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(Document)):
        return
    held = db.session.scalars(
        sa.select(Meeting).where(Meeting.status == MeetingStatus.HELD).order_by(Meeting.starts_at)
    ).all()
    for meeting in held:
        _meeting_documents(actor, meeting)
    for title, kind, lever, visibility, year, description, lines in CENTRE:
        data = services.DocumentData(
            title=title, kind=kind, visibility=visibility, lever=lever, year=year, description=description
        )
        services.save_document(actor, None, None, data, Upload(f"{kind}.pdf", make_pdf(lines, title)))
    replay = services.DocumentData(
        title="Replay du webinaire : clauses sociales dans les marchés publics",
        kind="replay",
        visibility="members",
        lever="achats_responsables",
        year=2026,
        url="https://video.example.org/club-ess/webinaire-clauses-sociales",
        description="Une heure d'échanges avec des acheteurs publics et des structures d'insertion.",
    )
    services.save_document(actor, None, None, replay)
    db.session.flush()
    for document in db.session.scalars(sa.select(Document)):
        document.demo = True


def _meeting_documents(actor, meeting: Meeting) -> None:
    day = meeting.starts_at.astimezone(tz()).strftime("%d/%m/%Y")
    retex = next((i for i in meeting.items if i.kind == ItemKind.RETOUR_EXPERIENCE), None)
    first = meeting.items[0] if meeting.items else None
    slides = services.DocumentData(
        title=f"Support de présentation — {meeting.title}",
        kind="support",
        visibility="public",
        agenda_item_id=first.id if first else None,
        description=f"Le diaporama projeté le {day} : actualités du club, chiffres de l'ESS sur le territoire.",
    )
    services.save_document(
        actor,
        meeting,
        None,
        slides,
        Upload(
            "support-rencontre.pdf",
            make_pdf(
                [
                    f"Rencontre du {day}",
                    "Actualités du club et des membres",
                    "L'ESS en Île-de-France en chiffres",
                    "Réemploi, ressourceries et économie circulaire",
                ],
                meeting.title,
            ),
        ),
    )
    if retex is not None:
        practice = db.session.scalar(
            sa.select(Practice)
            .where(Practice.status == PracticeStatus.PUBLISHED, Practice.title.ilike("%ressourcerie%"))
            .order_by(Practice.id)
        )
        study = services.DocumentData(
            title="Retour d'expérience : une ressourcerie de territoire",
            kind="etude",
            visibility="members",
            lever="soutien_structures",
            agenda_item_id=retex.id,
            description="Les chiffres d'une ressourcerie : tonnes détournées, emplois en insertion, modèle économique.",
            practices=practice.ref if practice else "",
        )
        services.save_document(
            actor,
            meeting,
            None,
            study,
            Upload(
                "ressourcerie.pdf",
                make_pdf(
                    [
                        "Tonnes détournées de l'enfouissement",
                        "Salariés en parcours d'insertion",
                        "Modèle économique et partenaires",
                    ],
                    "Une ressourcerie de territoire",
                ),
            ),
        )
        if practice is not None:
            retex.practice_id = practice.id
    photo = services.DocumentData(
        title=f"Photo de la rencontre du {day}",
        kind="photo",
        visibility="registrants",
        description="Les participants pendant le tour de table.",
    )
    services.save_document(actor, meeting, None, photo, Upload("photo-rencontre.png", make_png()))
    if meeting.format != "presentiel":
        replay = services.DocumentData(
            title=f"Replay — {meeting.title}",
            kind="replay",
            visibility="members",
            url=f"https://video.example.org/club-ess/replay-{meeting.id}",
        )
        services.save_document(actor, meeting, None, replay)
