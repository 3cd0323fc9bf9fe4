"""The bad-input sweep: every page and every form of the app, for each role, with hostile values: never a 5xx.

Pages come from `app.url_map`, so a new page is swept without touching this file; its URL parameters
are filled with existing rows (a new kind of parameter makes the test fail until it is named in FILL).
Each page is fetched once to learn the query parameters it reads and the forms it shows; then each
parameter gets each hostile value, each path segment gets hostile segments, and each form is sent back
(with its CSRF token) with one hostile value in one field at a time, the other fields left valid.
"""

import re
from urllib.parse import quote, urlencode, urlsplit

import pytest
import sqlalchemy as sa

from clubess.extensions import limiter
from tests.sweep import (
    HOSTILE,
    HOSTILE_DATES,
    HOSTILE_PATH,
    HOSTILE_TEXT,
    READ,
    TEXT_KINDS,
    RecordingRequest,
    parse_forms,
)

DEMO_PASSWORD = "demo-clubess-2026"  # noqa: S105 - the documented demo password
ROLES = {
    "anonymous": None,
    "member": "thomas.nguyen@montreuil.example.org",
    "referent": "elu@montreuil.example.org",
    "coordinator": "coordination@club-ess.example.org",
    "admin": "admin@club-ess.example.org",
}
#: forms the sweep does not send: they end the session it is sweeping with
SKIP_FORMS = {"/deconnexion"}
#: baseline values for empty fields, by field name (else by input type)
BASELINE_BY_NAME = {
    "dates": "12/03/2031",
    "template": "09:30-10:00 | Accueil | accueil",
    "pasted": "invite.sweep@example.org",
    "links": "https://example.org/pratique",
    "end_time": "12:00",
    "end": "10:00",
    "start": "09:40",
    "website": "",  # the honeypot stays empty
}
BASELINE_BY_KIND = {
    "email": "sweep@example.org",
    "date": "2031-03-12",
    "time": "09:30",
    "number": "10",
    "url": "https://example.org",
    "tel": "01 23 45 67 89",
    "password": DEMO_PASSWORD,
    "search": "ressourcerie",
    "text": "Texte du balayage",
    "textarea": "Un texte du balayage, assez long pour être une problématique de réemploi et d'insertion.",
}


