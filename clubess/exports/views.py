"""The coordinators' exports: the page listing every export, the members' and the registrants' spreadsheets."""

from flask import Blueprint, abort, render_template, request
from flask_login import current_user

from clubess.core.permissions import Role, role_required
from clubess.core.xlsxfile import FORMATS, spreadsheet_response
from clubess.exports import members, registrants
from clubess.exports.forms import MemberExportForm, RegistrantExportForm
from clubess.extensions import db
from clubess.members import hierarchy

bp = Blueprint("exports", __name__, url_prefix="/coordination")


@bp.app_template_global()
def member_export_form(formdata=None) -> MemberExportForm:
    """The members' export filters, for any back-office page that offers the download (one query)."""
    return MemberExportForm(formdata=formdata, targets=hierarchy.targets())


def _page(member_form=None, registrant_form=None, status: int = 200):
    return render_template(
        "exports/index.html",
        member_form=member_form or member_export_form(),
        registrant_form=registrant_form or RegistrantExportForm.this_year(),
    ), status


@bp.route("/exports")
@role_required(Role.COORDINATOR)
def index():
    return _page()


@bp.route("/membres/export.<fmt>")
@role_required(Role.COORDINATOR)
def members_export(fmt: str):
    if fmt not in FORMATS:
        abort(404)
    form = member_export_form(request.args)
    if not form.validate():
        return _page(member_form=form, status=400)
    filters = members.MemberFilters(
        department=form.departement.data or "",
        kind=form.type.data or "",
        territory=form.perimetre.data or "",
        interest=form.interet.data or "",
    )
    header, rows = members.export_members(current_user, filters, fmt)
    db.session.commit()
    return spreadsheet_response(fmt, header, rows, "membres")


@bp.route("/inscriptions/export.<fmt>")
@role_required(Role.COORDINATOR)
def registrants_export(fmt: str):
    if fmt not in FORMATS:
        abort(404)
    form = RegistrantExportForm(request.args)
    if not form.validate():
        return _page(registrant_form=form, status=400)
    header, rows = registrants.export_registrants(
        current_user,
        form.du.data,
        form.au.data,
        fmt,
        meeting_kind=form.type_rencontre.data or "",
        status=form.statut.data or "",
    )
    db.session.commit()
    return spreadsheet_response(fmt, header, rows, f"inscrits-{form.du.data.isoformat()}-{form.au.data.isoformat()}")
