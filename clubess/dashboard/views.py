"""Back-office home (the dashboard) and audit log."""

from flask import Blueprint, render_template, request
from flask_babel import format_decimal
from flask_login import current_user

from clubess.core.inputs import page_arg
from clubess.core.permissions import Role, role_required
from clubess.dashboard import overview, services
from clubess.dashboard.labels import describe_details
from clubess.dashboard.period import parse_period
from clubess.meetings.participation import available_years

bp = Blueprint("dashboard", __name__, url_prefix="/coordination")


@bp.route("")
@role_required(Role.COORDINATOR)
def index():
    """How the club is doing and what waits, for a year or one of its quarters (?annee=2026&trimestre=2)."""
    period = parse_period(request.args.get("annee"), request.args.get("trimestre"))
    years = available_years()
    if period.year not in years:
        years = sorted({*years, period.year}, reverse=True)
    return render_template(
        "dashboard/index.html",
        board=overview.build(current_user, period),
        years=years,
        percent=overview.percent,
        num=format_decimal,
    )


@bp.route("/journal")
@role_required(Role.COORDINATOR)
def audit_log():
    action = request.args.get("action", "")[:80]
    pagination = services.list_audit_events(current_user, action=action, page=page_arg())
    return render_template(
        "dashboard/audit.html",
        pagination=pagination,
        action=action,
        actors=services.actors_of(pagination.items),
        describe_details=describe_details,
    )
