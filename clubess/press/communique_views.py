"""The press back office: communiqués written, previewed and sent to a segment of the contacts (coordinators)."""

from datetime import datetime, time

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from clubess.core.confirm import Confirmation, confirmation_page, is_confirmed
from clubess.core.errors import DomainError
from clubess.core.forms import EmptyForm
from clubess.core.inputs import page_arg, parse_int
from clubess.core.permissions import Role, role_required
from clubess.core.timezone import local, tz
from clubess.extensions import db
from clubess.mailing.services import sandboxed_html
from clubess.press import communiques as service
from clubess.press import contacts
from clubess.press.forms import AttachmentForm, CommuniqueForm, SegmentForm
from clubess.press.labels import LABELS
from clubess.press.mail import preview_mail
from clubess.press.views import file_response

bp = Blueprint("press_communiques", __name__)


@bp.route("/coordination/presse/communiques")
@role_required(Role.COORDINATOR)
def manage():
    return render_template(
        "press/coordination/list.html", pagination=service.list_communiques(current_user, page=page_arg()), **LABELS
    )


def _embargo(form: CommuniqueForm) -> datetime | None:
    if not form.embargo_date.data:
        return None
    return local(form.embargo_date.data, form.embargo_time.data or time(0, 0))


def _data(form: CommuniqueForm) -> service.CommuniqueData:
    return service.CommuniqueData(
        title=form.title.data or "",
        standfirst=form.standfirst.data or "",
        body=form.body.data or "",
        contact_block=form.contact_block.data or "",
        embargo_until=_embargo(form),
    )


