"""Demo press contacts and communiqués: one in the press room, one under embargo, one draft."""

from datetime import timedelta

import sqlalchemy as sa

from clubess.core.db import now_utc
from clubess.extensions import db
from clubess.press.models import Communique, CommuniqueStatus, ContactStatus, LegalBasis, PressContact

CONTACTS = [
    (
        "Claire Dubois",
        "Le Parisien — édition 93",
        "claire.dubois@leparisien.example.org",
        "regionale",
        "économie, ess",
        "93",
    ),
    ("Marc Lefèvre", "Les Échos", "marc.lefevre@lesechos.example.org", "nationale", "économie, collectivités", ""),
    (
        "Nadia Benali",
        "France Bleu Paris",
        "nadia.benali@francebleu.example.org",
        "audiovisuel",
        "société, emploi",
        "75",
    ),
    (
        "Julie Moreau",
        "La Gazette des communes",
        "julie.moreau@lagazette.example.org",
        "specialisee",
        "collectivités, ess",
        "",
    ),
    ("Thomas Girard", "Le Journal du Val-de-Marne", "thomas.girard@jdvm.example.org", "regionale", "économie", "94"),
    ("Sophie Martin", "Alternatives Économiques", "sophie.martin@alteco.example.org", "specialisee", "ess, emploi", ""),
]


def load_press(coordinator) -> None:
    if db.session.scalar(sa.select(sa.func.count()).select_from(PressContact)):
        return
    now = now_utc()
    for name, outlet, email, kind, beats, departement in CONTACTS:
        db.session.add(
            PressContact(
                name=name,
                outlet=outlet,
                email=email,
                outlet_kind=kind,
                beats=beats,
                departement=departement,
                legal_basis=LegalBasis.LEGITIMATE_INTEREST.value,
                source="démo",
                status=ContactStatus.ACTIVE.value,
                status_changed_at=now,
            )
        )
    db.session.add(
        PressContact(
            name="Ancien contact",
            outlet="Hebdo disparu",
            email="ancien@hebdo.example.org",
            source="démo",
            status=ContactStatus.UNSUBSCRIBED.value,
            status_changed_at=now,
        )
    )
    contact_block = "Service presse du club  \npresse@club-ess.example.org"
    db.session.add_all(
        [
            Communique(
                slug="le-club-des-collectivites-pour-l-ess-est-lance",
                title="Le club des collectivités pour l’ESS est lancé",
                standfirst="Communes, intercommunalités, départements, métropole et région se réunissent "
                "pour développer l’économie sociale et solidaire sur leurs territoires.",
                body="Le club réunit **les collectivités d’Île-de-France** qui veulent faire grandir l’ESS.\n\n"
                "- des rencontres chaque trimestre ;\n- une bibliothèque de bonnes pratiques ;\n"
                "- des ateliers thématiques et territoriaux.",
                contact_block=contact_block,
                demo=True,
                status=CommuniqueStatus.PUBLISHED.value,
                published_at=now - timedelta(days=30),
                created_by_id=coordinator.id,
            ),
            Communique(
                slug="vingt-nouvelles-collectivites-rejoignent-le-club",
                title="Vingt nouvelles collectivités rejoignent le club",
                standfirst="Le club compte désormais plus de cent membres.",
                body="Les nouvelles adhérentes seront accueillies lors de la prochaine rencontre.",
                contact_block=contact_block,
                demo=True,
                embargo_until=now + timedelta(days=3),
                status=CommuniqueStatus.PUBLISHED.value,
                published_at=now - timedelta(hours=2),
                created_by_id=coordinator.id,
            ),
            Communique(
                slug="bilan-de-la-premiere-annee",
                title="Bilan de la première année",
                body="Brouillon en cours d’écriture.",
                contact_block=contact_block,
                demo=True,
                created_by_id=coordinator.id,
            ),
        ]
    )
