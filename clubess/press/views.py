"""The press room (public) and the press back office (coordinators)."""

from datetime import UTC, datetime, time

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from clubess.core.confirm import Confirmation, confirmation_page, is_confirmed
from clubess.core.csvfile import csv_response
from clubess.core.errors import DomainError, render_error
from clubess.core.forms import EmptyForm
from clubess.core.inputs import page_arg, parse_int
from clubess.core.permissions import Role, role_required
from clubess.core.timezone import local, tz
from clubess.extensions import db, limiter
from clubess.mailing.services import sandboxed_html
from clubess.press import communiques as service
from clubess.press import contact_import, contacts, subscriptions
from clubess.press.forms import (
    AttachmentForm,
    CommuniqueForm,
    ContactForm,
    ImportForm,
    SegmentForm,
    SubscribeForm,
)
from clubess.press.labels import LABELS
from clubess.press.mail import preview_mail
from clubess.press.models import LegalBasis, OutletKind

bp = Blueprint("press", __name__)

# --- public: the press room -------------------------------------------------------------------------


@bp.route("/presse")
def room():
    pagination = service.public_communiques(page=page_arg())
    return render_template("press/room.html", pagination=pagination, press_contact=service.club_press_contact())


@bp.route("/presse/atom.xml")
def feed():
    items = service.public_communiques(per_page=30).items
    updated = max((c.public_at() for c in items), default=datetime(2026, 1, 1, tzinfo=UTC))
    body = render_template("press/feed.xml", items=items, updated=updated)
    return body, 200, {"Content-Type": "application/atom+xml; charset=utf-8"}


@bp.route("/presse/abonnement", methods=["GET", "POST"])
@limiter.limit("10 per minute;50 per hour", methods=["POST"])
def subscribe():
    form = SubscribeForm()
    if request.method == "GET" and current_user.is_authenticated:
        form.email.data = current_user.email
    if form.validate_on_submit():
        try:
            subscriptions.request_subscription(
                form.email.data, form.name.data or "", form.outlet.data or "", current_user.is_authenticated
            )
        except DomainError as exc:
            db.session.rollback()
            form.add_domain_errors(exc)
        else:
            db.session.commit()
            return render_template("press/subscribe_sent.html", email=form.email.data.strip())
    return render_template("press/subscribe.html", form=form)


@bp.route("/presse/abonnement/<token>", methods=["GET", "POST"])
@limiter.limit("30 per minute")
def confirm_subscription(token: str):
    try:
        contact_id, email = subscriptions.read_subscription_token(token)
    except DomainError as exc:
        return render_error(400, exc.message)
    form = EmptyForm()
    if form.validate_on_submit():
        try:
            subscriptions.confirm_subscription(contact_id, email)
        except DomainError as exc:
            return render_error(404, exc.message)
        db.session.commit()
        return render_template("press/subscribe_done.html", email=email)
    return render_template("press/subscribe_confirm.html", form=form, email=email)


@bp.route("/presse/<slug>")
def show(slug: str):
    communique = service.get_public(slug)
    return render_template(
        "press/show.html", communique=communique, preview=False, press_contact=service.club_press_contact(), **LABELS
    )


@bp.route("/presse/<slug>/fichiers/<int:attachment_id>/<filename>")
def attachment(slug: str, attachment_id: int, filename: str):
    communique = service.get_public(slug)
    return _file_response(service.get_attachment(communique, attachment_id))


def _file_response(attachment):
    disposition = "inline" if attachment.is_image else "attachment"
    return (
        attachment.data,
        200,
        {
            "Content-Type": attachment.content_type,
            "Content-Disposition": f'{disposition}; filename="{attachment.filename}"',
            "Content-Security-Policy": "default-src 'none'; img-src 'self'; sandbox",
        },
    )


# --- back office: communiqués -------------------------------------------------------------------------


@bp.route("/coordination/presse/communiques")
@role_required(Role.COORDINATOR)
def manage():
    return render_template("press/coordination/list.html", items=service.list_communiques(current_user), **LABELS)


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
            return redirect(url_for("press.edit", communique_id=communique.id))
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
            return redirect(url_for("press.edit", communique_id=communique.id))
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
            return redirect(url_for("press.edit", communique_id=communique.id) + "#pieces-jointes")
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
        return redirect(url_for("press.edit", communique_id=communique.id) + "#pieces-jointes")
    effects = [_("La pièce jointe ne sera plus dans les prochains envois ni sur la page publique.")]
    if communique.status != "draft":
        effects.append(_("Les courriels déjà partis la gardent."))
    return confirmation_page(
        Confirmation(
            title=_("Retirer « %(name)s » ?", name=attachment.filename),
            effects=effects,
            button=_("Retirer la pièce jointe"),
            back=url_for("press.edit", communique_id=communique.id),
        ),
        form,
    )


@bp.route("/coordination/presse/communiques/<int:communique_id>/fichiers/<int:attachment_id>")
@role_required(Role.COORDINATOR)
def manage_attachment(communique_id: int, attachment_id: int):
    communique = service.get_communique(current_user, communique_id)
    return _file_response(service.get_attachment(communique, attachment_id))


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
            return redirect(url_for("press.edit", communique_id=communique.id))
        db.session.commit()
        flash(_("Brouillon supprimé."), "success")
        return redirect(url_for("press.manage"))
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
            back=url_for("press.edit", communique_id=communique.id),
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
                return redirect(url_for("press.deliveries", communique_id=communique.id))
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


# --- back office: contacts ------------------------------------------------------------------------------


def _contact_filters() -> tuple[str, str, contacts.Segment]:
    args = request.args
    segment = contacts.Segment(
        beats=[b for b in args.getlist("thematique") if b],
        departements=[d for d in args.getlist("departement") if d],
        outlet_kinds=[k for k in args.getlist("type") if k],
    )
    return args.get("q", "").strip()[:100], args.get("statut", ""), segment


