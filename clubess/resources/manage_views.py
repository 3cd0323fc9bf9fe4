"""The coordinators' documents: a meeting's documents, the centre's own, editing, replacing, deleting, and
a « retour d'expérience » linked to its practice fiche (or the fiche drafted for the référent)."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import RequestEntityTooLarge
from wtforms.fields.choices import SelectChoice

from clubess.core.confirm import confirmation_page, is_confirmed
from clubess.core.duplicates import NeedsConfirmation
from clubess.core.errors import DomainError, NotFound
from clubess.core.forms import EmptyForm
from clubess.core.inputs import page_arg, parse_int
from clubess.core.permissions import Role, role_required
from clubess.extensions import db
from clubess.meetings import services as meetings
from clubess.meetings.models import AgendaItem
from clubess.resources import confirmations, files, presentations, services
from clubess.resources.forms import DocumentForm, DraftPracticeForm, LinkPracticeForm
from clubess.resources.views import LABELS

bp = Blueprint("resources_manage", __name__)


@bp.errorhandler(RequestEntityTooLarge)
def too_large(exc):
    """A request larger than the server takes (MAX_CONTENT_LENGTH_MB) was not read: say so on the form's page."""
    db.session.rollback()
    limit = request.max_content_length // (1024 * 1024) if request.max_content_length else 0
    form = DocumentForm(formdata=None)
    form.file.errors = [
        _("Le fichier dépasse %(n)d Mo : rien n’a été enregistré. Choisissez un fichier plus léger.", n=limit)
    ]
    form.form_errors.append(_("Rien n’a été enregistré : le fichier était trop lourd pour être reçu."))
    meeting_id = (request.view_args or {}).get("meeting_id")
    if meeting_id:
        meeting = meetings.get_meeting(meeting_id, current_user)
        return _meeting_page(meeting, form.for_meeting(meeting), 413)
    return _centre_page(form.for_centre(), 413)


def _upload(form: DocumentForm) -> files.Upload | None:
    storage = form.file.data
    if storage is None or not getattr(storage, "filename", ""):
        return None
    return files.Upload(filename=storage.filename, data=storage.read(files.read_limit()))


def _data(form: DocumentForm) -> services.DocumentData:
    return services.DocumentData(
        title=form.title.data or "",
        kind=form.kind.data or "",
        visibility=form.visibility.data or "",
        description=form.description.data or "",
        lever=form.lever.data or None,
        agenda_item_id=parse_int(form.agenda_item_id.data, minimum=1) if form.agenda_item_id else None,
        year=form.year.data if form.year else None,
        url=form.url.data or "",
        practices=form.practices.data or "",
    )


def _save(form: DocumentForm, meeting, document) -> bool:
    """Validate and save; field errors go back on the form (what was typed stays)."""
    if not form.validate_on_submit():
        return False
    try:
        services.save_document(current_user, meeting, document, _data(form), _upload(form))
    except DomainError as exc:
        db.session.rollback()
        form.add_domain_errors(exc)
        return False
    db.session.commit()
    return True


def _meeting_page(meeting, form, status: int = 200):
    return (
        render_template(
            "resources/coordination/meeting_documents.html",
            meeting=meeting,
            form=form,
            documents=services.list_for_meeting(current_user, meeting),
            **LABELS,
        ),
        status,
    )


