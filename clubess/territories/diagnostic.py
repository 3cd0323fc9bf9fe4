"""The diagnostic sheet of a territory (`/territoires/<code>/diagnostic.pdf`): what its page shows, on two pages.

It reads what the territory page's sections read, with the same viewer (a visitor's sheet holds what a visitor
sees on the page: counts, public meetings, no names), and lays it out with diagnostic_pdf. Commitments are a
collectivity's own business: coordinators get them listed, members counted, visitors not at all.
"""

from datetime import date

import sqlalchemy as sa
from flask_babel import format_decimal, get_translations, ngettext
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from clubess.commitments.labels import STATUS_LABELS
from clubess.commitments.models import Commitment, CommitmentStatus
from clubess.core.fictitious import is_fictitious
from clubess.core.templating import format_d
from clubess.core.vocabulary import LEVERS
from clubess.extensions import db
from clubess.members import hierarchy
from clubess.members.forms import TERRITORY_KIND_LABELS
from clubess.members.models import Collectivity, CollectivityStatus, Territory
from clubess.territories import browse, overview, overview_activity
from clubess.territories.diagnostic_pdf import LIST_LIMITS, Diagnostic, Figure, Line
from clubess.territories.figures import territory_figures
from clubess.territories.indicator_section import change, number
from clubess.territories.sections import Viewer


def _figures(sheet: Diagnostic, territory: Territory) -> None:
    figures = territory_figures(territory)
    headline = figures.groups.get("", [])
    for line in headline:
        if line.latest is None:
            continue
        notes = [change(line)]
        notes += [
            f"{other.name} : {number(figure.value, line.indicator.unit)}"
            for other, figure in line.comparisons
            if figure is not None
        ]
        sheet.figures.append(
            Figure(
                label=str(line.indicator.label),
                value=number(line.latest.value, line.indicator.unit),
                year=line.latest.year,
                source=" ; ".join(line.latest.sources),
                note=" ; ".join(n for n in notes if n),
            )
        )
    for group, title in (("famille", _("Emplois par famille")), ("secteur", _("Emplois par secteur"))):
        lines = [line for line in figures.groups.get(group, []) if line.latest is not None]
        if lines:
            sheet.chart_title = f"{title} ({lines[0].latest.year})"
            sheet.bars = [(str(line.indicator.label), line.latest.value) for line in lines]
            break
    sheet.figures_demo = figures.demo


def _commitments(sheet: Diagnostic, territory: Territory, viewer: Viewer) -> None:
    """Listed for coordinators, counted by status for members, left out for visitors (2 queries at most)."""
    if not viewer.is_member:
        return
    inside = (
        sa.select(Collectivity.id)
        .join(Territory, Territory.id == Collectivity.territory_id)
        .where(Collectivity.status == CollectivityStatus.ACTIVE, Territory.id.in_(hierarchy.inside(territory.id)))
    )
    mine = Commitment.collectivity_id.in_(inside)
    counts = dict(
        db.session.execute(sa.select(Commitment.status, sa.func.count()).where(mine).group_by(Commitment.status)).all()
    )
    sheet.commitments_total = sum(counts.values())
    if viewer.is_coordinator:
        rows = db.session.scalars(
            sa.select(Commitment)
            .options(selectinload(Commitment.collectivity))
            .where(mine)
            .order_by(Commitment.target_year.desc(), Commitment.target_quarter.desc(), Commitment.id)
            .limit(LIST_LIMITS["commitments"])
        )
        sheet.commitments = [
            Line(c.title, f"{c.collectivity.name} · {STATUS_LABELS[c.status]} · {c.target_label}") for c in rows
        ]
    else:
        sheet.commitments = [
            Line(str(STATUS_LABELS[status]), ngettext("%(num)d engagement", "%(num)d engagements", counts[status]))
            for status in CommitmentStatus
            if counts.get(status)
        ]
        sheet.commitments_total = len(sheet.commitments)


def _inhabitants(population: int) -> str:
    """« 111 934 habitants » (French digits: flask-babel's ngettext would write the raw number)."""
    if not population:
        return ""
    text = get_translations().ngettext("%(num)s habitant", "%(num)s habitants", population)
    return text % {"num": format_decimal(population)}


def build(territory: Territory, viewer: Viewer, url: str, today: date | None = None) -> Diagnostic:
    """The sheet of `territory` as `viewer` may read it."""
    sheet = Diagnostic(
        name=territory.name,
        kind_label=str(TERRITORY_KIND_LABELS[territory.kind]),
        code=territory.code,
        population=_inhabitants(territory.population),
        parents=[f"{t.name} ({TERRITORY_KIND_LABELS[t.kind]})" for t in browse.parents(territory)],
        url=url,
        generated_on=today or date.today(),
    )
    _figures(sheet, territory)

    members = overview.members_context(territory, viewer, {})
    pagination = members["members"]
    counts = members["people_counts"]
    sheet.members_total = pagination.total or 0
    sheet.members = [
        Line(c.name, str(TERRITORY_KIND_LABELS[c.territory.kind])) for c in pagination.items[: LIST_LIMITS["members"]]
    ]
    sheet.members_summary = " ; ".join(
        [
            ngettext("%(num)d collectivité membre", "%(num)d collectivités membres", sheet.members_total),
            ngettext("%(num)d élu ou élue", "%(num)d élus", counts.get("elu", 0)),
            ngettext("%(num)d agent ou agente", "%(num)d agents", counts.get("agent", 0)),
        ]
    )

    practices = overview.practices_context(territory, viewer, {})
    sheet.practices_total = practices["practice_total"]
    sheet.practices = [Line(p.title, str(LEVERS.get(p.lever, ""))) for p in practices["practices"]]

    meetings = overview_activity.meetings_context(territory, viewer, {})
    shown = list(meetings["upcoming"]) + list(meetings["past"])
    sheet.meetings = [Line(m.title, format_d(m.starts_at, "short")) for m in shown]
    sheet.meetings_total = len(shown)

    participation = overview_activity.participation_context(territory, viewer, {})
    if participation is not None:
        summary = participation["participation"]
        sheet.participation = _(
            "Douze derniers mois : collectivités membres venues à au moins une rencontre : %(came)s sur "
            "%(members)s ; personnes présentes : %(people)s ; rencontres suivies : %(meetings)s.",
            came=summary.came,
            members=summary.members,
            people=summary.people,
            meetings=summary.meetings,
        )

    _commitments(sheet, territory, viewer)
    sheet.demo = sheet.figures_demo or any(
        is_fictitious(x) for x in [*pagination.items, *practices["practices"], *shown]
    )
    return sheet
