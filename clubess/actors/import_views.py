"""The back-office import and export of ESS actors: the check page (the import run and rolled back, its effect
stated), then its button imports the file kept on the server (core/staging.py), as for practices."""

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from clubess.actors import transfer
from clubess.core import staging
from clubess.core.confirm import Confirmation, import_check, is_confirmed
from clubess.core.forms import EmptyForm
from clubess.core.permissions import Role, role_required
from clubess.extensions import db
from clubess.practices.forms import ImportForm

bp = Blueprint("actors_transfer", __name__)

KIND = "actors"
MAX_BYTES = 2_000_000


def _counts(report) -> dict:
    return {"created": report.created, "updated": report.updated, "rejected": len(report.rejected)}


def _run(content: bytes, fmt: str, skip_invalid: bool):
    return transfer.import_records(transfer.parse(content, fmt), actor=current_user, skip_invalid=skip_invalid)


def _page(form, status: int = 200, **context):
    context = {"report": None, "error": None, "check": None, **context}
    return render_template("actors/coordination/import.html", form=form, confirm_form=EmptyForm(), **context), status


def _confirmation(report, filename: str) -> Confirmation:
    return import_check(
        report,
        filename,
        url_for("actors_transfer.import_page"),
        created=ngettext("%(num)d fiche sera créée.", "%(num)d fiches seront créées.", report.created),
        updated=ngettext("%(num)d fiche sera mise à jour.", "%(num)d fiches seront mises à jour.", report.updated),
        nothing=_("Le fichier ne crée ni ne met à jour aucune fiche."),
        button=_("Importer les acteurs et leurs solutions"),
    )


def _check(form, staged: staging.Staged, report, status: int = 200, changed: bool = False):
    check = _confirmation(report, staged.meta["filename"])
    check.carry = [(staging.FIELD, staged.token)]
    check.action = url_for("actors_transfer.import_page")
    return _page(form, status, report=report, check=check, changed=changed)


@bp.route("/coordination/acteurs/import", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def import_page():
    if is_confirmed():
        return _confirm(ImportForm(formdata=None))
    form = ImportForm()
    if not form.validate_on_submit():
        return _page(form)
    upload = form.file.data
    filename = (upload.filename or "acteurs.json")[:100]
    fmt = "csv" if filename.lower().endswith(".csv") else "json"
    content = upload.read(MAX_BYTES + 1)[:MAX_BYTES]
    skip_invalid = request.form.get("skip_invalid") == "y"
    user_id = current_user.id
    try:
        report = _run(content, fmt, skip_invalid)
    except (ValueError, UnicodeDecodeError) as exc:
        db.session.rollback()
        return _page(form, error=str(exc))
    db.session.rollback()  # the check writes nothing
    if not report.applied:
        return _page(form, report=report)
    meta = {"filename": filename, "fmt": fmt, "skip_invalid": skip_invalid, "counts": _counts(report)}
    token = staging.stage(KIND, user_id, content, meta)
    return _check(form, staging.Staged(token, content, meta), report)


def _confirm(form):
    if not EmptyForm().validate_on_submit():
        return _page(form, 400, error=_("Le formulaire a expiré : déposez le fichier à nouveau."))
    try:
        done = staging.rerun(
            KIND,
            request.form.get(staging.FIELD, ""),
            current_user.id,
            lambda staged: _run(staged.content, staged.meta["fmt"], staged.meta["skip_invalid"]),
            _counts,
        )
    except staging.Unavailable as exc:
        return _page(form, 400, error=exc.message)
    report = done.report
    if not report.applied:
        db.session.rollback()
        staging.discard(done.staged.token)
        return _page(form, 409, report=report)
    if done.changed:
        return _check(form, done.staged, report, 409, changed=True)
    db.session.commit()
    staging.discard(done.staged.token)
    return _page(form, report=report)


@bp.route("/coordination/acteurs/export.<fmt>")
@role_required(Role.COORDINATOR)
def export(fmt: str):
    """The directory and its published solutions, contacts included (coordinators only), as JSON or CSV."""
    if fmt not in ("json", "csv"):
        abort(404)
    organisations = transfer.listed_organisations()
    body = transfer.to_json(organisations) if fmt == "json" else transfer.to_csv(organisations)
    transfer.record_export(current_user, fmt, len(organisations))
    db.session.commit()
    return Response(
        body,
        mimetype="application/json" if fmt == "json" else "text/csv",
        headers={"Content-Disposition": f'attachment; filename="acteurs-ess.{fmt}"', "Cache-Control": "no-store"},
    )
