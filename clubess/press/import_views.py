"""The CSV import of press contacts, in two steps: the check page (the import run and rolled back, its effect
stated) and its button, which imports the file kept on the server (core/staging.py)."""

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from clubess.core import staging
from clubess.core.confirm import is_confirmed
from clubess.core.forms import EmptyForm
from clubess.core.permissions import Role, role_required
from clubess.extensions import db
from clubess.press import confirmations, contact_import
from clubess.press.forms import ImportForm
from clubess.press.labels import LABELS

bp = Blueprint("press_import", __name__)

KIND = "press_contacts"


def _counts(report: contact_import.ImportReport) -> dict:
    return {
        "created": report.created,
        "updated": report.updated,
        "merged": report.merged,
        "rejected": len(report.rejected),
        "kept_inactive": len(report.kept_inactive),
    }


def _page(form, status: int = 200, **context):
    context = {"report": None, "check": None, "error": None, **context}
    template = "press/coordination/import.html"
    return render_template(template, form=form, confirm_form=EmptyForm(), **context, **LABELS), status


def _check(form, staged: staging.Staged, report, status: int = 200, changed: bool = False):
    check = confirmations.import_check(report, staged.meta["filename"])
    check.carry = [(staging.FIELD, staged.token)]
    return _page(form, status, report=report, check=check, changed=changed)


@bp.route("/coordination/presse/contacts/import", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def import_contacts():
    if is_confirmed():
        return _confirm(ImportForm(formdata=None))
    form = ImportForm()
    if not form.validate_on_submit():
        return _page(form)
    upload = form.file.data
    filename = (upload.filename or "contacts.csv")[:100]
    content = upload.read(staging.MAX_BYTES + 1)
    user_id = current_user.id
    try:
        if len(content) > staging.MAX_BYTES:
            raise ValueError(_("Le fichier dépasse %(n)d Mo : découpez-le.", n=staging.MAX_BYTES // (1024 * 1024)))
        report = contact_import.import_csv(current_user, content, filename, form.legal_basis.data)
    except ValueError as exc:
        db.session.rollback()
        form.file.errors = [str(exc)]
        return _page(form)
    db.session.rollback()  # the check writes nothing
    meta = {"filename": filename, "legal_basis": form.legal_basis.data, "counts": _counts(report)}
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
            lambda staged: contact_import.import_csv(
                current_user, staged.content, staged.meta["filename"], staged.meta["legal_basis"]
            ),
            _counts,
        )
    except staging.Unavailable as exc:
        return _page(form, 400, error=exc.message)
    if done.changed:
        return _check(form, done.staged, done.report, 409, changed=True)
    db.session.commit()
    staging.discard(done.staged.token)
    return _page(form, report=done.report)
