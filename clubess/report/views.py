"""The bilan's pages: the years and each year's report for coordinators, its publication, and the public version."""

from flask import Blueprint, Response, current_app, flash, redirect, render_template, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from clubess.core.confirm import Confirmation, confirmation_page, is_confirmed
from clubess.core.db import now_utc
from clubess.core.errors import DomainError
from clubess.core.fictitious import mark_page
from clubess.core.forms import EmptyForm
from clubess.core.inputs import parse_int
from clubess.core.permissions import Role, role_required
from clubess.core.templating import format_dt
from clubess.core.timezone import today
from clubess.extensions import db, limiter
from clubess.report import figures as report_figures
from clubess.report import pdf, services
from clubess.report.forms import AttachForm, ReportTextForm

bp = Blueprint("report", __name__)

NEW = "nouveau"


@bp.app_context_processor
def published_bilans():
    """`published_bilans()` for the « Le club » page (a query only where a template calls it)."""
    return {"published_bilans": services.published_years}


def _attach_form(year: int, formdata=None) -> AttachForm:
    form = AttachForm(formdata=formdata) if formdata is not None else AttachForm()
    drafts = services.draft_communiques(current_user)
    form.communique.choices = [SelectChoice(NEW, _("Un nouveau brouillon de communiqué"))] + [
        SelectChoice(str(c.id), _("Brouillon : %(title)s", title=c.title)) for c in drafts
    ]
    return form


def _coordination_page(year: int, text_form: ReportTextForm | None = None, attach_form=None, status: int = 200):
    services.valid_year(year)
    report = services.get_report(year)
    live = report_figures.live(year)
    snapshot = services.snapshot_of(report, year, live)
    if any(m.demo for m in live.meetings):
        mark_page()
    if text_form is None:
        text_form = ReportTextForm(
            formdata=None,
            introduction=report.introduction if report else "",
            highlights=report.highlights if report else "",
        )
    return (
        render_template(
            "report/report.html",
            year=year,
            report=report,
            figures=live,
            stale=services.is_stale(report, snapshot),
            as_of=today(),
            text_form=text_form,
            attach_form=attach_form or _attach_form(year),
            charts=report_figures.charts,
            num=format_decimal,
        ),
        status,
    )


@bp.route("/coordination/bilan")
@role_required(Role.COORDINATOR)
def index():
    return render_template("report/index.html", years=services.list_years(current_user))


@bp.route("/coordination/bilan/<int:year>")
@role_required(Role.COORDINATOR)
def show(year: int):
    """The year's live figures, its texts, and what the public sees of it."""
    return _coordination_page(year)


@bp.route("/coordination/bilan/<int:year>/textes", methods=["POST"])
@role_required(Role.COORDINATOR)
def save_text(year: int):
    services.valid_year(year)
    form = ReportTextForm()
    if form.validate_on_submit():
        try:
            services.save_text(current_user, year, form.introduction.data, form.highlights.data)
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            db.session.commit()
            flash(_("Les textes du bilan %(year)d sont enregistrés.", year=year), "success")
            return redirect(url_for("report.show", year=year) + "#textes")
    return _coordination_page(year, text_form=form, status=422)


def _public_url(year: int) -> str:
    return url_for("report.public", year=year, _external=True)


