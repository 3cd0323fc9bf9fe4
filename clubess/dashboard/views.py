"""Back-office home and audit log."""

from flask import Blueprint, render_template, request
from flask_login import current_user

from clubess.core.inputs import page_arg
from clubess.core.permissions import Role, role_required
from clubess.dashboard import services
from clubess.dashboard.labels import describe_details
from clubess.mailing import services as mailing_services

bp = Blueprint("dashboard", __name__, url_prefix="/coordination")


@bp.route("")
@role_required(Role.COORDINATOR)
def index():
    return render_template("dashboard/index.html", outbox_counts=mailing_services.count_by_status(current_user))


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
