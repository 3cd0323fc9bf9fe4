"""The coordinators' dashboard: every figure of a period, and the charts drawn from them."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import format_decimal, format_percent
from flask_babel import gettext as _

from clubess.core.labels import label
from clubess.core.permissions import Role, require_role
from clubess.core.vocabulary import LEVERS
from clubess.dashboard import activity, club
from clubess.dashboard.charts import Chart, Series, bar_chart
from clubess.dashboard.period import Period
from clubess.dashboard.todo import Todo, todo
from clubess.mailing import services as mailing_services
from clubess.meetings import participation
from clubess.members.models import Territory
from clubess.practices.models import PracticeStatus


@dataclass
class Dashboard:
    period: Period
    todo: list[Todo]
    #: the outbox's messages by status
    mail: dict[str, int]
    as_of: object
    members: int
    by_kind: Chart
    by_department: Chart
    coverage: club.Coverage
    new_members: Chart
    people: dict[str, int]
    accounts: club.Accounts
    next_meetings: list[activity.NextMeeting]
    attendance: Chart
    #: member collectivities of the period, and those that came to at least one meeting (participation's rules)
    participation: participation.ParticipationSummary
    practices: dict[tuple[str, str], int]
    practices_chart: Chart
    problems: Chart
    themes: Chart
    press: activity.Press

    @property
    def statuses(self) -> list[str]:
        return [s.value for s in PracticeStatus]

    @property
    def levers(self) -> list[str]:
        return list(LEVERS)


def quarter_names(year: int) -> list[str]:
    return [_("T%(quarter)d %(year)d", quarter=q, year=year) for q in (1, 2, 3, 4)]


def build(actor, period: Period) -> Dashboard:
    """Every figure of the dashboard for `period` (a bounded number of queries, whatever the data)."""
    require_role(actor, Role.COORDINATOR)
    day = club.as_of(period)
    quarters = quarter_names(period.year)
    kinds = club.by_kind(day)
    departments = club.by_department(day)
    new_members = club.new_members_per_quarter(period)
    held, presences = activity.attendance_per_quarter(period)
    practices = activity.practices_by_lever_and_status()
    stated = activity.problems_stated_per_quarter(period)
    answered = activity.problems_answered_per_quarter(period)
    themes = activity.themes_most_asked(period)
    came = participation.summary(sa.select(Territory.id), period.window)
    members = sum(n for _kind, n in kinds)
    coverage = club.coverage(day)
    people, accounts = club.people_and_accounts(period, day)
    mail = mailing_services.count_by_status(actor)
    return Dashboard(
        period=period,
        todo=todo(actor, mail),
        mail=mail,
        as_of=day,
        members=members,
        by_kind=bar_chart(
            "chart-kinds",
            _("Collectivités membres par type"),
            _("Collectivités membres, réparties par type de collectivité : %(num)s.", num=format_decimal(members)),
            [(label(kind, "territory_kind"), n) for kind, n in kinds],
            header=_("Type de collectivité"),
            value_header=_("Collectivités membres"),
        ),
        by_department=bar_chart(
            "chart-departments",
            _("Collectivités membres par département"),
            _(
                "Une collectivité comptée dans chaque département où elle se trouve : "
                "un groupement sur deux départements compte dans les deux."
            ),
            [(f"{code} {name}", n) for code, name, n in departments],
            header=_("Département"),
            value_header=_("Collectivités membres"),
        ),
        coverage=coverage,
        new_members=bar_chart(
            "chart-new-members",
            _("Nouvelles collectivités membres par trimestre"),
            _("Collectivités ayant rejoint le club en %(year)d : %(num)s.", num=sum(new_members), year=period.year),
            list(zip(quarters, new_members, strict=True)),
            header=_("Trimestre"),
            value_header=_("Nouvelles collectivités membres"),
        ),
        people=people,
        accounts=accounts,
        next_meetings=activity.next_meetings(),
        attendance=Chart(
            "chart-attendance",
            _("Rencontres tenues et présences par trimestre"),
            _(
                "En %(year)d : rencontres tenues : %(meetings)s ; présences : %(presences)s.",
                meetings=sum(held),
                presences=sum(presences),
                year=period.year,
            ),
            quarters,
            [Series(_("Rencontres tenues"), held), Series(_("Présences"), presences)],
            category_header=_("Trimestre"),
        ),
        participation=came,
        practices=practices,
        practices_chart=bar_chart(
            "chart-practices",
            _("Pratiques publiées par levier"),
            _(
                "Pratiques publiées dans la bibliothèque, par levier : %(num)s.",
                num=sum(practices.get((lever, PracticeStatus.PUBLISHED.value), 0) for lever in LEVERS),
            ),
            [(str(name), practices.get((lever, PracticeStatus.PUBLISHED.value), 0)) for lever, name in LEVERS.items()],
            header=_("Levier"),
            value_header=_("Pratiques publiées"),
        ),
        problems=Chart(
            "chart-problems",
            _("Problématiques exprimées et résolues par trimestre"),
            _(
                "En %(year)d : problématiques exprimées : %(stated)s ; avec une réponse utile : %(answered)s.",
                stated=sum(stated),
                answered=sum(answered),
                year=period.year,
            ),
            quarters,
            [Series(_("Exprimées"), stated), Series(_("Avec une réponse utile"), answered)],
            category_header=_("Trimestre"),
        ),
        themes=bar_chart(
            "chart-themes",
            _("Thèmes les plus demandés"),
            _("Les thèmes des problématiques exprimées pendant la période, les plus fréquents en premier."),
            themes,
            header=_("Thème"),
            value_header=_("Problématiques"),
        ),
        press=activity.press(period),
    )


def percent(value: float) -> str:
    return format_percent(value, format="#,##0.0 %")
