"""iCalendar (RFC 5545) output: one stable UID per meeting, SEQUENCE, a fixed Europe/Paris VTIMEZONE.

The online link goes in an event (LOCATION, DESCRIPTION and CONFERENCE) only for a reader registered to
the meeting: callers say so with `with_link` / `linked`, and every default leaves it out.

icalendar 7 generates VTIMEZONEs as long RDATE lists that ical.js misreads (an hour off in summer);
the RRULE form below is read the same by ical.js, Outlook, Thunderbird and Google Calendar.
"""

from collections.abc import Container
from datetime import UTC, datetime

from flask import current_app
from icalendar import Calendar, Conference, Event, Timezone, vCalAddress, vText

from clubess.core.fictitious import fictitious_label
from clubess.meetings.models import Meeting, MeetingFormat, MeetingStatus

PARIS_VTIMEZONE = (
    "BEGIN:VTIMEZONE\r\nTZID:Europe/Paris\r\n"
    "BEGIN:DAYLIGHT\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nTZNAME:CEST\r\n"
    "DTSTART:19700329T020000\r\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\nEND:DAYLIGHT\r\n"
    "BEGIN:STANDARD\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nTZNAME:CET\r\n"
    "DTSTART:19701025T030000\r\nRRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\nEND:STANDARD\r\n"
    "END:VTIMEZONE\r\n"
)


def _prodid() -> str:
    return f"-//{current_app.config['CLUB_SHORT_NAME']}//clubess//FR"


def meeting_url(meeting: Meeting) -> str:
    from clubess.mailing.services import external_url

    return external_url("meetings.detail", meeting_id=meeting.id)


def shows_link(meeting: Meeting, with_link: bool) -> bool:
    """Whether the online link goes in: the reader may see it, and the meeting is followed online."""
    return with_link and meeting.format != MeetingFormat.IN_PERSON and bool(meeting.online_url)


def location_text(meeting: Meeting, with_link: bool) -> str:
    parts = [p for p in (meeting.venue, meeting.address) if p]
    if shows_link(meeting, with_link):
        parts.append(meeting.online_url)
    return ", ".join(parts) or ("En ligne" if meeting.format == MeetingFormat.ONLINE else "")


def build_event(
    meeting: Meeting, with_link: bool = False, stamp: datetime | None = None, cancelled: bool = False
) -> Event:
    """The VEVENT of a meeting; the online link only where the reader may see it (`with_link`)."""
    paris = current_app.config["TIMEZONE"]
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(paris)
    event = Event()
    event.add("uid", meeting.uid)
    event.add("dtstamp", stamp or datetime.now(UTC))
    event.add("sequence", meeting.sequence)
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    event.add("dtend", meeting.ends_at.astimezone(zone))
    event.add("summary", meeting.title)
    url = meeting_url(meeting)
    description = [meeting.description.strip()] if meeting.description.strip() else []
    if meeting.demo:
        description.insert(0, fictitious_label(meeting))
    for item in meeting.items:
        start = item.starts_at.astimezone(zone).strftime("%H:%M")
        names = ", ".join(s.name for s in item.speakers)
        description.append(f"{start} {item.title}" + (f" ({names})" if names else ""))
    if shows_link(meeting, with_link):
        description.append(f"Lien de connexion : {meeting.online_url}")
    description.append(url)
    event.add("description", "\n".join(description))
    location = location_text(meeting, with_link)
    if location:
        event.add("location", location)
    event.add("url", url)
    if shows_link(meeting, with_link):
        # RFC 7986: calendar apps that know it show a "join" button
        event.conferences = [Conference(meeting.online_url, feature="AUDIO,VIDEO", label="Lien de connexion")]
    cancelled = cancelled or meeting.status == MeetingStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("transp", "OPAQUE")
    event.add("last-modified", meeting.updated_at)
    return event


def build_calendar(
    meetings: list[Meeting],
    method: str = "PUBLISH",
    name: str | None = None,
    linked: Container[int] = frozenset(),
    organizer: str | None = None,
    attendee: str | None = None,
    attendee_name: str = "",
    partstat: str = "NEEDS-ACTION",
) -> bytes:
    """A VCALENDAR with the fixed VTIMEZONE; feeds use PUBLISH and never list attendees.

    `linked`: ids of the meetings whose online link the reader may see (those they are registered to).

    iMIP (RFC 6047): REQUEST and CANCEL carry the recipient alone as ATTENDEE and the club as ORGANIZER.
    """
    cal = Calendar()
    cal.add("prodid", _prodid())
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    if name:
        cal.add("x-wr-calname", name)
        cal.add("name", name)
    cal.add("x-wr-timezone", current_app.config["TIMEZONE"])
    cal.add_component(Timezone.from_ical(PARIS_VTIMEZONE))
    for meeting in meetings:
        cancelled = method == "CANCEL"  # a cancellation needs no link
        event = build_event(meeting, with_link=meeting.id in linked and not cancelled, cancelled=cancelled)
        if organizer:
            address = vCalAddress(f"mailto:{organizer}")
            address.params["cn"] = vText(current_app.config["CLUB_NAME"])
            event.add("organizer", address)
        if attendee and method != "PUBLISH":
            who = vCalAddress(f"mailto:{attendee}")
            who.params.update({"role": "REQ-PARTICIPANT", "partstat": partstat, "rsvp": "TRUE"})
            if attendee_name:
                who.params["cn"] = vText(attendee_name)
            event.add("attendee", who)
        cal.add_component(event)
    return cal.to_ical()


def google_calendar_url(meeting: Meeting) -> str:
    from urllib.parse import urlencode

    fmt = "%Y%m%dT%H%M%SZ"
    start = meeting.starts_at.astimezone(UTC).strftime(fmt)
    end = meeting.ends_at.astimezone(UTC).strftime(fmt)
    query = {
        "action": "TEMPLATE",
        "text": meeting.title,
        "dates": f"{start}/{end}",
        "details": meeting_url(meeting),
        "location": location_text(meeting, with_link=False),
        "ctz": current_app.config["TIMEZONE"],
    }
    return "https://calendar.google.com/calendar/render?" + urlencode(query)


def outlook_calendar_url(meeting: Meeting) -> str:
    from urllib.parse import urlencode

    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": meeting.title,
        "startdt": meeting.starts_at.astimezone(UTC).isoformat(),
        "enddt": meeting.ends_at.astimezone(UTC).isoformat(),
        "body": meeting_url(meeting),
        "location": location_text(meeting, with_link=False),
    }
    return "https://outlook.office.com/calendar/0/deeplink/compose?" + urlencode(query)


def organizer_address() -> str:
    """The club's address (MAIL_FROM without its display name): the ORGANIZER of every invitation."""
    from email.utils import parseaddr

    return parseaddr(current_app.config["MAIL_FROM"])[1]


def imip_attachment(
    meeting: Meeting,
    method: str,
    attendee: str,
    attendee_name: str = "",
    partstat: str = "NEEDS-ACTION",
    with_link: bool = False,
) -> tuple[str, str, bytes]:
    """An iMIP part for the outbox: the same METHOD in the MIME type and in the body.

    `with_link` only for a recipient registered to the meeting (never for an invitee or the waiting list).
    """
    body = build_calendar(
        [meeting],
        method=method,
        linked={meeting.id} if with_link else frozenset(),
        organizer=organizer_address(),
        attendee=attendee,
        attendee_name=attendee_name,
        partstat=partstat,
    )
    return ("invitation.ics", f"text/calendar; method={method}; charset=UTF-8", body)
