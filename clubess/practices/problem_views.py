"""Pages of the problems: state one and see its answers (members), the loop (coordinators)."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from clubess.core.errors import DomainError, Forbidden, NotFound
from clubess.core.forms import EmptyForm
from clubess.core.fragments import FORM_TOKEN, FragmentCache, with_form_token
from clubess.core.inputs import page_arg, parse_int
from clubess.core.permissions import Role, require_role, role_required
from clubess.core.vocabulary import LEVERS
from clubess.extensions import db, limiter
from clubess.meetings.survey import wished_themes
from clubess.practices import problem_loop
from clubess.practices import problems as services
from clubess.practices.forms import ProblemForm
from clubess.practices.labels import VERDICT_LABELS

bp = Blueprint("problems", __name__)
#: the coordinators' loop, rendered once per data version, language, filters and page (the same for every
#: coordinator; within a minute of the clock for the draft meetings « à venir »)
_kept = FragmentCache(size=64, ttl=60.0)


@bp.route("/problematiques", methods=["GET", "POST"])
@login_required
@limiter.limit("30 per minute", methods=["POST"])
def index():
    if not services.can_state(current_user):
        abort(403)
    form = ProblemForm()
    if form.validate_on_submit():
        try:
            problem = services.state_problem(
                current_user,
                form.text.data,
                form.lever.data or None,
                form.theme_list(),
                follow=form.follow.data,
                notify=form.notify.data,
            )
        except DomainError as exc:
            form.add_domain_errors(exc)
        else:
            db.session.commit()
            return redirect(url_for("problems.detail", problem_id=problem.id))
    return render_template("problems/index.html", form=form, problems=services.list_own(current_user), levers=LEVERS)


@bp.route("/problematiques/<int:problem_id>")
@login_required
def detail(problem_id: int):
    problem = services.get_problem(current_user, problem_id)
    results = services.matches_for(problem, viewer_id=current_user.id)
    return render_template(
        "problems/detail.html",
        problem=problem,
        results=results,
        answered=services.decide(problem, results),
        rejected=services.judged_not_relevant(problem, results),
        form=EmptyForm(),
        verdict_labels=VERDICT_LABELS,
        levers=LEVERS,
        is_author=problem.author_id == current_user.id,
    )


@bp.route("/problematiques/<int:problem_id>/avis/<int:answer_id>", methods=["POST"])
@bp.route("/problematiques/<int:problem_id>/avis/<any(solution):kind>/<int:answer_id>", methods=["POST"])
@login_required
def feedback(problem_id: int, answer_id: int, kind: str = "practice"):
    """A verdict on a practice proposed for the problem, or on an ESS actor's solution (`/avis/solution/<id>`)."""
    problem = services.get_problem(current_user, problem_id)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.give_feedback(current_user, problem, answer_id, request.form.get("verdict", ""), kind=kind)
    except (NotFound, Forbidden):
        raise  # no such answer (or not a published one): the 404 page
    except DomainError as exc:
        flash(exc.message, "error")
    else:
        db.session.commit()
        flash(
            _("Merci, votre avis est enregistré : il améliore les réponses pour des problématiques semblables."),
            "success",
        )
    return redirect(url_for("problems.detail", problem_id=problem.id, _anchor=f"{kind}-{answer_id}"))


@bp.route("/problematiques/<int:problem_id>/avis/<int:answer_id>/annuler", methods=["POST"])
@bp.route("/problematiques/<int:problem_id>/avis/<any(solution):kind>/<int:answer_id>/annuler", methods=["POST"])
@login_required
def withdraw(problem_id: int, answer_id: int, kind: str = "practice"):
    problem = services.get_problem(current_user, problem_id)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    if services.withdraw_feedback(current_user, problem, answer_id, kind=kind):
        db.session.commit()
        flash(_("Votre avis est retiré."), "success")
    else:
        flash(_("Il n’y avait pas d’avis à retirer."), "info")
    return redirect(url_for("problems.detail", problem_id=problem.id, _anchor=f"{kind}-{answer_id}"))


@bp.route("/problematiques/<int:problem_id>/suivi", methods=["POST"])
@login_required
def follow(problem_id: int):
    problem = services.get_problem(current_user, problem_id)
    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    follow_it = request.form.get("follow") == "1"
    services.set_follow(current_user, problem, follow_it, request.form.get("notify") == "1")
    db.session.commit()
    flash(
        _("Vous suivez cette problématique.") if follow_it else _("Vous ne suivez plus cette problématique."), "success"
    )
    return redirect(url_for("problems.detail", problem_id=problem.id))


@bp.route("/coordination/problematiques")
@role_required(Role.COORDINATOR)
def loop():
    lever = request.args.get("levier", "")
    lever = lever if lever in LEVERS else ""
    unanswered_only = request.args.get("sans_reponse") == "1"
    page = page_arg()
    require_role(current_user, Role.COORDINATOR)  # the part below is kept for every coordinator alike

    def render() -> str:
        return render_template(
            "problems/_loop_body.html",
            result=problem_loop.loop(current_user, lever, unanswered_only, page=page),
            is_unanswered=problem_loop.is_unanswered,
            meetings=problem_loop.draft_meetings(),
            form_token=FORM_TOKEN,
            levers=LEVERS,
            lever=lever,
            unanswered_only=unanswered_only,
            wished_themes=wished_themes(current_user),
        )

    body = _kept.get((str(get_locale()), lever, unanswered_only, page), render)
    return render_template("problems/loop.html", body=with_form_token(body))


@bp.route("/coordination/problematiques/proposer", methods=["POST"])
@role_required(Role.COORDINATOR)
def propose():
    from clubess.meetings.services import get_meeting

    form = EmptyForm()
    if not form.validate_on_submit():
        abort(400)
    meeting_id = parse_int(request.form.get("meeting"))
    if meeting_id is None:
        flash(_("Choisissez une rencontre en brouillon."), "error")
        return redirect(url_for("problems.loop"))
    meeting = get_meeting(meeting_id, current_user)
    try:
        problem_loop.propose_agenda_item(
            current_user, meeting, request.form.get("lever", "")[:40], request.form.get("theme", "")[:100]
        )
    except DomainError as exc:
        flash(exc.message, "error")
        return redirect(url_for("problems.loop"))
    db.session.commit()
    flash(_("Le point est ajouté à l’ordre du jour de « %(title)s ».", title=meeting.title), "success")
    return redirect(url_for("problems.loop"))
