"""The coordinators' pages after a meeting starts: attendance in one screen, walk-ins, the sign-in sheet (PDF),
and the participation of the member collectivities across a year."""

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from clubess.core.csvfile import csv_response
from clubess.core.errors import DomainError
from clubess.core.forms import EmptyForm
from clubess.core.inputs import int_arg, parse_int
from clubess.core.labels import label
from clubess.core.permissions import Role, role_required
from clubess.extensions import db
from clubess.meetings import attendance, participation, services, signin_sheet
from clubess.meetings.attendance_forms import MemberSearchForm, ParticipationFilterForm, WalkInForm, WalkInMemberForm
from clubess.meetings.forms import KIND_LABELS
from clubess.meetings.models import Attendance
from clubess.meetings.registration_forms import REGISTRATION_LABELS

bp = Blueprint("attendance", __name__)

#: the radio buttons of each row: `presence-<registration id>`
MARK = "presence-"


def _seen(rows) -> str:
    """What the page shows, in one hidden field (one form part whatever the number of people)."""
    return ",".join(f"{r.id}:{r.attendance}" for r in rows if not r.is_walk_in)


def _parse_seen(raw: str) -> dict[int, str]:
    seen = {}
    for pair in (raw or "").split(",")[:10_000]:
        rid, _sep, value = pair.partition(":")
        if (number := parse_int(rid, None, minimum=1)) is not None:
            seen[number] = value
    return seen


def _marks() -> dict[int, str]:
    marks = {}
    for key, value in request.form.items():
        if key.startswith(MARK):
            number = parse_int(key[len(MARK) :], None, minimum=1)
            if number is None:
                raise DomainError(_("Une des présences envoyées ne désigne personne : rien n’est enregistré."))
            marks[number] = value
    return marks


def _render(meeting, walk_in_form=None, marks: dict | None = None, seen: str | None = None):
    """The page; after a refused save, with the marks that were sent (`marks`) and what the page showed then."""
    rows = attendance.list_attendance(current_user, meeting)
    all_present = request.method == "GET" and request.args.get("tous") == "present"
    search = MemberSearchForm(request.args)
    search.validate()
    found = attendance.search_members(search.personne.data or "") if search.personne.data else []
    return render_template(
        "meetings/coordination/attendance.html",
        meeting=meeting,
        rows=[r for r in rows if not r.is_walk_in],
        walk_ins=[r for r in rows if r.is_walk_in],
        summary=attendance.summary(rows),
        error=attendance.attendance_error(meeting),
        hold_error=services.status_error(meeting, "held") if meeting.status == "published" else None,
        all_present=all_present,
        seen=_seen(rows) if seen is None else seen,
        marks=marks or {},
        form=EmptyForm(),
        status_form=EmptyForm(prefix="status"),
        walk_in_form=walk_in_form or WalkInForm(prefix="venu"),
        member_form=WalkInMemberForm(prefix="membre"),
        search=search,
        found=found,
        registered={r.member_id for r in rows if r.member_id},
        group_name=attendance.group_name,
        blank_lines=signin_sheet.default_blank_lines(len(rows)),
        **REGISTRATION_LABELS,
    )


