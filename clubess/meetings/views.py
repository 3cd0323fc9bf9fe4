"""Public agenda, meeting pages and calendar feeds, and the member's personal calendar link."""

import json
import secrets

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from clubess.auth import sessions
from clubess.core.audit import record
from clubess.core.conditional import feed_response
from clubess.core.confirm import confirmation_page, is_confirmed
from clubess.core.errors import DomainError
from clubess.core.fictitious import fictitious_label
from clubess.core.forms import EmptyForm
from clubess.core.inputs import MAX_PAGE, page_arg, query_int
from clubess.core.pagecache import public_page
from clubess.core.pagination import link_header, page_links
from clubess.core.timezone import today, tz
from clubess.extensions import db, limiter
from clubess.meetings import confirmations, feeds, followup, ical, programme, services
from clubess.meetings.followup_forms import FOLLOWUP_LABELS
from clubess.meetings.forms import LABELS
from clubess.meetings.models import MeetingStatus

bp = Blueprint("meetings", __name__)


def _ics_headers(filename: str) -> dict:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


@bp.route("/rencontres")
@public_page
def agenda():
    when = "past" if request.args.get("periode") == "passees" else "upcoming"
    kind = request.args.get("type", "")[:30]
    meeting_format = request.args.get("format", "")[:20]
    department = request.args.get("departement", "")[:3]
    pagination = services.list_public_meetings(when, kind, meeting_format, department, page=page_arg())
    return render_template(
        "meetings/agenda.html",
        pagination=pagination,
        when=when,
        kind=kind,
        meeting_format=meeting_format,
        department=department,
        **LABELS,
    )


@bp.route("/rencontres/<int:meeting_id>")
@public_page
def detail(meeting_id: int):
    from clubess.meetings import registrations, seats
    from clubess.meetings.contribution_views import contribution_form
    from clubess.meetings.registration_forms import REGISTRATION_LABELS
    from clubess.meetings.registration_views import registration_form

    meeting = services.get_meeting(meeting_id, current_user)
    try:
        seats.check_open(meeting)
        closed_reason = None
    except DomainError as exc:
        closed_reason = exc.message
    mine = registrations.my_registrations(current_user, meeting)
    after = followup.for_meeting_page(current_user, meeting)
    return render_template(
        "meetings/detail.html",
        meeting=meeting,
        closed_reason=closed_reason,
        registration_form=registration_form(meeting) if closed_reason is None else None,
        my_registrations=mine,
        positions={r.id: seats.waitlist_position(r) for r in mine if r.status == "waitlisted"},
        seats_left=seats.seats_left(meeting),
        coming=registrations.coming_collectivities(meeting, mine),
        json_ld=json.dumps(_json_ld(meeting), ensure_ascii=False).replace("</", "<\\/"),
        google_url=ical.google_calendar_url(meeting),
        outlook_url=ical.outlook_calendar_url(meeting),
        overlaps=programme.overlaps(meeting.items),
        followup=after,
        contribution_form=contribution_form(meeting, formdata=False) if after.can_contribute else None,
        **REGISTRATION_LABELS,
        **FOLLOWUP_LABELS,
    )


def _json_ld(meeting) -> dict:
    from clubess.mailing.services import external_url

    attendance = {
        "presentiel": "OfflineEventAttendanceMode",
        "en_ligne": "OnlineEventAttendanceMode",
        "hybride": "MixedEventAttendanceMode",
    }[meeting.format]
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": meeting.title,
        "startDate": meeting.starts_at.astimezone(tz()).isoformat(),
        "endDate": meeting.ends_at.astimezone(tz()).isoformat(),
        "eventAttendanceMode": f"https://schema.org/{attendance}",
        "eventStatus": "https://schema.org/EventCancelled"
        if meeting.status == "cancelled"
        else "https://schema.org/EventScheduled",
        "url": external_url("meetings.detail", meeting_id=meeting.id),
        "organizer": {"@type": "Organization", "name": _club_name()},
    }
    if meeting.venue:
        data["location"] = {"@type": "Place", "name": meeting.venue, "address": meeting.address or meeting.venue}
    elif meeting.format == "en_ligne":
        data["location"] = {"@type": "VirtualLocation", "url": data["url"]}
    if meeting.demo:
        data["description"] = fictitious_label(meeting)
    speakers = {s.id: s for item in meeting.items for s in item.speakers}
    if speakers:
        data["performer"] = [{"@type": "Person", "name": s.name} for s in speakers.values()]
    return data