@bp.route("/coordination/rencontres/<int:meeting_id>/documents", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def meeting_documents(meeting_id: int):
    meeting = meetings.get_meeting(meeting_id, current_user)
    form = DocumentForm().for_meeting(meeting)
    if request.method == "POST":
        if _save(form, meeting, None):
            flash(_("Document ajouté : il est sur la page de la rencontre."), "success")
            return redirect(url_for("resources_manage.meeting_documents", meeting_id=meeting.id))
        return _meeting_page(meeting, form, 400)
    return _meeting_page(meeting, form)


def _centre_page(form, status: int = 200):
    return (
        render_template(
            "resources/coordination/centre.html",
            form=form,
            pagination=services.list_centre(current_user, page=page_arg()),
            meetings=services.count_by_meeting(current_user),
            **LABELS,
        ),
        status,
    )


@bp.route("/coordination/ressources", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def manage():
    form = DocumentForm().for_centre()
    if request.method == "POST":
        if _save(form, None, None):
            flash(_("Document ajouté au centre de ressources."), "success")
            return redirect(url_for("resources_manage.manage"))
        return _centre_page(form, 400)
    return _centre_page(form)


def _back(document) -> str:
    if document.meeting_id:
        return url_for("resources_manage.meeting_documents", meeting_id=document.meeting_id)
    return url_for("resources_manage.manage")


@bp.route("/coordination/ressources/<int:document_id>", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def edit(document_id: int):
    document = services.get_document(document_id)
    meeting = meetings.get_meeting(document.meeting_id, current_user) if document.meeting_id else None
    form = DocumentForm(
        data=None
        if request.method == "POST"
        else {
            "title": document.title,
            "kind": document.kind,
            "url": document.url,
            "agenda_item_id": str(document.agenda_item_id or ""),
            "lever": document.lever or "",
            "visibility": document.visibility,
            "year": document.year,
            "description": document.description,
            "practices": ", ".join(p.ref for p in document.practices),
        }
    )
    form = form.for_meeting(meeting) if meeting else form.for_centre()
    status = 200
    if request.method == "POST":
        if _save(form, meeting, document):
            flash(_("Document enregistré."), "success")
            return redirect(_back(document))
        status = 400
        document = services.get_document(document_id)
    return (
        render_template("resources/coordination/edit.html", document=document, meeting=meeting, form=form, **LABELS),
        status,
    )


@bp.route("/coordination/ressources/<int:document_id>/supprimer", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def delete(document_id: int):
    document = services.get_document(document_id)
    back = _back(document)
    form = EmptyForm()
    if is_confirmed() and form.validate_on_submit():
        services.delete_document(current_user, document)
        db.session.commit()
        flash(_("Document supprimé ; son fichier est effacé du serveur."), "success")
        return redirect(back)
    return confirmation_page(confirmations.delete(document, back), form)


# --- a « retour d'expérience » and its practice fiche ----------------------------------------------------


def _item(meeting_id: int, item_id: int) -> AgendaItem:
    item = db.session.get(AgendaItem, item_id)
    if item is None or item.meeting_id != meeting_id:
        raise NotFound(_("Point introuvable."))
    return item


def _to_meeting(meeting_id: int, **typed):
    """Back to the meeting's page; `typed`: what a refused form held, shown again in its field."""
    return redirect(url_for("planning.edit", meeting_id=meeting_id, **typed) + "#fiches-pratiques")


@bp.route("/coordination/rencontres/<int:meeting_id>/points/<int:item_id>/fiche-liee", methods=["POST"])
@role_required(Role.COORDINATOR)
def link_practice(meeting_id: int, item_id: int):
    item = _item(meeting_id, item_id)
    form = LinkPracticeForm(prefix=f"item{item.id}")
    if form.validate_on_submit():
        try:
            practice = presentations.link_practice(current_user, item, form.practice.data)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(_("« %(item)s » est lié à la fiche « %(title)s ».", item=item.title, title=practice.title), "success")
            return _to_meeting(meeting_id)
    else:
        flash(next(iter(form.errors.values()), [_("Indiquez la référence de la fiche.")])[0], "error")
    return _to_meeting(meeting_id, **{form.practice.name: (form.practice.data or "")[:500]})


@bp.route("/coordination/rencontres/<int:meeting_id>/points/<int:item_id>/fiche-liee/retirer", methods=["POST"])
@role_required(Role.COORDINATOR)
def unlink_practice(meeting_id: int, item_id: int):
    item = _item(meeting_id, item_id)
    if EmptyForm().validate_on_submit():
        presentations.unlink_practice(current_user, item)
        db.session.commit()
        flash(_("Le lien vers la fiche est retiré (la fiche reste dans la bibliothèque)."), "success")
    return _to_meeting(meeting_id)


@bp.route("/coordination/rencontres/<int:meeting_id>/points/<int:item_id>/fiche", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def draft_practice(meeting_id: int, item_id: int):
    """« Rédiger la fiche »: a draft prefilled from the item, for the speaker's référent (or whom the coordinator
    chooses when there is none); nothing is written before the button."""
    item = _item(meeting_id, item_id)
    try:
        plan = presentations.plan_draft(current_user, item)
    except DomainError as exc:
        flash(exc.message, "error")
        return _to_meeting(meeting_id)
    form = DraftPracticeForm(data=None if request.method == "POST" else {"title": plan.title, "lever": plan.lever})
    form.assignee.choices = [SelectChoice(value, text) for value, text in plan.choices]
    if not plan.choices:
        del form.assignee
    warning = None
    if form.validate_on_submit():
        try:
            practice, author = presentations.draft_practice(
                current_user,
                item,
                form.title.data,
                form.lever.data,
                chosen=form.assignee.data if plan.choices else "",
                acknowledged=request.form.get("acknowledge", "")[:2000],
            )
        except NeedsConfirmation as exc:
            db.session.rollback()
            warning = exc
        except DomainError as exc:
            db.session.rollback()
            form.add_domain_errors(exc)
        else:
            db.session.commit()
            if author is not None and author.id != current_user.id:
                flash(
                    _(
                        "Le brouillon « %(title)s » est confié à %(name)s, prévenu·e par courriel.",
                        title=practice.title,
                        name=author.display_name or author.email,
                    ),
                    "success",
                )
            else:
                flash(_("Le brouillon « %(title)s » est créé ; il est à vous.", title=practice.title), "success")
            return _to_meeting(meeting_id)
    return render_template(
        "resources/coordination/draft.html", plan=plan, form=form, warning=warning, item=item, **LABELS
    )


@bp.app_template_global("meeting_document_count")
def meeting_document_count(meeting) -> int:
    return presentations.document_count(meeting)


@bp.app_template_global("meeting_presentations")
def meeting_presentations(meeting):
    return presentations.items_for_coordination(meeting)
