"""Public pages."""

from flask import Blueprint, render_template

from clubess.core.pagecache import public_page
from clubess.pages.club import club_profile

bp = Blueprint("pages", __name__)


@bp.route("/")
@public_page
def home():
    # Later domains add sections (next meeting, latest communiqués); a section without data is hidden.
    return render_template("pages/home.html", profile=club_profile(), sections=home_sections())


def home_sections() -> dict:
    """Data for the optional home sections; a section without data is left out, never faked."""
    from flask import url_for

    from clubess.meetings.services import next_meeting

    sections = {}
    meeting = next_meeting()
    if meeting is not None:
        sections["next_meeting"] = {
            "title": meeting.title,
            "starts_at": meeting.starts_at,
            "url": url_for("meetings.detail", meeting_id=meeting.id),
            "meeting": meeting,
        }
    return sections


@bp.route("/le-club")
@public_page
def club():
    return render_template("pages/club.html", profile=club_profile())


@bp.route("/accessibilite")
@public_page
def accessibility():
    return render_template("pages/accessibility.html")


@bp.route("/confidentialite")
@public_page
def privacy():
    from clubess.core.retention import describe

    # the periods stated here are the settings `flask retention run` enforces: they cannot disagree
    return render_template("pages/privacy.html", profile=club_profile(), period=describe)


@bp.route("/mentions-legales")
@public_page
def legal():
    return render_template("pages/legal.html", profile=club_profile())


@bp.route("/healthz")
def health():
    """Liveness probe for the load balancer; also the benchmark's ceiling (no database, no template)."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}


@bp.app_context_processor
def footer_context():
    def club_footer():
        profile = club_profile()
        sponsor = profile.get("sponsor") or {}
        return {
            "partners": [founder["name"] for founder in profile.get("founders", [])],
            "sponsor": sponsor.get("name"),
        }

    return {"club_footer": club_footer}
