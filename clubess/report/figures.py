"""Every figure of a year's bilan, read once (a bounded number of queries, whatever the size of the club).

The rules are the dashboard's and the participation page's, shared rather than copied:
- a meeting *held* that year: published or held, not cancelled, started by now (clubess.meetings.participation);
  its *registered* are the registrations holding a seat made before the day (walk-ins aside), its *present*
  everyone marked present (walk-ins included);
- the *collectivities involved*: the members at some point of the year (one that left during it included),
  and those of them that came to a meeting; a collectivity is counted under every département it lies in;
- a practice *published* that year: its publication date falls in the year (archived since included);
- problems *stated* and *answered*: the dashboard's (clubess.dashboard.activity);
- commitments *made* that year: recorded during it, by their status today (*kept*: done);
- documents *published*: added to the resource centre or to a meeting that year;
- press: the dashboard's figures for the year.

`public(figures)` is what the public may read (no person, no problem text, no members-only meeting title): it
is stored as the published snapshot, and `from_dict` reads it back.
"""

from dataclasses import asdict, dataclass, field
from datetime import date

import sqlalchemy as sa
from flask_babel import gettext as _

from clubess.commitments.models import Commitment, CommitmentStatus
from clubess.core.db import now_utc
from clubess.core.fragments import FragmentCache
from clubess.core.labels import label
from clubess.core.timezone import tz
from clubess.core.vocabulary import LEVERS
from clubess.dashboard import activity
from clubess.dashboard.charts import Chart, Series, bar_chart
from clubess.dashboard.period import Period, in_window
from clubess.extensions import db
from clubess.meetings import participation
from clubess.meetings.models import SEATED, Attendance, Audience, Meeting, Registration
from clubess.members.hierarchy import departments_of
from clubess.members.models import Collectivity, Territory
from clubess.practices.models import Practice, PracticeStatus
from clubess.resources.models import Document, DocumentKind

#: a practice published in the year may have been archived since
PUBLISHED = (PracticeStatus.PUBLISHED.value, PracticeStatus.ARCHIVED.value)


@dataclass
class MeetingLine:
    day: date
    kind: str
    #: empty in the public version when the meeting was for members only
    title: str
    is_public: bool
    registered: int
    present: int
    #: a demo meeting (core.fictitious): the page says so
    demo: bool = False

    @property
    def name(self) -> str:
        """Its title; in the public version, a members-only meeting is named by its kind alone."""
        return self.title or _("%(kind)s — pour les membres", kind=label(self.kind, "meeting_kind"))


@dataclass
class DepartmentLine:
    code: str
    name: str
    #: member collectivities of the year found in this département
    members: int
    #: of which at least one person came to a meeting of the year
    came: int


@dataclass
class Figures:
    year: int
    meetings: list[MeetingLine] = field(default_factory=list)
    #: member collectivities of the year, each once (the départements' rows may add up to more)
    members: int = 0
    came: int = 0
    departments: list[DepartmentLine] = field(default_factory=list)
    #: lever → practices published in the year
    practices: dict[str, int] = field(default_factory=dict)
    problems_stated: int = 0
    problems_answered: int = 0
    #: status → commitments made in the year
    commitments: dict[str, int] = field(default_factory=dict)
    #: document kind → documents published in the year
    documents: dict[str, int] = field(default_factory=dict)
    press_sent: int = 0
    press_reach: int = 0
    press_bounces: int = 0
    press_unsubscribes: int = 0

    @property
    def registered(self) -> int:
        return sum(m.registered for m in self.meetings)

    @property
    def present(self) -> int:
        return sum(m.present for m in self.meetings)

    @property
    def practices_total(self) -> int:
        return sum(self.practices.values())

    @property
    def commitments_made(self) -> int:
        return sum(self.commitments.values())

    @property
    def commitments_kept(self) -> int:
        return self.commitments.get(CommitmentStatus.DONE.value, 0)

    @property
    def documents_total(self) -> int:
        return sum(self.documents.values())

    @property
    def lever_rows(self) -> list[tuple[str, int]]:
        """(lever, published) for every lever, in the vocabulary's order (a lever with none shows 0)."""
        return [(lever, self.practices.get(lever, 0)) for lever in LEVERS]

    @property
    def commitment_rows(self) -> list[tuple[str, int]]:
        return [(s.value, self.commitments.get(s.value, 0)) for s in CommitmentStatus]

    @property
    def document_rows(self) -> list[tuple[str, int]]:
        return [(k.value, self.documents[k.value]) for k in DocumentKind if self.documents.get(k.value)]


def build(year: int) -> Figures:
    """The live figures of `year` (10 queries)."""
    period = Period(year)
    window = period.window
    came = participation.summary(sa.select(Territory.id), window)
    press = activity.press(period)
    return Figures(
        year=year,
        meetings=_meetings(year),
        members=came.members,
        came=came.came,
        departments=_departments(year),
        practices=_counts(Practice.lever, Practice.status.in_(PUBLISHED), in_window(Practice.published_at, *window)),
        problems_stated=sum(activity.problems_stated_per_quarter(period)),
        problems_answered=sum(activity.problems_answered_per_quarter(period)),
        commitments=_counts(Commitment.status, in_window(Commitment.created_at, *window)),
        documents=_counts(Document.kind, in_window(Document.created_at, *window)),
        press_sent=press.sent,
        press_reach=press.reach,
        press_bounces=press.bounces,
        press_unsubscribes=press.unsubscribes,
    )


