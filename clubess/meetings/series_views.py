"""The coordinators' series pages: creating a series and its occurrences, changing its template agenda."""

from datetime import datetime, time

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from clubess.core.duplicates import NeedsConfirmation
from clubess.core.errors import DomainError
from clubess.core.permissions import Role, role_required
from clubess.core.timezone import tz
from clubess.extensions import db
from clubess.meetings.forms import LABELS, SeriesForm, TemplateForm, template_text
from clubess.meetings.models import MeetingSeries
from clubess.meetings.planning_views import acknowledged
from clubess.meetings.series import SeriesRule, create_series, update_series_template

bp = Blueprint("series", __name__)


@bp.route("/coordination/series/nouvelle", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def create():
    form = SeriesForm(
        data=None
        if request.method == "POST"
        else {
            "year": datetime.now(tz()).year + 1,
            "month_in_quarter": 3,
            "nth": 3,
            "weekday": 3,
            "start_time": time(9, 30),
            "end_time": time(12, 30),
        }
    )
    warning = None
    if form.validate_on_submit():
        rule = SeriesRule(
            rule=form.rule.data,
            year=form.year.data,
            month_in_quarter=form.month_in_quarter.data,
            weekday=form.weekday.data,
            nth=form.nth.data,
            dates=form.parsed_dates(),
        )
        try:
            series = create_series(
                current_user,
                form.title.data,
                form.kind.data,
                rule,
                form.start_time.data,
                form.end_time.data,
                form.format.data,
                form.venue.data or "",
                form.address.data or "",
                form.online_url.data or "",
                form.parsed_template(),
                acknowledged=acknowledged(),
            )
        except NeedsConfirmation as exc:
            warning = exc
        except DomainError as exc:
            form.add_domain_errors(
                DomainError(
                    exc.message,
                    errors={
                        {"rule": "year" if form.rule.data == "quarterly" else "dates"}.get(k, k): v
                        for k, v in exc.errors.items()
                    },
                )
            )
        else:
            db.session.commit()
            flash(_("La série est créée avec %(n)d rencontres en brouillon.", n=len(series.meetings)), "success")
            return redirect(url_for("series.detail", series_id=series.id))
    return render_template("meetings/coordination/series_form.html", form=form, warning=warning, **LABELS)


@bp.route("/coordination/series/<int:series_id>", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def detail(series_id: int):
    series = db.get_or_404(MeetingSeries, series_id)
    form = TemplateForm(data=None if request.method == "POST" else {"template": template_text(series.template_agenda)})
    if form.validate_on_submit():
        from clubess.meetings.forms import parse_template

        try:
            rewritten = update_series_template(current_user, series, parse_template(form.template.data or ""))
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            db.session.commit()
            flash(
                _(
                    "Ordre du jour type enregistré : %(n)d rencontre(s) mise(s) à jour, celles modifiées à part "
                    "sont inchangées.",
                    n=rewritten,
                ),
                "success",
            )
            return redirect(url_for("series.detail", series_id=series.id))
    return render_template("meetings/coordination/series_detail.html", series=series, form=form, **LABELS)