@bp.route("/coordination/presse/communiques/nouveau", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def new():
    form = CommuniqueForm()
    if request.method == "GET":
        form.contact_block.data = service.default_contact_block()
    if form.validate_on_submit():
        try:
            communique = service.save_communique(current_user, None, _data(form))
        except DomainError as exc:
            db.session.rollback()
            form.add_domain_errors(exc)
        else:
            db.session.commit()
            flash(_("Communiqué enregistré en brouillon. Ajoutez les pièces jointes, puis prévisualisez."), "success")
            return redirect(url_for("press_communiques.edit", communique_id=communique.id))
    return render_template("press/coordination/form.html", form=form, communique=None, **LABELS)


@bp.route("/coordination/presse/communiques/<int:communique_id>", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def edit(communique_id: int):
    communique = service.get_communique(current_user, communique_id)
    form = CommuniqueForm(obj=communique)
    if request.method == "GET" and communique.embargo_until:
        until = communique.embargo_until.astimezone(tz())
        form.embargo_date.data, form.embargo_time.data = until.date(), until.time().replace(second=0, microsecond=0)
    if form.validate_on_submit():
        try:
            service.save_communique(current_user, communique, _data(form))
        except DomainError as exc:
            db.session.rollback()
            form.add_domain_errors(exc)
        else:
            db.session.commit()
            flash(_("Communiqué enregistré."), "success")
            return redirect(url_for("press_communiques.edit", communique_id=communique.id))
    return _edit_page(communique, form, AttachmentForm())


def _edit_page(communique, form: CommuniqueForm, attachment_form: AttachmentForm, status: int = 200):
    return (
        render_template(
            "press/coordination/form.html",
            form=form,
            communique=communique,
            attachment_form=attachment_form,
            counts=service.delivery_counts(current_user, communique),
            **LABELS,
        ),
        status,
    )


@bp.route("/coordination/presse/communiques/<int:communique_id>/pieces-jointes", methods=["POST"])
@role_required(Role.COORDINATOR)
def upload(communique_id: int):
    communique = service.get_communique(current_user, communique_id)
    attachment_form = AttachmentForm()
    if attachment_form.validate_on_submit():
        upload = attachment_form.file.data
        try:
            service.add_attachment(current_user, communique, upload.filename or "", upload.read())
        except DomainError as exc:
            db.session.rollback()
            attachment_form.add_domain_errors(exc)
        else:
            db.session.commit()
            flash(_("Pièce jointe ajoutée."), "success")
            return redirect(url_for("press_communiques.edit", communique_id=communique.id) + "#pieces-jointes")
    communique = service.get_communique(current_user, communique_id)
    return _edit_page(communique, CommuniqueForm(obj=communique, formdata=None), attachment_form, 400)


@bp.route(
    "/coordination/presse/communiques/<int:communique_id>/pieces-jointes/<int:attachment_id>/supprimer",
    methods=["GET", "POST"],
)
@role_required(Role.COORDINATOR)
def remove_attachment(communique_id: int, attachment_id: int):
    communique = service.get_communique(current_user, communique_id)
    attachment = service.get_attachment(communique, attachment_id)
    form = EmptyForm()
    if is_confirmed() and form.validate_on_submit():
        service.remove_attachment(current_user, communique, attachment_id)
        db.session.commit()
        flash(_("Pièce jointe retirée."), "success")
        return redirect(url_for("press_communiques.edit", communique_id=communique.id) + "#pieces-jointes")
    effects = [_("La pièce jointe ne sera plus dans les prochains envois ni sur la page publique.")]
    if communique.status != "draft":
        effects.append(_("Les courriels déjà partis la gardent."))
    return confirmation_page(
        Confirmation(
            title=_("Retirer « %(name)s » ?", name=attachment.filename),
            effects=effects,
            button=_("Retirer la pièce jointe"),
            back=url_for("press_communiques.edit", communique_id=communique.id),
        ),
        form,
    )


@bp.route("/coordination/presse/communiques/<int:communique_id>/fichiers/<int:attachment_id>")
@role_required(Role.COORDINATOR)
def manage_attachment(communique_id: int, attachment_id: int):
    communique = service.get_communique(current_user, communique_id)
    return file_response(service.get_attachment(communique, attachment_id))


@bp.route("/coordination/presse/communiques/<int:communique_id>/supprimer", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def delete(communique_id: int):
    communique = service.get_communique(current_user, communique_id)
    form = EmptyForm()
    if communique.status != "draft" or (is_confirmed() and form.validate_on_submit()):
        try:
            service.delete_communique(current_user, communique)  # refuses a communiqué already sent
        except DomainError as exc:
            flash(exc.message, "error")
            return redirect(url_for("press_communiques.edit", communique_id=communique.id))
        db.session.commit()
        flash(_("Brouillon supprimé."), "success")
        return redirect(url_for("press_communiques.manage"))
    return confirmation_page(
        Confirmation(
            title=_("Supprimer le brouillon « %(title)s » ?", title=communique.title),
            effects=[
                ngettext(
                    "Le texte et sa pièce jointe sont effacés : c’est définitif.",
                    "Le texte et ses %(num)d pièces jointes sont effacés : c’est définitif.",
                    len(communique.attachments),
                )
                if communique.attachments
                else _("Le texte est effacé : c’est définitif.")
            ],
            button=_("Supprimer le brouillon"),
            back=url_for("press_communiques.edit", communique_id=communique.id),
        ),
        form,
    )


@bp.route("/coordination/presse/communiques/<int:communique_id>/apercu")
@role_required(Role.COORDINATOR)
def preview(communique_id: int):
    communique = service.get_communique(current_user, communique_id)
    mail = preview_mail(communique, current_user.email)
    return render_template(
        "press/coordination/preview.html",
        communique=communique,
        mail=mail,
        public=service.is_public(communique),
        press_contact=service.club_press_contact(),
        **LABELS,
    )


@bp.route("/coordination/presse/communiques/<int:communique_id>/apercu-courriel")
@role_required(Role.COORDINATOR)
def preview_html(communique_id: int):
    communique = service.get_communique(current_user, communique_id)
    mail = preview_mail(communique, current_user.email)
    return sandboxed_html(mail.html)


def _segment_form(choices: dict) -> SegmentForm:
    form = SegmentForm()
    form.beats.choices = [SelectChoice(b, b) for b in choices["beats"]]
    form.departements.choices = [SelectChoice(d, d) for d in choices["departements"]]
    return form


def _segment(form: SegmentForm) -> contacts.Segment:
    return contacts.Segment(
        beats=list(form.beats.data or []),
        departements=list(form.departements.data or []),
        outlet_kinds=list(form.outlet_kinds.data or []),
    )


@bp.route("/coordination/presse/communiques/<int:communique_id>/envoyer", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def send(communique_id: int):
    """Choose the segment → see the count → confirm: nothing is queued before."""
    communique = service.get_communique(current_user, communique_id)
    form = _segment_form(contacts.segment_choices(current_user))
    preview = None
    if form.validate_on_submit():
        segment = _segment(form)
        if request.form.get("action") == "send":
            try:
                count = service.send(current_user, communique, segment, parse_int(form.expected.data, -1))
            except DomainError as exc:
                db.session.rollback()
                form.add_domain_errors(exc)
            except ValueError:
                form.form_errors.append(_("Nombre de destinataires attendu invalide : refaites l’aperçu."))
            else:
                db.session.commit()
                flash(
                    ngettext(
                        "%(num)d envoi mis en file : suivez-le ci-dessous.",
                        "%(num)d envois mis en file : suivez-les ci-dessous.",
                        count,
                    ),
                    "success",
                )
                return redirect(url_for("press_communiques.deliveries", communique_id=communique.id))
            communique = service.get_communique(current_user, communique_id)
        preview = service.preview_send(current_user, communique, segment)
        form.expected.data = str(len(preview.recipients))
    return render_template("press/coordination/send.html", communique=communique, form=form, preview=preview, **LABELS)


@bp.route("/coordination/presse/communiques/<int:communique_id>/envois")
@role_required(Role.COORDINATOR)
def deliveries(communique_id: int):
    communique = service.get_communique(current_user, communique_id)
    status = request.args.get("statut", "")
    return render_template(
        "press/coordination/deliveries.html",
        communique=communique,
        pagination=service.list_deliveries(current_user, communique, status=status, page=page_arg()),
        counts=service.delivery_counts(current_user, communique),
        status=status,
        **LABELS,
    )
