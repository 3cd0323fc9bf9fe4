"""What the meeting's pages show of its follow-up: minutes, decisions, contributions, survey, communiqués."""

from dataclasses import dataclass, field

from clubess.core.permissions import Role, has_role, require_role
from clubess.meetings import contributions, minutes, press_release, survey
from clubess.meetings.followup_models import Contribution, Minutes
from clubess.meetings.models import Meeting, MeetingStatus
from clubess.press.models import Communique


@dataclass
class PageFollowup:
    """The meeting page's part: the published minutes (if this person may read them) and the workshop's outputs."""

    minutes: Minutes | None = None
    is_workshop: bool = False
    #: {kind: [contributions]} once published (empty before)
    published: dict[str, list[Contribution]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    can_contribute: bool = False
    #: why contributions are closed to this person now, when the workshop takes them
    closed_reason: str | None = None
    #: the person's own contributions not yet published (they may change them)
    mine: list[Contribution] = field(default_factory=list)

    @property
    def shows_anything(self) -> bool:
        return bool(self.minutes or self.can_contribute or self.mine)


def for_meeting_page(actor, meeting: Meeting) -> PageFollowup:
    """At most 6 queries, whatever the number of decisions and contributions."""
    if meeting.status not in (MeetingStatus.PUBLISHED, MeetingStatus.HELD):
        return PageFollowup()
    page = PageFollowup(minutes=minutes.visible_minutes(actor, meeting), is_workshop=contributions.is_workshop(meeting))
    if not page.is_workshop:
        return page
    if page.minutes is not None:
        published = contributions.list_contributions(meeting)
        page.published, page.counts = contributions.by_kind(published), contributions.count_by_kind(published)
        return page
    page.closed_reason = contributions.closed_reason(meeting)
    page.can_contribute = page.closed_reason is None and (
        has_role(actor, Role.COORDINATOR) or contributions.is_participant(actor, meeting)
    )
    if page.closed_reason is None:
        page.mine = contributions.my_contributions(actor, meeting)
    return page


@dataclass
class BackOfficeFollowup:
    """The meeting's back-office section "Après la rencontre"."""

    minutes: Minutes | None
    attendees: int
    figures: press_release.Figures
    is_workshop: bool
    contribution_counts: dict[str, int]
    contributions_total: int
    results: survey.SurveyResults
    communiques: list[Communique]


def for_back_office(actor, meeting: Meeting) -> BackOfficeFollowup | None:
    """None before the meeting is held (nothing to follow up yet, unless a workshop already collects)."""
    require_role(actor, Role.COORDINATOR)
    is_workshop = contributions.is_workshop(meeting)
    if meeting.status != MeetingStatus.HELD and not (is_workshop and contributions.closed_reason(meeting) is None):
        return None
    items = contributions.list_contributions(meeting) if is_workshop else []
    return BackOfficeFollowup(
        minutes=minutes.get_minutes(meeting),
        attendees=len(minutes.attendees(meeting)),
        figures=press_release.attendance_figures(meeting),
        is_workshop=is_workshop,
        contribution_counts=contributions.count_by_kind(items),
        contributions_total=len(items),
        results=survey.results(actor, meeting),
        communiques=press_release.prepared_communiques(meeting),
    )