@pytest.fixture
def world(db, app):
    """The demo data (every role, meetings, practices, press) plus the rows the demo lacks, and the ids to fill URLs."""
    from clubess.actors.models import Organisation, Solution
    from clubess.auth import services as auth_services
    from clubess.auth.models import User
    from clubess.commitments.models import Commitment
    from clubess.core.tokens import make_token
    from clubess.demo import load_demo
    from clubess.mailing.models import OutboxMessage
    from clubess.meetings.followup_models import Contribution
    from clubess.meetings.models import AgendaItem, Invitation, Meeting, MeetingSeries, Registration, Speaker
    from clubess.meetings.survey import survey_token
    from clubess.members.models import Collectivity, Member
    from clubess.practices.models import Practice, Problem, ThesaurusEntry
    from clubess.press.models import Communique, CommuniqueAttachment, PressContact
    from clubess.resources.models import Document

    load_demo()
    thomas = db.session.scalar(sa.select(Member).where(Member.email == ROLES["member"]))
    meeting = db.session.scalar(sa.select(Meeting).where(Meeting.status == "published").order_by(Meeting.id))
    problem = Problem(
        text="Nos associations manquent de locaux.", author_id=thomas.user_id, collectivity_id=thomas.collectivity_id
    )
    guest = Registration(meeting=meeting, email="invite@example.org", name="Invitée", is_guest=True, status="pending")
    invitation = Invitation(meeting=meeting, email="invitee@example.org", name="Invitée")
    communique = db.session.scalar(sa.select(Communique).where(Communique.status == "published"))
    attachment = CommuniqueAttachment(
        communique_id=communique.id, filename="dossier.pdf", content_type="application/pdf", size=8, data=b"%PDF-1.4"
    )
    pending = db.session.scalar(
        sa.select(Collectivity).where(Collectivity.status == "pending").order_by(Collectivity.id)
    )
    db.session.add_all([problem, guest, invitation, attachment])
    coordinator = auth_services.get_user_by_email(ROLES["coordinator"])
    coordinator.calendar_token = "jeton-agenda-du-balayage"
    auth_services.request_password_reset(ROLES["member"])  # one message in the outbox
    db.session.commit()
    contact = db.session.scalar(sa.select(PressContact).order_by(PressContact.id))
    member_user = db.session.get(User, thomas.user_id)
    # an attendee of a held meeting who has not answered its questionnaire (the demo answers for some)
    attendee = db.session.scalar(
        sa.select(Registration)
        .join(Meeting, Meeting.id == Registration.meeting_id)
        .where(Meeting.status == "held", Registration.attendance == "present")
        .order_by(Registration.id.desc())
    )

    def first(model, *where):
        return db.session.scalar(sa.select(model.id).where(*where).order_by(model.id))

    ids = {
        "meeting_id": meeting.id,
        "practice_id": first(Practice),
        "organisation_id": first(Organisation),
        "solution_id": first(Solution),
        "action": "archiver",  # a solution's moderation: the confirmation page it shows first
        "collectivity_id": pending.id,
        "user_id": member_user.id,
        "lang": "en",
        "message_id": first(OutboxMessage),
        "registration_id": guest.id,
        "speaker_id": first(Speaker),
        "item_id": first(AgendaItem, AgendaItem.meeting_id == meeting.id) or first(AgendaItem),
        "communique_id": communique.id,
        "attachment_id": attachment.id,
        "contact_id": contact.id,
        "member_id": thomas.id,
        "problem_id": first(Problem),
        "series_id": first(MeetingSeries),
        "entry_id": first(ThesaurusEntry),
        "slug": communique.slug,
        "filename": attachment.filename,
        "fmt": "csv",
        "ref": db.session.scalar(sa.select(Practice.ref).order_by(Practice.id)),
        "year": 2026,  # a year of the demo's policy profiles (Montreuil)
        "code": "93048",  # a territory (Montreuil, a member in the demo)
        "document_id": first(Document),
        "contribution_id": first(Contribution),
        # a commitment of Montreuil, the collectivity of the member and référent accounts swept
        "commitment_id": first(Commitment, Commitment.collectivity_id == thomas.collectivity_id),
    }
    tokens = {
        "members.confirm_application": make_token("confirm-application", {"cid": pending.id, "email": "x@y.fr"}),
        "auth.welcome": auth_services.make_reset_token(member_user, auth_services.WELCOME_PURPOSE),
        "auth.reset_password": auth_services.make_reset_token(member_user),
        "auth.verify_email": make_token(auth_services.VERIFY_PURPOSE, {"uid": member_user.id, "email": "x@y.fr"}),
        "meetings.personal_feed": coordinator.calendar_token,
        "unsubscribe.confirm": make_token("unsubscribe", {"s": "invitations", "e": "invitee@example.org"}),
        "registrations.confirm_guest": make_token("meeting-guest", {"r": guest.id}),
        "registrations.manage": make_token("meeting-registration", {"r": guest.id}),
        "registrations.offer": make_token("meeting-offer", {"r": guest.id}),
        "registrations.rsvp": make_token("meeting-rsvp", {"i": invitation.id}),
        "press.confirm_subscription": make_token("press-subscribe", {"c": contact.id, "e": contact.email}),
        "survey.answer": survey_token(attendee),
        "survey.thanks": survey_token(attendee),
    }
    return {"ids": ids, "tokens": tokens}


def _urls(app, world) -> list[tuple[str, str, list[str]]]:
    """(endpoint, URL, names of its parameters) for every GET route, parameters filled with existing rows."""
    found = []
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.rule, r.endpoint)):
        if rule.endpoint == "static" or "GET" not in rule.methods:
            continue
        values = {}
        for name in rule.arguments:
            if name == "token":
                assert rule.endpoint in world["tokens"], f"{rule.rule}: name a valid token for it in world()"
                values[name] = world["tokens"][rule.endpoint]
            elif name in rule.defaults or {}:
                continue
            else:
                assert world["ids"].get(name) is not None, f"{rule.rule}: fill <{name}> in world()"
                values[name] = world["ids"][name]
        with app.test_request_context():
            from flask import url_for

            url = url_for(rule.endpoint, **values)
        found.append((rule.endpoint, url, [n for n in rule.arguments if n not in (rule.defaults or {})]))
    return found


def _baseline(form) -> dict[str, list[str]]:
    """The values a person would send: the page's own, and plausible ones where the page left a field empty."""
    data: dict[str, list[str]] = {}
    radios_done = set()
    for field in form.fields:
        name, kind = field["name"], field["kind"]
        if kind in ("submit", "button", "reset", "file", "image"):
            continue
        if kind == "checkbox":
            data.setdefault(name, [])
            if field["checked"] or not data[name]:
                data[name] = [field["value"]] if not field["checked"] else [*data[name], field["value"]]
            continue
        if kind == "radio":
            if name not in radios_done or field["checked"]:
                data[name] = [field["value"]]
                radios_done.add(name)
            continue
        if kind == "select":
            options = [o for o in field["options"] if o not in ("", "0")] or field["options"]
            value = field["value"] if field["value"] not in (None, "") else (options[0] if options else "")
            data[name] = [value]
            continue
        value = field["value"]
        if not value and kind != "hidden":
            value = BASELINE_BY_NAME.get(name.split("-")[-1], BASELINE_BY_KIND.get(kind, "Texte"))
        data[name] = [value]
    return data