#: the live figures per data version (core.fragments): the coordinators' page and PDF read them again and again
#: while nothing changes (writing the introduction is a change: the figures are then read once more)
_LIVE = FragmentCache(size=16)


def live(year: int) -> Figures:
    """`build(year)`, kept until the club's data changes (or a minute passes: « held » follows the clock).
    Read only: the same object serves every request."""
    return _LIVE.get(("bilan", year), lambda: build(year))


def _counts(column, *conditions) -> dict[str, int]:
    rows = db.session.execute(sa.select(column, sa.func.count()).where(*conditions).group_by(column)).all()
    return {key: int(n) for key, n in rows if key is not None}


def _meetings(year: int) -> list[MeetingLine]:
    """The meetings held in the year with their registered and present people (one query)."""

    def count_if(condition):
        return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)

    registered = sa.and_(Registration.status.in_(SEATED), Registration.is_walk_in.is_(False))
    rows = db.session.execute(
        sa.select(
            Meeting.starts_at,
            Meeting.kind,
            Meeting.title,
            Meeting.audience,
            Meeting.demo,
            count_if(registered),
            count_if(Registration.attendance == Attendance.PRESENT.value),
        )
        .outerjoin(Registration, Registration.meeting_id == Meeting.id)
        .where(*participation.meeting_filters(year, ""), Meeting.starts_at <= now_utc())
        .group_by(Meeting.id, Meeting.starts_at, Meeting.kind, Meeting.title, Meeting.audience, Meeting.demo)
        .order_by(Meeting.starts_at, Meeting.id)
    ).all()
    return [
        MeetingLine(
            day=starts_at.astimezone(tz()).date(),
            kind=kind,
            title=title,
            is_public=audience == Audience.PUBLIC.value,
            registered=int(reg),
            present=int(present),
            demo=bool(demo),
        )
        for starts_at, kind, title, audience, demo, reg, present in rows
    ]


def _departments(year: int) -> list[DepartmentLine]:
    """Member collectivities of the year, and those that came, under each département they lie in (one query)."""
    department = departments_of()
    came = (
        sa.select(Registration.collectivity_id)
        .join(Meeting, Meeting.id == Registration.meeting_id)
        .where(Registration.attendance == Attendance.PRESENT.value, *participation.meeting_filters(year, ""))
    )
    rows = db.session.execute(
        sa.select(
            department.c.code,
            department.c.name,
            sa.func.count(sa.distinct(Collectivity.id)),
            sa.func.count(sa.distinct(sa.case((Collectivity.id.in_(came), Collectivity.id), else_=None))),
        )
        .select_from(Collectivity)
        .join(department, department.c.territory_id == Collectivity.territory_id)
        .where(*participation.members_of_year(year))
        .group_by(department.c.code, department.c.name)
        .order_by(department.c.code)
    ).all()
    return [DepartmentLine(code, name or code, int(m), int(c)) for code, name, m, c in rows]


def charts(figures: Figures) -> dict[str, Chart]:
    """The charts of the bilan (with the same figures as tables: clubess.dashboard.charts)."""
    departments = Chart(
        "bilan-departments",
        _("Collectivités membres et venues aux rencontres, par département"),
        _(
            "Collectivités membres pendant l’année : %(members)s ; venues à au moins une rencontre : %(came)s. "
            "Une collectivité sur deux départements est comptée dans chacun : les lignes peuvent dépasser le total.",
            members=figures.members,
            came=figures.came,
        ),
        [f"{d.code} {d.name}" for d in figures.departments],
        [
            Series(_("Collectivités membres"), [d.members for d in figures.departments]),
            Series(_("Venues à une rencontre"), [d.came for d in figures.departments]),
        ],
        category_header=_("Département"),
    )
    practices = bar_chart(
        "bilan-practices",
        _("Bonnes pratiques publiées par levier"),
        _(
            "Pratiques publiées dans la bibliothèque en %(year)d : %(num)s.",
            year=figures.year,
            num=figures.practices_total,
        ),
        [(str(LEVERS[lever]), n) for lever, n in figures.lever_rows],
        header=_("Levier"),
        value_header=_("Pratiques publiées"),
    )
    return {"departments": departments, "practices": practices}


def public(figures: Figures) -> dict:
    """The figures as JSON the public may read: a members-only meeting loses its title."""
    data = asdict(figures)
    for line in data["meetings"]:
        line["day"] = line["day"].isoformat()
        if not line["is_public"]:
            line["title"] = ""
    return data


def from_dict(data: dict) -> Figures:
    """Figures read back from a snapshot (`public`)."""
    values = dict(data)
    values["meetings"] = [MeetingLine(**{**m, "day": date.fromisoformat(m["day"])}) for m in data.get("meetings", [])]
    values["departments"] = [DepartmentLine(**d) for d in data.get("departments", [])]
    known = set(Figures.__dataclass_fields__)
    return Figures(**{k: v for k, v in values.items() if k in known})
