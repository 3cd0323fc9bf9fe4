"""One confirmation step before an action that mails many people, cancels, hands over a role, deletes or closes.

The view states the effect in a `Confirmation` (what happens, how many people are told and who) and
shows it with `confirmation_page`; it acts only on the POST of that page's button, which carries
`confirmed=yes`. A POST without it (an old page, a form posted from elsewhere) gets the page again.
Every state change of the kind also records an audit event, in its service.
"""

from dataclasses import dataclass, field

from flask import render_template, request
from flask_babel import gettext as _
from flask_babel import ngettext

CONFIRMED = "confirmed"
#: people listed on the page at most (the count above the list is always the whole number)
LISTED = 500


@dataclass
class Confirmation:
    #: the question, which is also the page's title: « Annuler « Rencontre de juin » ? »
    title: str
    #: what will happen, one sentence each, the number of people told first
    effects: list[str]
    #: the action's verb on the button: « Annuler la rencontre et prévenir 55 personnes »
    button: str
    #: where « Ne rien changer » leads
    back: str
    #: who is told or concerned, listed under a disclosure
    people: list[str] = field(default_factory=list)
    people_title: str = ""
    #: fields posted again with the confirmation, (name, value) pairs; default: those of this request
    carry: list[tuple[str, str]] | None = None
    #: where the button posts; default: this URL
    action: str | None = None
    danger: bool = True
    layout: str = "coordination/layout.html"
    #: the page's words, here rather than in the macro: Babel does not read templates/_macros
    heading: str = field(default_factory=lambda: _("Ce qui va se passer"))
    keep: str = field(default_factory=lambda: _("Ne rien changer"))

    def __post_init__(self):
        self.people_title = self.people_title or _("Les personnes concernées")

    @property
    def listed(self) -> list[str]:
        return self.people[:LISTED]

    @property
    def not_listed(self) -> str:
        more = len(self.people) - LISTED
        return _("… et %(n)d autres", n=more) if more > 0 else ""


def is_confirmed() -> bool:
    """The request is the POST of a confirmation page's button."""
    return request.method == "POST" and request.form.get(CONFIRMED) == "yes"


def carried() -> list[tuple[str, str]]:
    """The fields of this request (form or query string) that the confirmation must post again."""
    values = request.form if request.method == "POST" else request.args
    return [
        (name, value)
        for name, value in values.items(multi=True)
        if name != CONFIRMED and not name.endswith("csrf_token") and name != "page"
    ]


def confirmation_page(confirmation: Confirmation, form, status: int = 200):
    """Render the confirmation; `form` gives the CSRF field (an EmptyForm, with the prefix the view checks)."""
    if confirmation.carry is None:
        confirmation.carry = carried()
    return render_template("_partials/confirm_page.html", confirmation=confirmation, form=form), status


def import_check(report, filename: str, back: str, *, created: str, updated: str, nothing: str, button: str):
    """The check page of an import run and rolled back (practices, ESS actors): what its button will write.
    `created` and `updated` are the caller's sentences for its own records (shown only when not zero); the
    refused records are counted and listed the same way for every import."""
    rejected = ngettext(
        "%(num)d enregistrement refusé, qui ne sera pas importé.",
        "%(num)d enregistrements refusés, qui ne seront pas importés.",
        len(report.rejected),
    )
    effects = [
        text
        for n, text in ((report.created, created), (report.updated, updated), (len(report.rejected), rejected))
        if n
    ]
    return Confirmation(
        title=_("Importer « %(file)s » ?", file=filename),
        effects=effects or [nothing],
        button=button,
        back=back,
        people=[f"{label} : {reason}" for label, reason in report.rejected],
        people_title=_("Les enregistrements refusés"),
        danger=False,
    )
