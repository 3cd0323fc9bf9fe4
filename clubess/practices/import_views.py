"""The back-office import of practices, in two steps: the check page (the import run and rolled back, its
effect stated) and its button, which imports the file kept on the server (core/staging.py)."""

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from clubess.core import staging
from clubess.core.audit import record
from clubess.core.confirm import is_confirmed
from clubess.core.forms import EmptyForm
from clubess.core.permissions import Role, role_required
from clubess.extensions import db
from clubess.practices import confirmations, transfer
from clubess.practices.forms import ImportForm

bp = Blueprint("practice_import", __name__)

KIND = "practices"
#: the largest file read; the rest is cut off
MAX_BYTES = 2_000_000


def _counts(report: transfer.ImportReport) -> dict:
    return {"created": report.created, "updated": report.updated, "rejected": len(report.rejected)}


def _run(content: bytes, fmt: str, skip_invalid: bool) -> transfer.ImportReport:
    """The import itself, the same for the check (then rolled back) and the confirmation (then committed)."""
    return transfer.import_records(transfer.parse(content, fmt), actor=current_user, skip_invalid=skip_invalid)


def _page(form, status: int = 200, **context):
    context = {"report": None, "error": None, "check": None, **context}
    return render_template("practices/import.html", form=form, confirm_form=EmptyForm(), **context), status


def _check(form, staged: staging.Staged, report: transfer.ImportReport, status: int = 200, changed: bool = False):
    check = confirmations.import_check(report, staged.meta["filename"], url_for("practice_import.import_page"))
    check.carry = [(staging.FIELD, staged.token)]
    check.action = url_for("practice_import.import_page")
    return _page(form, status, report=report, check=check, changed=changed)


@bp.route("/coordination/pratiques/import", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def import_page():
    if is_confirmed():
        return _confirm(ImportForm(formdata=None))
    form = ImportForm()
    if not form.validate_on_submit():
        return _page(form)
    upload = form.file.data
    filename = (upload.filename or "pratiques.json")[:100]
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
    if not report.applied:  # invalid records and no option to skip them: nothing to confirm
        return _page(form, report=report)
    meta = {"filename": filename, "fmt": fmt, "skip_invalid": skip_invalid, "counts": _counts(report)}
    token = staging.stage(KIND, user_id, content, meta)
    return _check(form, staging.Staged(token, content, meta), report)


def _confirm(form):
    """The check page's button: import the kept file if it still does what the page said."""
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
    if not report.applied:  # every record now invalid: nothing left to confirm
        db.session.rollback()
        staging.discard(done.staged.token)
        return _page(form, 409, report=report)
    if done.changed:
        return _check(form, done.staged, report, 409, changed=True)
    record(current_user, "practice.imported", None, **_counts(report))
    db.session.commit()
    staging.discard(done.staged.token)
    return _page(form, report=report)
