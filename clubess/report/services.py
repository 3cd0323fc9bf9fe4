"""The bilan's rules: which years exist, its editorial parts, publishing a frozen version, joining a communiqué."""

from dataclasses import dataclass

import sqlalchemy as sa
from flask_babel import gettext as _

from clubess.core.audit import record
from clubess.core.db import now_utc
from clubess.core.errors import DomainError, NotFound
from clubess.core.inputs import clean_text
from clubess.core.permissions import Role, require_role
from clubess.dashboard.period import FIRST_YEAR
from clubess.extensions import db
from clubess.meetings.participation import available_years, current_year
from clubess.press import communiques
from clubess.press.models import Communique, CommuniqueStatus
from clubess.report import figures as report_figures
from clubess.report import labels  # noqa: F401 - the audit log's words for the bilan
from clubess.report.models import MAX_TEXT, AnnualReport

PDF_NAME = "bilan-{year}.pdf"


def valid_year(year: int) -> int:
    """`year` when a bilan may exist for it (from FIRST_YEAR to this year), else NotFound (a 404 page)."""
    if not FIRST_YEAR <= year <= current_year():
        raise NotFound(_("Il n’y a pas de bilan pour cette année."))
    return year


def get_report(year: int) -> AnnualReport | None:
    return db.session.scalar(sa.select(AnnualReport).where(AnnualReport.year == year))


@dataclass
class YearLine:
    year: int
    report: AnnualReport | None

    @property
    def is_published(self) -> bool:
        return bool(self.report and self.report.is_published)


def list_years(actor) -> list[YearLine]:
    """Every year with meetings, this one, and any year written about, newest first (two queries)."""
    require_role(actor, Role.COORDINATOR)
    reports = {r.year: r for r in db.session.scalars(sa.select(AnnualReport))}
    this_year = current_year()
    years = {y for y in available_years() if FIRST_YEAR <= y <= this_year} | set(reports)
    return [YearLine(y, reports.get(y)) for y in sorted(years, reverse=True)]


def published_years() -> list[int]:
    """The years whose bilan the public may read, newest first (one query)."""
    return list(
        db.session.scalars(
            sa.select(AnnualReport.year).where(AnnualReport.is_published.is_(True)).order_by(AnnualReport.year.desc())
        )
    )


def _report_for(actor, year: int) -> AnnualReport:
    report = get_report(valid_year(year))
    if report is None:
        report = AnnualReport(year=year)
        db.session.add(report)
    return report


def save_text(actor, year: int, introduction: str, highlights: str) -> AnnualReport:
    """Keep the coordinators' introduction and highlights (Markdown) of `year`."""
    require_role(actor, Role.COORDINATOR)
    introduction, highlights = clean_text(introduction or "").strip(), clean_text(highlights or "").strip()
    errors = {}
    too_long = _("Le texte est trop long : %(max)d caractères au plus.", max=MAX_TEXT)
    if len(introduction) > MAX_TEXT:
        errors["introduction"] = too_long
    if len(highlights) > MAX_TEXT:
        errors["highlights"] = too_long
    if errors:
        raise DomainError(next(iter(errors.values())), errors=errors)
    report = _report_for(actor, year)
    report.introduction, report.highlights = introduction, highlights
    report.updated_at = now_utc()
    db.session.flush()
    record(actor, "report.text_saved", report, year=year)
    return report


def snapshot_of(report: AnnualReport | None, year: int, live: report_figures.Figures | None = None) -> dict:
    """What publishing `year` now would show the public: the texts and the public figures."""
    live = live or report_figures.build(year)
    return {
        "introduction": report.introduction if report else "",
        "highlights": report.highlights if report else "",
        "figures": report_figures.public(live),
    }


def is_stale(report: AnnualReport | None, snapshot: dict) -> bool:
    """The published version differs from what publishing now would show."""
    return bool(report and report.is_published and report.snapshot != snapshot)


def publish(actor, year: int) -> AnnualReport:
    """Make `year`'s bilan public, its texts and figures frozen as they are now (publishing again refreshes them)."""
    require_role(actor, Role.COORDINATOR)
    report = _report_for(actor, year)
    again = report.is_published
    report.snapshot = snapshot_of(report, year)
    report.is_published, report.published_at = True, now_utc()
    report.updated_at = now_utc()
    db.session.flush()
    record(actor, "report.republished" if again else "report.published", report, year=year)
    return report


def unpublish(actor, year: int) -> AnnualReport:
    """Take `year`'s bilan off the public site (the coordinators' page and texts stay)."""
    require_role(actor, Role.COORDINATOR)
    report = get_report(valid_year(year))
    if report is None or not report.is_published:
        raise DomainError(_("Ce bilan n’est pas publié."))
    report.is_published = False
    report.updated_at = now_utc()
    db.session.flush()
    record(actor, "report.unpublished", report, year=year)
    return report


def get_public(year: int) -> AnnualReport:
    """A published bilan, else NotFound (a draft is nobody's business outside the back office)."""
    report = get_report(year) if FIRST_YEAR <= year <= current_year() else None
    if report is None or not report.is_published or not report.snapshot:
        raise NotFound(_("Ce bilan n’est pas publié."))
    return report


def public_figures(report: AnnualReport) -> report_figures.Figures:
    return report_figures.from_dict(report.snapshot["figures"])


# --- joining a communiqué -----------------------------------------------------------------------------


def draft_communiques(actor) -> list[Communique]:
    """The draft communiqués a bilan may be joined to, newest first (one query)."""
    require_role(actor, Role.COORDINATOR)
    return list(
        db.session.scalars(
            sa.select(Communique)
            .where(Communique.status == CommuniqueStatus.DRAFT.value)
            .order_by(Communique.created_at.desc(), Communique.id.desc())
        )
    )


def link_paragraph(year: int, url: str) -> str:
    return _("Le bilan %(year)d du club est en ligne : %(url)s", year=year, url=url)


def attach_to_communique(actor, year: int, communique_id: int | None, url: str, pdf: bytes) -> Communique:
    """Join the published bilan of `year` to a draft communiqué (a new one when `communique_id` is None): the
    public page's link in its text, the PDF as an attachment (replacing an earlier one of the same year)."""
    require_role(actor, Role.COORDINATOR)
    report = get_report(valid_year(year))
    if report is None or not report.is_published:
        raise DomainError(_("Publiez d’abord le bilan : le communiqué renvoie à sa page publique."), "communique")
    paragraph = link_paragraph(year, url)
    if communique_id is None:
        data = communiques.CommuniqueData(
            title=_("Bilan %(year)d du club", year=year),
            body=paragraph,
            contact_block=communiques.default_contact_block(),
        )
        communique = communiques.save_communique(actor, None, data)
    else:
        communique = communiques.get_communique(actor, communique_id)
        if communique.status != CommuniqueStatus.DRAFT:
            raise DomainError(_("Ce communiqué est déjà envoyé : choisissez un brouillon."), "communique")
        if url not in communique.body:
            body = f"{communique.body.rstrip()}\n\n{paragraph}".strip()
            data = communiques.CommuniqueData(
                title=communique.title,
                standfirst=communique.standfirst,
                body=body,
                contact_block=communique.contact_block,
                embargo_until=communique.embargo_until,
            )
            communiques.save_communique(actor, communique, data)
    name = PDF_NAME.format(year=year)
    for old in [a for a in communique.attachments if a.filename == name]:
        communiques.remove_attachment(actor, communique, old.id)
    communiques.add_attachment(actor, communique, name, pdf)
    record(actor, "report.attached", report, year=year, communique_id=communique.id)
    return communique
