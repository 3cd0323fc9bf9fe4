"""The library: search page, practice pages, submission, moderation, import/export, thesaurus, API."""

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from clubess.core.confirm import confirmation_page, is_confirmed
from clubess.core.duplicates import NeedsConfirmation
from clubess.core.errors import DomainError
from clubess.core.forms import EmptyForm
from clubess.core.inputs import page_arg, parse_int
from clubess.core.pagecache import public_page
from clubess.core.permissions import Role, has_role, role_required
from clubess.core.vocabulary import LEVERS
from clubess.extensions import db
from clubess.members import hierarchy
from clubess.members.forms import TERRITORY_KIND_LABELS
from clubess.practices import confirmations, services, transfer, visibility
from clubess.practices.forms import PracticeForm, ReviewForm, ThesaurusForm
from clubess.practices.labels import STATUS_LABELS
from clubess.practices.models import ThesaurusEntry
from clubess.practices.search.engine import Filters, highlight, search

bp = Blueprint("practices", __name__)


def _filters() -> Filters:
    year = request.args.get("annee", "")
    return Filters(
        lever=request.args.get("levier", "") if request.args.get("levier", "") in LEVERS else "",
        theme=request.args.get("theme", "")[:100],
        territory_kind=request.args.get("territoire", "")
        if request.args.get("territoire") in TERRITORY_KIND_LABELS
        else "",
        department=request.args.get("departement", "")[:3],
        year=parse_int(year, minimum=1000, maximum=9999),
        perimeter=request.args.get("perimetre", "").strip()[:12],
    )


@bp.route("/bonnes-pratiques")
@public_page
def library():
    """The library, open to everyone: published practices are public portraits (practices/visibility.py)."""
    query = request.args.get("q", "")[:500]
    sort = "date" if request.args.get("tri") == "date" else "relevance"
    filters, targets = _filters(), hierarchy.targets()
    if filters.perimeter and filters.perimeter not in {t.code for t in targets}:
        flash(_("Territoire inconnu : choisissez-le dans la liste."), "error")
        filters.perimeter = ""
    result = search(query, filters, sort=sort, page=page_arg())
    matched = result.plan.all_terms()
    return render_template(
        "practices/library.html",
        result=result,
        query=query,
        sort=sort,
        filters=filters,
        targets=targets,
        levers=LEVERS,
        kind_labels=TERRITORY_KIND_LABELS,
        highlight=highlight,
        matched=matched,
        sees_contacts=visibility.sees_contacts(current_user),
    )


@bp.route("/bonnes-pratiques/<int:practice_id>")
@public_page
def detail(practice_id: int):
    """A practice's portrait for everyone; its contact for members and coordinators (practices/visibility.py)."""
    practice = services.get_practice(practice_id, current_user)
    return render_template(
        "practices/detail.html",
        practice=practice,
        related=services.related(practice),
        levers=LEVERS,
        kind_labels=TERRITORY_KIND_LABELS,
        status_labels=STATUS_LABELS,
        sees_contacts=visibility.sees_contacts(current_user),
    )


def _data(form: PracticeForm) -> services.PracticeData:
    return services.PracticeData(
        title=form.title.data or "",
        lever=form.lever.data,
        summary=form.summary.data or "",
        description=form.description.data or "",
        themes=form.theme_list(),
        year=form.year.data,
        partners=form.partner_list(),
        links=form.link_list(),
        contact_role=form.contact_role.data or "",
    )


@bp.route("/bonnes-pratiques/proposer", methods=["GET", "POST"])
@login_required
def submit():
    from clubess.members.services import member_of

    membership = member_of(current_user)
    if membership is None and not has_role(current_user, Role.COORDINATOR):
        abort(403)
    form = PracticeForm()
    preview = warning = None
    if form.validate_on_submit():
        if request.form.get("action") == "preview":
            preview = form.description.data
        else:
            try:
                practice = services.create_practice(
                    current_user,
                    _data(form),
                    submit=request.form.get("action") == "submit",
                    collectivity=membership.collectivity if membership else None,
                    acknowledged=request.form.get("acknowledge", "")[:2000],
                )
            except NeedsConfirmation as exc:
                warning = exc
            except DomainError as exc:
                form.add_domain_errors(exc)
            else:
                db.session.commit()
                flash(
                    _("Votre pratique est envoyée à l’équipe du club.")
                    if practice.status == "submitted"
                    else _("Votre brouillon est enregistré."),
                    "success",
                )
                return redirect(url_for("practices.mine"))
    return render_template(
        "practices/form.html",
        form=form,
        practice=None,
        preview=preview,
        levers=LEVERS,
        warning=warning,
        action=request.form.get("action", ""),
        status_labels=STATUS_LABELS,
    )