def _club_name() -> str:
    from flask import current_app

    return current_app.config["CLUB_NAME"]


@bp.route("/rencontres/<int:meeting_id>.ics")
def meeting_ics(meeting_id: int):
    """One meeting's event, kept per data version like the feeds (and 304 for a current copy): the same for every
    reader allowed to see it (the online link is never in it)."""
    status = services.visible_status(meeting_id, current_user)

    def render() -> bytes:
        return ical.build_calendar([services.get_meeting(meeting_id, current_user)])

    key = ("rencontre.ics", meeting_id, str(get_locale()))
    headers = _ics_headers(f"rencontre-{meeting_id}.ics")
    return feed_response(key, render, "text/calendar", headers=headers, private=status == MeetingStatus.DRAFT)


#: the public feed's events per page: calendar clients do not follow links, so a page holds a whole window
FEED_LIMIT, FEED_MAX_LIMIT = 500, 1000


def feed_page_url(page: int) -> str:
    """This request's URL (an absolute one, under BASE_URL) at another page, its other arguments kept."""
    from clubess.mailing.services import external_url

    args = {k: v for k, v in request.args.items() if k != "page"}
    return external_url(request.endpoint, **(request.view_args or {}), **args, page=page)


@bp.route("/rencontres.ics")
def feed_ics():
    """The club's calendar: the last twelve months and what is to come (`from`, `to`, `page`, `limit` to ask
    otherwise), kept per data version and answered 304 when the calendar client's copy is current."""
    window = feeds.window_from(request.args)
    page = query_int("page", 1, minimum=1, maximum=MAX_PAGE)
    limit = query_int("limit", FEED_LIMIT, minimum=1, maximum=FEED_MAX_LIMIT)
    key = ("rencontres.ics", window, page, limit, str(get_locale()), today())
    headers = _ics_headers("rencontres.ics")
    pages = feeds.pages_of(feeds.count_public_meetings(window), limit)
    if pages > 1:  # a calendar that does not hold the whole window says where the rest is
        headers["Link"] = link_header(page_links(feed_page_url, page, pages))

    def render() -> bytes:
        return ical.build_calendar(feeds.public_meetings(window, page, limit), name=_club_name())

    return feed_response(key, render, "text/calendar", daily=True, headers=headers)


@bp.route("/agenda/<token>.ics")
@limiter.limit("60 per minute")
def personal_feed(token: str):
    import sqlalchemy as sa

    from clubess.auth.models import User

    user = db.session.scalar(sa.select(User).where(User.calendar_token == token)) if len(token) >= 20 else None
    if user is None or not sessions.gives_access(user):  # closed, or a mandate ended: the address is dead
        abort(404)
    window = feeds.window_from(request.args)

    def render() -> bytes:
        meetings, linked = feeds.personal_meetings(user, window)
        return ical.build_calendar(meetings, name=_("%(club)s — mon agenda", club=_club_name()), linked=linked)

    key = ("agenda.ics", user.id, window, str(get_locale()), today())
    return feed_response(key, render, "text/calendar", private=True, daily=True, headers=_ics_headers("mon-agenda.ics"))


@bp.route("/espace/agenda", methods=["GET", "POST"])
@login_required
def calendar_settings():
    form = EmptyForm()
    revoke = request.values.get("action") == "revoke"
    if request.method == "POST" and current_user.calendar_token and not is_confirmed():
        return confirmation_page(confirmations.calendar_token(revoke), form)  # the current link would stop
    if form.validate_on_submit():
        # a new token revokes the previous URL at once
        current_user.calendar_token = secrets.token_urlsafe(32) if request.form.get("action") != "revoke" else None
        record(current_user, "calendar.token_changed", current_user, revoked=current_user.calendar_token is None)
        db.session.commit()
        flash(
            _("Votre lien d’agenda personnel a été mis à jour.")
            if current_user.calendar_token
            else _("Votre lien d’agenda personnel est désactivé."),
            "success",
        )
        return redirect(url_for("meetings.calendar_settings"))
    feed = (
        url_for("meetings.personal_feed", token=current_user.calendar_token, _external=True)
        if current_user.calendar_token
        else None
    )
    return render_template("meetings/calendar_settings.html", form=form, feed=feed)