@bp.route("/coordination/bilan/<int:year>/publier", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def publish(year: int):
    services.valid_year(year)
    report = services.get_report(year)
    form = EmptyForm()
    if is_confirmed() and form.validate_on_submit():
        services.publish(current_user, year)
        db.session.commit()
        flash(_("Le bilan %(year)d est publié : %(url)s", year=year, url=_public_url(year)), "success")
        return redirect(url_for("report.show", year=year))
    again = bool(report and report.is_published)
    effects = [
        _(
            "Le bilan %(year)d sera visible de tous, sans compte, à l’adresse %(url)s, "
            "et lié depuis la page « Le club ».",
            year=year,
            url=_public_url(year),
        ),
        _(
            "Les textes et les chiffres d’aujourd’hui y seront figés : la page publique ne changera plus avant "
            "une nouvelle publication."
        ),
        _(
            "Elle ne montre aucun nom de personne, aucun texte de problématique ni le titre des rencontres "
            "réservées aux membres : seulement des nombres."
        ),
    ]
    if again:
        effects.insert(0, _("La version publique actuelle sera remplacée."))
    confirmation = Confirmation(
        title=_("Publier le bilan %(year)d ?", year=year)
        if not again
        else _("Mettre à jour le bilan %(year)d publié ?", year=year),
        effects=effects,
        button=_("Publier le bilan %(year)d", year=year) if not again else _("Mettre à jour la version publique"),
        back=url_for("report.show", year=year),
        carry=[],
        danger=False,
    )
    return confirmation_page(confirmation, form)


@bp.route("/coordination/bilan/<int:year>/retirer", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def unpublish(year: int):
    services.valid_year(year)
    form = EmptyForm()
    if is_confirmed() and form.validate_on_submit():
        try:
            services.unpublish(current_user, year)
        except DomainError as exc:
            flash(exc.message, "error")
        else:
            db.session.commit()
            flash(_("Le bilan %(year)d n’est plus public.", year=year), "success")
        return redirect(url_for("report.show", year=year))
    confirmation = Confirmation(
        title=_("Retirer le bilan %(year)d du site public ?", year=year),
        effects=[
            _("La page %(url)s et son PDF ne seront plus accessibles au public.", url=_public_url(year)),
            _("Les communiqués déjà envoyés garderont leur lien, qui mènera à une page introuvable."),
            _("Le bilan reste ici, avec ses textes, pour les coordinateurs."),
        ],
        button=_("Retirer le bilan du site public"),
        back=url_for("report.show", year=year),
        carry=[],
    )
    return confirmation_page(confirmation, form)


def _sheet(year: int, figures, introduction: str, highlights: str, url: str, status: str) -> bytes:
    sheet = pdf.Sheet(
        club=current_app.config["CLUB_NAME"],
        figures=figures,
        introduction=introduction,
        highlights=highlights,
        url=url,
        generated_on=today(),
        status=status,
    )
    return pdf.render(sheet, current_app.config.get("PDF_FONT_DIR"))


def _pdf_response(data: bytes, year: int, cache: str) -> Response:
    return Response(
        data,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="bilan-{year}.pdf"', "Cache-Control": cache},
    )


def _public_pdf(year: int) -> bytes:
    return pdf.published(services.get_public(year), _public_url(year))


def _day(moment) -> str:
    return format_dt(moment, "d MMMM y")


@bp.route("/coordination/bilan/<int:year>.pdf")
@role_required(Role.COORDINATOR)
@limiter.limit("30 per minute")
def show_pdf(year: int):
    """The live figures and the current texts, as a PDF (a draft until published)."""
    services.valid_year(year)
    report = services.get_report(year)
    status = _("Chiffres du %(day)s, version de travail.", day=_day(now_utc()))
    data = _sheet(
        year,
        report_figures.live(year),
        report.introduction if report else "",
        report.highlights if report else "",
        url_for("report.show", year=year, _external=True),
        status,
    )
    return _pdf_response(data, year, "private, no-store")


@bp.route("/coordination/bilan/<int:year>/communique", methods=["POST"])
@role_required(Role.COORDINATOR)
def attach(year: int):
    """« Joindre à un communiqué »: a new draft or a chosen one gets the public link and the PDF."""
    services.valid_year(year)
    form = _attach_form(year)
    if form.validate_on_submit():
        choice = form.communique.data
        communique_id = None if choice == NEW else parse_int(choice)
        try:
            communique = services.attach_to_communique(
                current_user, year, communique_id, _public_url(year), _public_pdf_or_none(year)
            )
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            db.session.commit()
            flash(_("Le bilan %(year)d est joint au communiqué : relisez-le avant de l’envoyer.", year=year), "success")
            return redirect(url_for("press_communiques.edit", communique_id=communique.id))
    return _coordination_page(year, attach_form=form, status=422)


def _public_pdf_or_none(year: int) -> bytes:
    """The public PDF; empty when the bilan is not published (the service then refuses with a message)."""
    report = services.get_report(year)
    return _public_pdf(year) if report and report.is_published and report.snapshot else b""


# --- public -----------------------------------------------------------------------------------------


@bp.route("/le-club/bilan/<int:year>")
def public(year: int):
    """The published bilan: the version frozen at publication, numbers only."""
    report = services.get_public(year)
    figures = services.public_figures(report)
    if any(m.demo for m in figures.meetings):
        mark_page()
    return render_template(
        "report/public.html",
        year=year,
        report=report,
        figures=figures,
        charts=report_figures.charts,
        num=format_decimal,
    )


@bp.route("/le-club/bilan/<int:year>.pdf")
@limiter.limit("30 per minute")
def public_pdf(year: int):
    return _pdf_response(_public_pdf(year), year, "public, max-age=300")