@bp.route("/coordination/rencontres/<int:meeting_id>/presences", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def index(meeting_id: int):
    """Present or absent for everyone, in one form and one POST."""
    meeting = services.get_meeting(meeting_id, current_user)
    form = EmptyForm()
    if request.method == "POST":
        seen = request.form.get("vu", "")[:200_000]
        marks: dict[int, str] = {}
        try:
            marks = _marks()
            if not form.validate_on_submit():
                raise DomainError(_("Le formulaire a expiré : enregistrez de nouveau."))
            changed = attendance.record_attendance(current_user, meeting, marks, _parse_seen(seen))
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
            return _render(meeting, marks=marks, seen=seen)
        db.session.commit()
        if changed:
            parts = [
                ngettext("%(num)d personne marquée présente", "%(num)d personnes marquées présentes", n)
                if value == Attendance.PRESENT
                else ngettext("%(num)d personne marquée absente", "%(num)d personnes marquées absentes", n)
                if value == Attendance.ABSENT
                else ngettext(
                    "%(num)d présence remise à « non renseignée »", "%(num)d présences remises à « non renseignée »", n
                )
                for value, n in sorted(changed.items())
            ]
            flash(_("Présences enregistrées : %(changes)s.", changes=", ".join(parts)), "success")
        else:
            flash(_("Aucun changement à enregistrer."), "info")
        return redirect(url_for("attendance.index", meeting_id=meeting.id))
    return _render(meeting)


@bp.route("/coordination/rencontres/<int:meeting_id>/presences/membre", methods=["POST"])
@role_required(Role.COORDINATOR)
def add_member(meeting_id: int):
    """A person of the directory came without registering."""
    from clubess.members.models import Member

    meeting = services.get_meeting(meeting_id, current_user)
    form = WalkInMemberForm(prefix="membre")
    member_id = parse_int(form.member_id.data, None, minimum=1) if form.validate_on_submit() else None
    member = db.session.get(Member, member_id) if member_id else None
    if member is None:
        flash(_("Choisissez une personne de l’annuaire."), "error")
    else:
        try:
            attendance.add_walk_in_member(current_user, meeting, member)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(_("%(name)s est noté·e présent·e, venu·e sans inscription.", name=member.full_name), "success")
    return redirect(url_for("attendance.index", meeting_id=meeting.id) + "#sans-inscription")


@bp.route("/coordination/rencontres/<int:meeting_id>/presences/sans-inscription", methods=["POST"])
@role_required(Role.COORDINATOR)
def add_walk_in(meeting_id: int):
    """Someone who is not in the directory came: the form keeps what was typed when it is refused."""
    meeting = services.get_meeting(meeting_id, current_user)
    form = WalkInForm(prefix="venu")
    if form.validate_on_submit():
        try:
            attendance.add_walk_in(
                current_user, meeting, form.name.data, form.organisation.data or "", form.email.data or ""
            )
        except DomainError as exc:
            db.session.rollback()
            form.add_domain_errors(exc)
        else:
            db.session.commit()
            flash(_("%(name)s est noté·e présent·e, venu·e sans inscription.", name=form.name.data), "success")
            return redirect(url_for("attendance.index", meeting_id=meeting.id) + "#sans-inscription")
    return _render(meeting, walk_in_form=form)


@bp.route("/coordination/rencontres/<int:meeting_id>/presences/<int:registration_id>/retirer", methods=["POST"])
@role_required(Role.COORDINATOR)
def remove_walk_in(meeting_id: int, registration_id: int):
    meeting = services.get_meeting(meeting_id, current_user)
    registration = attendance.get_walk_in(meeting, registration_id)
    if EmptyForm().validate_on_submit():
        try:
            attendance.remove_walk_in(current_user, registration)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(
                _(
                    "%(name)s n’est plus compté·e parmi les présents. Pour l’y remettre, ajoutez-le·la de nouveau.",
                    name=registration.name,
                ),
                "success",
            )
    return redirect(url_for("attendance.index", meeting_id=meeting.id) + "#sans-inscription")


@bp.route("/coordination/rencontres/<int:meeting_id>/emargement.pdf")
@role_required(Role.COORDINATOR)
def signin_sheet_pdf(meeting_id: int):
    """The sign-in sheet to print: `?lignes=` empty lines for walk-ins (0 to 200; a tenth of the registrants,
    at least 10, by default)."""
    meeting = services.get_meeting(meeting_id, current_user)
    lines = int_arg("lignes", None, minimum=0, maximum=signin_sheet.MAX_BLANK_LINES)
    pdf = signin_sheet.render_pdf(signin_sheet.build_sheet(current_user, meeting, lines))
    return Response(
        pdf,
        mimetype="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{signin_sheet.filename(meeting)}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


def _filters() -> ParticipationFilterForm:
    """The filters as asked; a value that is not offered (typed in the address) falls back to the default,
    with the field's message."""
    this_year = str(participation.current_year())
    form = ParticipationFilterForm(request.args, annee=this_year)
    years = participation.available_years()
    form.annee.choices = [SelectChoice(str(y), str(y)) for y in years]
    year = parse_int(form.annee.data, None, minimum=1900, maximum=2199)
    departments = participation.member_departments(year if year in years else int(this_year))
    form.departement.choices = [SelectChoice("", _("Tous"))] + [
        SelectChoice(code, f"{code} — {name}") for code, name in departments
    ]
    form.validate()
    for field in (form.annee, form.type, form.departement, form.collectivite):
        if field.errors:
            field.data = this_year if field is form.annee else ""
    return form


@bp.route("/coordination/participation")
@role_required(Role.COORDINATOR)
def participation_index():
    """How many meetings each member collectivity came to in a year, and those that never came."""
    form = _filters()
    result = participation.participation(
        current_user,
        int(form.annee.data),
        meeting_kind=form.type.data or "",
        department=form.departement.data or "",
        territory_kind=form.collectivite.data or "",
    )
    if request.args.get("format") == "csv":
        return csv_response(
            [
                _("collectivité"),
                _("département"),
                _("type de collectivité"),
                _("rencontres (au moins une personne présente)"),
                _("personnes différentes présentes"),
                _("présences"),
            ],
            (
                [
                    r.name,
                    r.departments_label,
                    label(r.territory_kind, "territory_kind"),
                    r.meetings,
                    r.people,
                    r.presences,
                ]
                for r in result.rows
            ),
            f"participation-{result.year}.csv",
        )
    return render_template(
        "meetings/coordination/participation.html",
        form=form,
        result=result,
        kind_labels=KIND_LABELS,
    )
