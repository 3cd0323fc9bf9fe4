"""The demo's bilan: the year of its held meetings, written, published and joined to the draft « Bilan » communiqué."""

import sqlalchemy as sa
from flask import current_app

from clubess.core.timezone import tz
from clubess.extensions import db
from clubess.meetings.models import Meeting, MeetingStatus
from clubess.meetings.participation import current_year
from clubess.press.models import Communique
from clubess.report import pdf, services

#: the demo's draft communiqué the bilan is joined to (clubess.press.demo)
COMMUNIQUE_SLUG = "bilan-de-la-premiere-annee"

INTRODUCTION = (
    "*Exemple fictif (données de démonstration).*\n\n"
    "Pour sa première année, le club a réuni des communes, des établissements publics territoriaux, des "
    "départements et la région autour d’une même question : **comment faire grandir l’économie sociale et "
    "solidaire sur nos territoires ?**\n\n"
    "Ce bilan rassemble ce que les collectivités membres ont partagé : leurs rencontres, leurs bonnes pratiques, "
    "les problématiques qu’elles ont posées et les engagements qu’elles ont pris."
)
HIGHLIGHTS = (
    "- une rencontre chaque trimestre, en présence et en ligne ;\n"
    "- des ateliers thématiques sur les achats responsables et les tiers-lieux ;\n"
    "- une bibliothèque de bonnes pratiques ouverte à tous les membres."
)


def demo_year() -> int:
    """Last year, or the year of the demo's last held meeting when that is later (and not in the future)."""
    last_held = db.session.scalar(sa.select(sa.func.max(Meeting.starts_at)).where(Meeting.status == MeetingStatus.HELD))
    year = current_year() - 1
    if last_held is not None:
        year = max(year, min(last_held.astimezone(tz()).year, current_year()))
    return year


def load_report(coordinator) -> None:
    """Write, publish and join the demo's bilan (after the meetings, practices, press and resources)."""
    year = demo_year()
    services.save_text(coordinator, year, INTRODUCTION, HIGHLIGHTS)
    report = services.publish(coordinator, year)
    communique = db.session.scalar(sa.select(Communique).where(Communique.slug == COMMUNIQUE_SLUG))
    if communique is None:
        return
    url = f"{current_app.config['BASE_URL'].rstrip('/')}/le-club/bilan/{year}"
    services.attach_to_communique(coordinator, year, communique.id, url, pdf.published(report, url))