def _action(form, page_url: str) -> str:
    action = form.action or page_url
    return action if action.startswith("/") else urlsplit(page_url).path


class Sweep:
    """Sends the hostile requests and keeps the 5xx; what an earlier role swept the same way is not sent again."""

    def __init__(self, app, client, values):
        self.app, self.client, self.values = app, client, values
        self.role = ""
        self.failures: list[str] = []
        self.count = 0
        self.seen: set[tuple] = set()

    def once(self, *key) -> bool:
        if key in self.seen:
            return False
        self.seen.add(key)
        return True

    def check(self, response, what: str):
        self.count += 1
        if response.status_code >= 500:
            self.failures.append(f"{self.role}: {response.status_code} on {what}")

    def get(self, url: str, what: str | None = None):
        READ.clear()
        response = self.client.get(url)
        self.check(response, what or f"GET {url[:200]}")
        return response

    def sweep_page(self, endpoint: str, url: str, params: list[str]):
        response = self.get(url)
        read = set(READ) | {"page"}
        path = urlsplit(url).path
        if response.status_code != 200:
            return
        forms = parse_forms(response.get_data(as_text=True)) if response.mimetype == "text/html" else []
        read |= {n for form in forms if form.method == "get" for n in form.names}
        for name in sorted(read):
            if self.once("query", endpoint, name):
                for value in HOSTILE:
                    self.get(f"{path}?{urlencode({name: value})}", f"GET {path}?{name}={value[:30]!r}")
        for name in params:
            if self.once("path", endpoint, name):
                original = quote(str(self.values[endpoint][name]), safe="")
                segments = path.split("/")
                at = max(i for i, s in enumerate(segments) if original in s)
                for value in HOSTILE_PATH:
                    hostile = [*segments[:at], segments[at].replace(original, value, 1), *segments[at + 1 :]]
                    self.get("/".join(hostile))
        for form in forms:
            if form.method == "post":
                self.sweep_form(form, url)

    def sweep_form(self, form, page_url: str):
        action = _action(form, page_url)
        fields = {n: k for n, k in form.field_kinds().items() if not n.endswith("csrf_token") and k != "file"}
        if action in SKIP_FORMS or not fields or not self.once("form", re.sub(r"/\d+", "/N", action), *fields):
            return
        baseline = _baseline(form)
        for name in sorted(fields):
            values = HOSTILE_TEXT if fields[name] in TEXT_KINDS else HOSTILE
            for value in values + (HOSTILE_DATES if fields[name] in ("date", "time") else []):
                response = self.client.post(action, data={**baseline, name: [value]})
                self.check(response, f"POST {action} {name}={value[:30]!r}")
        longest = {
            f["name"]: ["é" * f["maxlength"]]
            for f in form.fields
            if f.get("maxlength") and f["kind"] in ("text", "textarea", "search")
        }
        if longest:  # every text field as long as the form says it may be: what the columns must hold
            response = self.client.post(action, data={**baseline, **longest})
            self.check(response, f"POST {action} with every text field at its maximum length")


def test_no_input_gives_a_server_error(app, client, world):
    urls = _urls(app, world)
    sweep = Sweep(app, client, {e: {**world["ids"], "token": world["tokens"].get(e)} for e, _, _ in urls})
    app.request_class, previous = RecordingRequest, app.request_class
    limiter.enabled = False  # the sweep sends more than any limit lets through: it would only see 429s
    app.config["MATCH_SEMANTIC"] = False  # sentence embeddings take ~0.3 s a text; they see only cleaned text
    try:
        for role, email in ROLES.items():
            sweep.role = role
            if email:
                client.login(email, DEMO_PASSWORD)
            for endpoint, url, params in urls:
                sweep.sweep_page(endpoint, url, params)
            if email:
                assert client.get("/espace").status_code == 200, f"{role}: the sweep lost its session"
                client.post("/deconnexion", data={"csrf_token": client.csrf_token("/espace")})
    finally:
        app.request_class = previous
        limiter.enabled = True
        app.config["MATCH_SEMANTIC"] = True
    print(f"{sweep.count} requests")
    assert not sweep.failures, "\n".join(sweep.failures[:80]) + f"\n({len(sweep.failures)} in all)"
