"""Demo commitments: what the member collectivities committed to at the held meetings, in every status, with
their history, one of them due at the next rencontre (so its *Suivi des engagements* can be generated).

Flagged `demo`: invented commitments put in the mouth of real collectivities.
"""

from datetime import datetime, time, timedelta

import sqlalchemy as sa

from clubess.commitments.models import Commitment, CommitmentChange
from clubess.core.db import now_utc
from clubess.core.timezone import local
from clubess.extensions import db
from clubess.meetings.models import Meeting, MeetingStatus, Registration
from clubess.members.models import Collectivity, Member, Territory

# (territory code, title, lever, success, person in charge (email), target (year, quarter), with a meeting,
#  history: [(days after the meeting, status, note)])
COMMITMENTS = [
    (
        "93048",
        "Adopter un SPASER avec un objectif d’achats auprès de l’ESS",
        "achats_responsables",
        "Le schéma est voté en conseil municipal, avec 10 % des achats réservés à des structures de l’ESS.",
        "thomas.nguyen@montreuil.example.org",
        (2027, 1),
        True,
        [
            (0, "planned", "Annoncé lors du tour de table."),
            (33, "in_progress", "Groupe de travail constitué avec la direction de la commande publique."),
        ],
    ),
    (
        "93048",
        "Former les acheteurs de la ville aux clauses sociales",
        "achats_responsables",
        "Les douze acheteurs ont suivi la formation du réseau des facilitateurs.",
        "thomas.nguyen@montreuil.example.org",
        (2027, 2),
        False,
        [(40, "planned", "")],
    ),
    (
        "200057875",
        "Lancer un appel à projets pour un tiers-lieu de l’ESS",
        "foncier_tiers_lieux",
        "L’appel à projets est publié et un local de 400 m² est réservé.",
        "sophie.lemaire@est-ensemble.example.org",
        (2026, 4),
        True,
        [(0, "planned", "")],
    ),
    (
        "200057875",
        "Nommer un référent ESS dans chaque direction du développement économique",
        "animation_sensibilisation",
        "Chaque direction a un référent identifié, réuni une fois par trimestre.",
        "agent@est-ensemble.example.org",
        (2026, 3),
        True,
        [
            (0, "planned", ""),
            (12, "in_progress", "Trois directions sur cinq ont désigné leur référent."),
        ],
    ),
    (
        "75056",
        "Publier la carte des structures de l’ESS du territoire",
        "animation_sensibilisation",
        "La carte est en ligne et mise à jour chaque trimestre.",
        "antoine.moreau@paris.example.org",
        (2026, 4),
        True,
        [
            (0, "planned", ""),
            (18, "in_progress", "Données rassemblées avec la CRESS."),
            (55, "done", "Carte publiée sur le site de la ville, 850 structures référencées."),
        ],
    ),
    (
        "93",
        "Créer un fonds d’amorçage pour les SCIC",
        "ecosysteme_financement",
        "Un fonds de 500 000 € est voté et les premières SCIC sont accompagnées.",
        "fatou.diallo@seinesaintdenis.example.org",
        (2027, 2),
        True,
        [
            (0, "planned", ""),
            (64, "abandoned", "Le budget 2027 ne le permet pas ; le projet est reporté au prochain mandat."),
        ],
    ),
    (
        "94081",
        "Réserver des cellules commerciales à des structures de l’ESS",
        "foncier_tiers_lieux",
        "Trois cellules du centre-ville sont louées à des structures de l’ESS.",
        "julien.petit@vitry.example.org",
        (2027, 2),
        True,
        [(0, "planned", "")],
    ),
]


def _held_meetings_of(collectivity_id: int) -> list[Meeting]:
    """The held meetings the collectivity attended, latest first (the demo registrations say who was there)."""
    return list(
        db.session.scalars(
            sa.select(Meeting)
            .join(Registration, Registration.meeting_id == Meeting.id)
            .where(
                Meeting.status == MeetingStatus.HELD,
                Registration.collectivity_id == collectivity_id,
                Registration.attendance == "present",
            )
            .group_by(Meeting.id)
            .order_by(Meeting.starts_at.desc())
        )
    )


def load_commitments() -> None:
    """Create the demo commitments once (nothing when some exist, or when the collectivities are missing)."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(Commitment)):
        return
    now = now_utc()
    for number, (code, title, lever, success, email, target, at_meeting, history) in enumerate(COMMITMENTS):
        collectivity = db.session.scalar(
            sa.select(Collectivity).join(Territory).where(Territory.code == code, Collectivity.status == "active")
        )
        person = db.session.scalar(sa.select(Member).where(Member.email == email))
        if collectivity is None or person is None:
            continue  # another region's data
        # spread over the held meetings the collectivity attended, so each shows some
        attended = _held_meetings_of(collectivity.id) if at_meeting else []
        meeting = attended[number % len(attended)] if attended else None
        base = meeting.ends_at if meeting else local(datetime(2026, 10, 1).date(), time(10))
        author = collectivity.referent.user if collectivity.referent else None
        commitment = Commitment(
            collectivity_id=collectivity.id,
            meeting_id=meeting.id if meeting else None,
            title=title,
            lever=lever,
            success=success,
            responsible_id=person.id,
            target_year=target[0],
            target_quarter=target[1],
            created_by_id=author.id if author else None,
            demo=True,
        )
        before = None
        for days, status, note in history:
            at = min(base + timedelta(days=days), now)
            commitment.changes.append(
                CommitmentChange(
                    created_at=at,
                    author_id=author.id if author else None,
                    author_label=author.display_name if author else "",
                    from_status=before,
                    to_status=status,
                    note=note,
                )
            )
            before = status
        commitment.status = before
        commitment.created_at = commitment.changes[0].created_at
        commitment.updated_at = commitment.changes[-1].created_at
        db.session.add(commitment)
    db.session.flush()
