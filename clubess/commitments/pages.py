"""What the member area and the back office share about one commitment: its page (history, status form, the
meeting it is followed at) and the status update it posts. `area` is the blueprint: "commitment_area" for the
collectivity's pages, "commitments" for the coordinators'."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from clubess.commitments import followup, quarters, services
from clubess.commitments.forms import StatusForm
from clubess.commitments.labels import LABELS
from clubess.core.errors import DomainError
from clubess.extensions import db

LAYOUTS = {"commitment_area": "base.html", "commitments": "coordination/layout.html"}
BACK = {"commitment_area": "commitment_area.index", "commitments": "commitments.manage"}


def detail_page(area: str, commitment, status_form: StatusForm, can_manage: bool = True):
    return render_template(
        "commitments/detail.html",
        layout=LAYOUTS[area],
        commitment=commitment,
        history=services.history(commitment),
        next_meeting=followup.next_follow_up(commitment),
        status_form=status_form if can_manage else None,
        status_url=url_for(f"{area}.change_status", commitment_id=commitment.id),
        edit_url=url_for(f"{area}.edit", commitment_id=commitment.id) if can_manage else None,
        back_url=url_for(BACK[area]),
        today=quarters.today(),
        **LABELS,
    )


def change_status(area: str, commitment):
    """The status form's POST: saved and back to the page, or the page again with the form's errors."""
    form = StatusForm()
    if form.validate_on_submit():
        try:
            services.change_status(current_user, commitment, form.status.data or "", form.note.data or "")
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            db.session.commit()
            flash(_("L’engagement est mis à jour."), "success")
            return redirect(url_for(f"{area}.detail", commitment_id=commitment.id))
    return detail_page(area, commitment, form, services.can_manage(current_user, commitment.collectivity))
