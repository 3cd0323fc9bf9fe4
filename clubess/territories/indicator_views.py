"""The back office of the ESS indicators: what is loaded, the import in two steps (the check page, then its button,
which imports the file kept on the server: core/staging.py), and deleting a year of one source."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from clubess.core import staging
from clubess.core.confirm import Confirmation, confirmation_page, is_confirmed
from clubess.core.errors import NotFound
from clubess.core.forms import EmptyForm
from clubess.core.inputs import parse_int, single_line
from clubess.core.permissions import Role, role_required
from clubess.extensions import db
from clubess.territories import catalogue, indicator_import
from clubess.territories.indicator_forms import IndicatorImportForm
from clubess.territories.indicator_values import FIRST_YEAR, MAX_CELL, last_year

bp = Blueprint("indicators", __name__)

KIND = "indicators"
#: an example file, shown on the import page
EXAMPLE = (
    "territoire;annee;indicateur;valeur;source\n"
    "93048;2023;emplois_ess;4 512;Observatoire régional de l'ESS\n"
    "93048;2023;part_ess_emploi_prive;11,8 %;Observatoire régional de l'ESS\n"
    "200057875;2023;etablissements_employeurs;1 204;Observatoire régional de l'ESS"
)


def number(value: float) -> str:
    return format_decimal(value, format="#,##0.##")


@bp.route("/coordination/indicateurs")
@role_required(Role.COORDINATOR)
def overview():
    loaded = indicator_import.list_loaded()
    batches: dict[tuple[int, str], list] = {}
    for row in loaded:
        batch = batches.setdefault((row.year, row.source), [0, False])
        batch[0] += row.territories
        batch[1] = batch[1] or row.demo
    return render_template(
        "territories/coordination_indicators.html",
        loaded=loaded,
        batches=sorted(batches.items(), key=lambda item: (-item[0][0], item[0][1])),
        group_labels=catalogue.GROUP_LABELS,
    )


def _batch_args() -> tuple[int, str]:
    values = request.form if request.method == "POST" else request.args
    year = parse_int(values.get("annee"), None, FIRST_YEAR, last_year())
    source = values.get("source", "")
    if year is None or not source or len(source) > indicator_import.MAX_SOURCE:
        raise NotFound("no such batch")
    return year, source


@bp.route("/coordination/indicateurs/supprimer", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def delete_batch():
    year, source = _batch_args()
    count = indicator_import.count_batch(year, source)
    if not count:
        flash(_("Aucun chiffre de %(year)d n’a cette source : rien à supprimer.", year=year), "info")
        return redirect(url_for("indicators.overview"))
    form = EmptyForm()
    if is_confirmed() and form.validate_on_submit():
        deleted = indicator_import.delete_batch(current_user, year, source)
        db.session.commit()
        flash(ngettext("%(num)d chiffre supprimé.", "%(num)d chiffres supprimés.", deleted), "success")
        return redirect(url_for("indicators.overview"))
    confirmation = Confirmation(
        title=_("Supprimer les chiffres %(year)d de « %(source)s » ?", year=year, source=source),
        effects=[
            ngettext(
                "%(num)d chiffre (tous indicateurs et territoires confondus) sera supprimé.",
                "%(num)d chiffres (tous indicateurs et territoires confondus) seront supprimés.",
                count,
            ),
            _("Les pages des territoires ne les montreront plus ; un nouvel import peut les remettre."),
        ],
        button=ngettext("Supprimer %(num)d chiffre", "Supprimer %(num)d chiffres", count),
        back=url_for("indicators.overview"),
        carry=[("annee", str(year)), ("source", source)],
        action=url_for("indicators.delete_batch"),
    )
    return confirmation_page(confirmation, form)


# --- the import -------------------------------------------------------------------------------------------------


def _page(form, status: int = 200, **context):
    context = {"report": None, "check": None, "error": None, "done": False, "changed": False, **context}
    return (
        render_template(
            "territories/indicator_import.html",
            form=form,
            confirm_form=EmptyForm(),
            example=EXAMPLE,
            indicators=catalogue.INDICATORS,
            group_labels=catalogue.GROUP_LABELS,
            number=number,
            **context,
        ),
        status,
    )


def _check(form, staged: staging.Staged, report, status: int = 200, changed: bool = False):
    effects = [
        (report.created, ngettext("%(num)d chiffre nouveau.", "%(num)d chiffres nouveaux.", report.created)),
        (
            report.replaced,
            ngettext(
                "%(num)d chiffre déjà chargé sera remplacé.",
                "%(num)d chiffres déjà chargés seront remplacés.",
                report.replaced,
            ),
        ),
        (
            report.unchanged,
            ngettext(
                "%(num)d chiffre est déjà chargé à l’identique.",
                "%(num)d chiffres sont déjà chargés à l’identique.",
                report.unchanged,
            ),
        ),
    ]
    check = Confirmation(
        title=_("Importer « %(file)s » ?", file=staged.meta["filename"]),
        effects=[text for count, text in effects if count],
        button=_("Importer les chiffres"),
        back=url_for("indicators.import_page"),
        carry=[(staging.FIELD, staged.token)],
        action=url_for("indicators.import_page"),
        danger=False,
    )
    return _page(form, status, report=report, check=check, changed=changed)


@bp.route("/coordination/indicateurs/import", methods=["GET", "POST"])
@role_required(Role.COORDINATOR)
def import_page():
    if is_confirmed():
        return _confirm(IndicatorImportForm(formdata=None))
    form = IndicatorImportForm()
    if not form.validate_on_submit():
        return _page(form)
    upload = form.file.data
    filename = single_line(upload.filename or "").strip()[: MAX_CELL * 2] or "indicateurs.csv"
    content = upload.read(staging.MAX_BYTES + 1)
    if len(content) > staging.MAX_BYTES:
        form.file.errors = [_("Le fichier dépasse %(n)d Mo : découpez-le.", n=staging.MAX_BYTES // (1024 * 1024))]
        return _page(form)
    user_id = current_user.id
    report = indicator_import.import_figures(current_user, content, filename)
    db.session.rollback()  # the check writes nothing
    if not report.ok:
        return _page(form, report=report)
    meta = {"filename": filename, "counts": report.counts()}
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
            lambda staged: indicator_import.import_figures(current_user, staged.content, staged.meta["filename"]),
            lambda report: report.counts() if report.ok else {"problems": len(report.problems)},
        )
    except staging.Unavailable as exc:
        return _page(form, 400, error=exc.message)
    if not done.report.ok:  # the reference changed under the file: nothing to confirm any more
        db.session.rollback()
        staging.discard(done.staged.token)
        return _page(form, 409, report=done.report)
    if done.changed:
        return _check(form, done.staged, done.report, 409, changed=True)
    db.session.commit()
    staging.discard(done.staged.token)
    return _page(form, report=done.report, done=True)