@bp.route("/coordination/presse/contacts")
@role_required(Role.COORDINATOR)
def contact_list():
    q, status, segment = _contact_filters()
    return render_template(
        "press/coordination/contacts.html",
        pagination=contacts.list_contacts(current_user, q=q, status=status, segment=segment, page=page_arg()),
        q=q,
        status=status,
        segment=segment,
        choices=contacts.segment_choices(current_user),
        counts=contacts.count_by_status(current_user),
        **LABELS,
    )


@bp.route("/coordination/presse/contacts.csv")
@role_required(Role.COORDINATOR)
def contacts_csv():
    q, status, segment = _contact_filters()
    rows = contacts.all_contacts(current_user, q=q, status=status, segment=segment)
    header = [
        _("nom"), _("média"), _("email"), _("thématiques"), _("département"), _("téléphone"),
        _("type de média"), _("base légale"), _("statut"), _("source"),
    ]  # fmt: skip
    return csv_response(
        header,
        (
            [
                c.name,
                c.outlet,
                c.email,
                c.beats,
                c.departement,
                c.phone,
                str(LABELS["outlet_kind_labels"][c.outlet_kind]),
                str(LABELS["legal_basis_labels"][c.legal_basis]),
                str(LABELS["contact_status_labels"][c.status]),
                c.source,
            ]  # fmt: skip
            for c in rows
        ),
        "contacts-presse.csv",
    )


def _contact_data(form: ContactForm) -> contacts.ContactData:
    return contacts.ContactData(
        email=form.email.data or "",
        name=form.name.data or "",
        outlet=form.outlet.data or "",
        outlet_kind=form.outlet_kind.data or OutletKind.OTHER.value,
        beats=form.beats.data or "",
        departement=form.departement.data or "",
        phone=form.phone.data or "",
        legal_basis=form.legal_basis.data or LegalBasis.LEGITIMATE_INTEREST.value,
        notes=form.notes.data or "",
    )


@bp.route("/coordination/presse/contacts/nouveau", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def new_contact():
    return _contact_page(None)


@bp.route("/coordination/presse/contacts/<int:contact_id>", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def edit_contact(contact_id: int):
    return _contact_page(contacts.get_contact(current_user, contact_id))


def _contact_page(contact):
    form = ContactForm(obj=contact)
    if form.validate_on_submit():
        try:
            contact = contacts.save_contact(current_user, contact, _contact_data(form))
        except DomainError as exc:
            db.session.rollback()
            form.add_domain_errors(exc)
        else:
            db.session.commit()
            flash(_("Contact enregistré."), "success")
            return redirect(url_for("press.contact_list"))
    return render_template(
        "press/coordination/contact_form.html", form=form, contact=contact, status_form=EmptyForm(), **LABELS
    )


@bp.route("/coordination/presse/contacts/<int:contact_id>/statut", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def contact_status(contact_id: int):
    """Reactivating a bounced address is one click; unsubscribing asks first (only the person can undo it)."""
    contact = contacts.get_contact(current_user, contact_id)
    form = EmptyForm()
    status = request.values.get("status", "")
    if status == "unsubscribed" and contact.status != "unsubscribed" and not is_confirmed():
        return confirmation_page(_unsubscribe_confirmation(contact), form)
    if request.method == "POST" and form.validate_on_submit():
        try:
            contacts.set_status(current_user, contact, status)
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(_("Statut du contact : %(s)s.", s=LABELS["contact_status_labels"][contact.status]), "success")
    return redirect(url_for("press.edit_contact", contact_id=contact_id))


def _unsubscribe_confirmation(contact) -> Confirmation:
    return Confirmation(
        title=_("Désabonner %(email)s ?", email=contact.email),
        effects=[
            _("Ce contact ne reçoit plus aucun communiqué, y compris ceux déjà en file d’envoi."),
            _("Vous ne pourrez pas le réabonner : seule la personne le peut, depuis la salle de presse."),
        ],
        button=_("Désabonner ce contact"),
        back=url_for("press.edit_contact", contact_id=contact.id),
    )


@bp.route("/coordination/presse/contacts/<int:contact_id>/supprimer", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def delete_contact(contact_id: int):
    contact = contacts.get_contact(current_user, contact_id)
    form = EmptyForm()
    if is_confirmed() and form.validate_on_submit():
        contacts.delete_contact(current_user, contact)
        db.session.commit()
        flash(_("Contact effacé."), "success")
        return redirect(url_for("press.contact_list"))
    return confirmation_page(
        Confirmation(
            title=_("Effacer %(email)s ?", email=contact.email),
            effects=[
                _(
                    "Le contact et l’historique de ses envois sont effacés (droit à l’effacement) ; ce qui attend "
                    "encore dans la file d’envoi ne part pas. C’est définitif."
                ),
                _(
                    "Une personne qui ne veut plus de communiqués doit plutôt être désabonnée : une adresse effacée "
                    "pourrait être réimportée."
                ),
            ],
            button=_("Effacer le contact"),
            back=url_for("press.edit_contact", contact_id=contact.id),
        ),
        form,
    )


@bp.route("/coordination/presse/contacts/import", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def import_contacts():
    form = ImportForm()
    report = None
    if form.validate_on_submit():
        upload = form.file.data
        try:
            report = contact_import.import_csv(
                current_user, upload.read(), upload.filename or "contacts.csv", form.legal_basis.data
            )
        except ValueError as exc:
            db.session.rollback()
            form.file.errors = [str(exc)]
        else:
            db.session.commit()
    return render_template("press/coordination/import.html", form=form, report=report, **LABELS)
