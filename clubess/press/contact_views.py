"""The press back office: the press contacts and their CSV export (coordinators); the import is in import_views."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from clubess.core.confirm import Confirmation, confirmation_page, is_confirmed
from clubess.core.csvfile import csv_response
from clubess.core.errors import DomainError
from clubess.core.forms import EmptyForm
from clubess.core.inputs import page_arg
from clubess.core.permissions import Role, role_required
from clubess.extensions import db
from clubess.press import contacts
from clubess.press.forms import ContactForm
from clubess.press.labels import LABELS
from clubess.press.models import LegalBasis, OutletKind

bp = Blueprint("press_contacts", __name__)


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
    rows = contacts.export_contacts(current_user, q=q, status=status, segment=segment)
    db.session.commit()
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
            return redirect(url_for("press_contacts.contact_list"))
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
    return redirect(url_for("press_contacts.edit_contact", contact_id=contact_id))


def _unsubscribe_confirmation(contact) -> Confirmation:
    return Confirmation(
        title=_("Désabonner %(email)s ?", email=contact.email),
        effects=[
            _("Ce contact ne reçoit plus aucun communiqué, y compris ceux déjà en file d’envoi."),
            _("Vous ne pourrez pas le réabonner : seule la personne le peut, depuis la salle de presse."),
        ],
        button=_("Désabonner ce contact"),
        back=url_for("press_contacts.edit_contact", contact_id=contact.id),
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
        return redirect(url_for("press_contacts.contact_list"))
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
            back=url_for("press_contacts.edit_contact", contact_id=contact.id),
        ),
        form,
    )
