"""The coordinators' commitments: every one with filters, counts and CSV (/coordination/engagements), each one's
page, recording one at a meeting for a collectivity present, and the meeting's *Suivi des engagements* item."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from clubess.commitments import followup, listing, pages, quarters, services
from clubess.commitments.forms import CommitmentFilterForm, StatusForm, edit_form
from clubess.commitments.labels import DEADLINE_LABELS, LABELS, STATUS_LABELS
from clubess.commitments.panel import PREFIX, made_at, recording_form
from clubess.core.csvfile import csv_response
from clubess.core.errors import DomainError
from clubess.core.fictitious import fictitious_label
from clubess.core.forms import EmptyForm
from clubess.core.inputs import page_arg, parse_int
from clubess.core.labels import label
from clubess.core.permissions import Role, role_required
from clubess.core.timezone import tz
from clubess.extensions import db
from clubess.meetings import services as meeting_services

bp = Blueprint("commitments", __name__)


def _filters() -> tuple[CommitmentFilterForm, listing.Filters]:
    form = CommitmentFilterForm(request.args)
    form.set_choices(*listing.filter_choices(current_user))
    filters = listing.Filters(
        status=form.chosen("statut"),
        lever=form.chosen("levier"),
        department=form.chosen("departement"),
        meeting_id=parse_int(form.chosen("rencontre"), None, minimum=1),
        target=quarters.parse(form.chosen("trimestre")),
        deadline=form.chosen("echeance"),
    )
    return form, filters


FILTERS = ("statut", "levier", "departement", "rencontre", "trimestre", "echeance")


def _query_args(form: CommitmentFilterForm) -> dict:
    return {name: form.chosen(name) for name in FILTERS}


@bp.route("/coordination/engagements")
@role_required(Role.COORDINATOR)
def manage():
    form, filters = _filters()
    pagination = listing.list_commitments(current_user, filters, page=page_arg())
    return render_template(
        "commitments/coordination/list.html",
        filters=form,
        query_args={k: v for k, v in _query_args(form).items() if v},
        pagination=pagination,
        counts=listing.count_by_status(current_user, filters),
        today=quarters.today(),
        deadline_of=listing.deadline_of,
        **LABELS,
    )


@bp.route("/coordination/engagements.csv")
@role_required(Role.COORDINATOR)
def export_csv():
    _form, filters = _filters()
    rows = listing.all_commitments(current_user, filters)
    last = listing.last_changes([c.id for c in rows])
    today, zone = quarters.today(), tz()
    header = [
        _("collectivité"), _("département"), _("engagement"), _("levier"), _("résultat attendu"),
        _("personne en charge"), _("trimestre visé"), _("statut"), _("échéance"), _("pris à la rencontre"),
        _("date de la rencontre"), _("enregistré le"), _("dernière note"), _("mis à jour le"), _("exemple fictif"),
    ]  # fmt: skip

    def row(c):
        deadline = listing.deadline_of(c, today)
        note = last.get(c.id)
        return [
            c.collectivity.name,
            c.collectivity.territory.departments_label,
            c.title,
            label(c.lever, "lever"),
            c.success,
            c.responsible_name,
            c.target_label,
            str(STATUS_LABELS[c.status]),
            str(DEADLINE_LABELS[deadline]) if deadline else "",
            c.meeting.title if c.meeting else "",
            c.meeting.starts_at.astimezone(zone).strftime("%d/%m/%Y") if c.meeting else "",
            c.created_at.astimezone(zone).strftime("%d/%m/%Y"),
            note.note if note else "",
            c.updated_at.astimezone(zone).strftime("%d/%m/%Y %H:%M"),
            fictitious_label(c),
        ]

    return csv_response(header, (row(c) for c in rows), "engagements.csv")


def _detail(commitment, status_form: StatusForm):
    return pages.detail_page("commitments", commitment, status_form)


@bp.route("/coordination/engagements/<int:commitment_id>")
@role_required(Role.COORDINATOR)
def detail(commitment_id: int):
    commitment = services.get_readable(current_user, commitment_id)
    return _detail(commitment, StatusForm(formdata=None, data={"status": commitment.status}))


@bp.route("/coordination/engagements/<int:commitment_id>/statut", methods=["POST"])
@role_required(Role.COORDINATOR)
def change_status(commitment_id: int):
    return pages.change_status("commitments", services.get_readable(current_user, commitment_id))


@bp.route("/coordination/engagements/<int:commitment_id>/modifier", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def edit(commitment_id: int):
    commitment = services.get_readable(current_user, commitment_id)
    form = edit_form(commitment, services.people_in_office([commitment.collectivity_id]))
    if form.validate_on_submit():
        try:
            changed = services.update_commitment(
                current_user, commitment, services.CommitmentData(**form.data_values())
            )
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            db.session.commit()
            flash(_("L’engagement est modifié.") if changed else _("Rien n’a changé."), "success")
            return redirect(url_for("commitments.detail", commitment_id=commitment.id))
    return render_template(
        "commitments/coordination/edit.html", form=form, commitment=commitment, collectivity=commitment.collectivity
    )


@bp.route("/coordination/rencontres/<int:meeting_id>/engagements", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def record_at_meeting(meeting_id: int):
    """Record a commitment for a collectivity present: the person in charge says which one."""
    meeting = meeting_services.get_meeting(meeting_id, current_user)
    form, no_form = recording_form(meeting, formdata=request.form if request.method == "POST" else None)
    if form is not None and request.method == "POST" and form.validate():
        values = form.data_values()
        values["meeting_id"] = meeting.id
        try:
            collectivity = services.collectivity_of_person(values["responsible_id"], meeting)
            commitment = services.record_commitment(current_user, collectivity, services.CommitmentData(**values))
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            db.session.commit()
            flash(
                _("Engagement de %(name)s enregistré : « %(title)s ».", name=collectivity.name, title=commitment.title),
                "success",
            )
            return redirect(url_for("planning.edit", meeting_id=meeting.id) + "#engagements")
    return render_template(
        "commitments/coordination/record.html",
        meeting=meeting,
        form=form,
        no_form=no_form,
        made_here=made_at(meeting),
        prefix=PREFIX,
        **LABELS,
    )


@bp.route("/coordination/rencontres/<int:meeting_id>/suivi-engagements", methods=["POST"])
@role_required(Role.COORDINATOR)
def follow_up(meeting_id: int):
    meeting = meeting_services.get_meeting(meeting_id, current_user)
    if EmptyForm(prefix="follow-up").validate_on_submit():
        try:
            result = followup.generate_follow_up(current_user, meeting)
        except DomainError as exc:
            flash(exc.message, "error")
        else:
            db.session.commit()
            done = (
                _("Le point « %(title)s » est ajouté à l’ordre du jour.", title=result.item.title)
                if result.created
                else _("Le point « %(title)s » est mis à jour.", title=result.item.title)
            )
            count = ngettext("%(num)d engagement à suivre.", "%(num)d engagements à suivre.", result.count)
            flash(f"{done} {count}", "success")
            if result.overlaps:
                flash(
                    _("L’ordre du jour était plein : le point occupe la dernière demi-heure. Ajustez les horaires."),
                    "warning",
                )
    return redirect(url_for("planning.edit", meeting_id=meeting.id) + "#engagements")