@bp.route("/bonnes-pratiques/<int:practice_id>/modifier", methods=["GET", "POST"])
@login_required
def edit(practice_id: int):
    practice = services.get_practice(practice_id, current_user)
    if not services._can_edit(current_user, practice):
        abort(403)
    # no obj=: WTForms would prefer the model's lists to these strings
    form = PracticeForm(
        data=None
        if request.method == "POST"
        else {
            "title": practice.title,
            "lever": practice.lever,
            "summary": practice.summary,
            "description": practice.description,
            "year": practice.year,
            "contact_role": practice.contact_role,
            "themes": ", ".join(practice.themes or []),
            "partners": ", ".join(practice.partners or []),
            "links": "\n".join(link["url"] for link in practice.links or []),
        },
    )
    preview = None
    if form.validate_on_submit():
        if request.form.get("action") == "preview":
            preview = form.description.data
        else:
            try:
                services.update_practice(
                    current_user, practice, _data(form), submit=request.form.get("action") == "submit"
                )
            except DomainError as exc:
                form.add_domain_errors(exc)
            else:
                db.session.commit()
                flash(_("La pratique est enregistrée."), "success")
                if has_role(current_user, Role.COORDINATOR):
                    return redirect(url_for("practices.review", practice_id=practice.id))
                return redirect(url_for("practices.mine"))
    return render_template("practices/form.html", form=form, practice=practice, preview=preview, levers=LEVERS)


@bp.route("/espace/pratiques")
@login_required
def mine():
    return render_template(
        "practices/mine.html", practices=services.list_own(current_user), levers=LEVERS, status_labels=STATUS_LABELS
    )


# --- coordination -------------------------------------------------------------------------------


@bp.route("/coordination/pratiques")
@role_required(Role.COORDINATOR)
def moderation():
    status = request.args.get("statut", "submitted")
    return render_template(
        "practices/moderation.html",
        pagination=services.list_for_moderation(current_user, status, page=page_arg()),
        status=status,
        status_labels=STATUS_LABELS,
        levers=LEVERS,
    )


@bp.route("/coordination/pratiques/<int:practice_id>", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def review(practice_id: int):
    practice = services.get_practice(practice_id, current_user)
    form = ReviewForm()
    action = request.form.get("action")
    if form.validate_on_submit() and action in ("publish", "archive") and not is_confirmed():
        return confirmation_page(confirmations.review(practice, action), EmptyForm())
    if form.validate_on_submit():
        try:
            if action == "publish":
                services.publish(current_user, practice)
                message = _("La pratique est publiée : elle est trouvable dès maintenant.")
            elif action == "archive":
                services.archive(current_user, practice)
                message = _("La pratique est archivée.")
            else:
                services.request_changes(current_user, practice, form.comment.data or "")
                message = _("La demande de modification est envoyée à l’auteur.")
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            db.session.commit()
            flash(message, "success")
            return redirect(url_for("practices.review", practice_id=practice.id))
    return render_template(
        "practices/review.html",
        practice=practice,
        form=form,
        revisions=services.revisions(practice),
        status_labels=STATUS_LABELS,
        levers=LEVERS,
    )


@bp.route("/coordination/pratiques/export.<fmt>")
@role_required(Role.COORDINATOR)
def export(fmt: str):
    """The current search (same parameters as the library page), as JSON or CSV."""
    if fmt not in ("json", "csv"):
        abort(404)
    result = search(request.args.get("q", "")[:500], _filters(), page=1, per_page=100)
    practices = result.practices
    if result.total > 100:  # export everything that matched, page by page
        practices = [
            p
            for page in range(1, result.pages + 1)
            for p in search(request.args.get("q", "")[:500], _filters(), page=page, per_page=100).practices
        ]
    body = transfer.to_json(practices) if fmt == "json" else transfer.to_csv(practices)
    transfer.record_export(current_user, fmt, len(practices))
    db.session.commit()
    return Response(
        body,
        mimetype="application/json" if fmt == "json" else "text/csv",
        headers={"Content-Disposition": f'attachment; filename="bonnes-pratiques.{fmt}"', "Cache-Control": "no-store"},
    )


@bp.route("/coordination/thesaurus", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def thesaurus():
    form = ThesaurusForm()
    if form.validate_on_submit():
        try:
            services.save_thesaurus_entry(current_user, None, form.expressions.data)
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            db.session.commit()
            flash(_("Le groupe de synonymes est ajouté : il sert dès la prochaine recherche."), "success")
            return redirect(url_for("practices.thesaurus"))
    return render_template(
        "practices/thesaurus.html", form=form, entries=services.list_thesaurus(), delete_form=EmptyForm()
    )


@bp.route("/coordination/thesaurus/<int:entry_id>/supprimer", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def delete_thesaurus(entry_id: int):
    entry = db.get_or_404(ThesaurusEntry, entry_id)
    form = EmptyForm()
    if not is_confirmed():
        return confirmation_page(confirmations.delete_thesaurus(entry), form)
    if form.validate_on_submit():
        services.delete_thesaurus_entry(current_user, entry)
        db.session.commit()
        flash(_("Le groupe de synonymes est supprimé."), "success")
    return redirect(url_for("practices.thesaurus"))
