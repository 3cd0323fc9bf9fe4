"""English pages are in English: every page a visitor, a member, a coordinator or an admin can open, read in
English, holds no French the club wrote (labels, help, the club's own texts), only names and what people typed.

The pages are found in the URL map, so a page added later is checked without touching this file. The data is
written in neutral words, so any French left on a page comes from the platform. French is allowed where the
page marks it as French (`lang="fr"`), e.g. the legal name of the publisher.
"""

import re
from datetime import UTC, date, datetime, timedelta
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

from tests.fixtures_meetings import paris

#: words and phrases that only French has; checked as whole words, case-insensitively
TELLTALE = [
    "le",
    "la",
    "les",
    "des",
    "du",
    "de",
    "une",
    "et",
    "pour",
    "avec",
    "dans",
    "sur",
    "aux",
    "vous",
    "votre",
    "vos",
    "nous",
    "est",
    "sont",
    "pas",
    "aucun",
    "aucune",
    "obligatoire",
    "rechercher",
    "enregistrer",
    "annuler",
    "retour",
    "envoyer",
    "modifier",
    "supprimer",
    "ajouter",
    "valider",
    "collectivité",
    "collectivités",
    "rencontre",
    "rencontres",
    "adhésion",
    "connexion",
    "déconnexion",
    "inscription",
    "inscrits",
    "bonnes pratiques",
    "mot de passe",
    "courriel",
    "élu",
    "élus",
    "élue",
    "résultat",
    "résultats",
]
TELLTALE_RE = re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w in TELLTALE) + r")(?![\w-])", re.IGNORECASE)
ELISION_RE = re.compile(r"(?<![\w-])[ldjnqs][’'][a-zàâçéèêëîïôûù]", re.IGNORECASE)
URLISH_RE = re.compile(r"\S*[/@]\S*")
#: a mail as its recipient gets it, in the recipient's language (shown in a sandboxed frame)
MAIL_PREVIEWS = {"press.preview_html", "mailing.message_html"}

ATTRIBUTES = ("aria-label", "title", "placeholder", "alt")


class _Text(HTMLParser):
    """The text a reader meets: text nodes, labelling and data-* attributes, outside <script>/<style> and lang="fr"."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.stack: list[tuple[str, bool]] = []  # (tag, skipped)

    @property
    def skipping(self) -> bool:
        return any(skipped for _, skipped in self.stack)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        skipped = tag in {"script", "style"} or (attrs.get("lang") or "").startswith("fr")
        if not (skipped or self.skipping):
            self.parts += [attrs[a] for a in ATTRIBUTES if attrs.get(a)]
            # words a script shows (e.g. the autocomplete's "3 results") come from data-* attributes
            self.parts += [value for name, value in attrs.items() if name.startswith("data-") and value]
            if tag == "input" and attrs.get("type") in {"submit", "button"} and attrs.get("value"):
                self.parts.append(attrs["value"])
            if tag == "meta" and attrs.get("name") == "description":
                self.parts.append(attrs.get("content") or "")
        if tag not in self.VOID:
            self.stack.append((tag, skipped))

    def handle_endtag(self, tag):
        for index in range(len(self.stack) - 1, -1, -1):
            if self.stack[index][0] == tag:
                del self.stack[index:]
                break

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(data)


def reader_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def french_in(text: str, names: list[str]) -> list[str]:
    """The telltale French words left once names (proper nouns) and addresses are taken out."""
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, " ")
    text = URLISH_RE.sub(" ", text)
    found = [m.group(0) for m in TELLTALE_RE.finditer(text)] + [m.group(0) for m in ELISION_RE.finditer(text)]
    if not found:
        return []
    first = (TELLTALE_RE.search(text) or ELISION_RE.search(text)).start()
    return [*sorted(set(found)), f"…{text[max(0, first - 80) : first + 80]}…"]


# --- the data: every kind of object, in neutral words ---------------------------------------------


@pytest.fixture
def site(db, territories, make_user, coordinator, admin):
    """One of each thing a page can show, written in words that are neither French nor telltale."""
    from clubess.auth import services as auth_services
    from clubess.core.audit import record
    from clubess.core.tokens import make_token
    from clubess.mailing.models import OutboxMessage
    from clubess.meetings.models import AgendaItem, Invitation, Meeting, MeetingSeries, Registration, Speaker
    from clubess.members.models import Collectivity, Member
    from clubess.practices.models import Practice, Problem
    from clubess.practices.search.index import index_practice
    from clubess.press.models import Communique, CommuniqueAttachment, Delivery, PressContact
    from tests.fixtures_press import png

    montreuil = Collectivity(territory=territories["93048"], status="active", joined_on=date(2026, 1, 15))
    pending = Collectivity(territory=territories["93070"], status="pending", application_message="Hello.")
    member_user = make_user(email="alex@montreuil.fr", display_name="Alex Smith", locale="en")
    alex = Member(
        collectivity=montreuil,
        kind="elu",
        first_name="Alex",
        last_name="Smith",
        email=member_user.email,
        function="Deputy mayor",
        delegation="SSE",
        user=member_user,
        show_email=True,
        interests=["ecosysteme_financement"],
    )
    sam = Member(collectivity=montreuil, kind="agent", first_name="Sam", last_name="Jones", email="sam@montreuil.fr")
    kim = Member(collectivity=pending, kind="agent", first_name="Kim", last_name="Lee", email="kim@saint-ouen.fr")
    db.session.add_all([montreuil, pending, alex, sam, kim])
    db.session.flush()
    montreuil.referent, pending.referent = alex, kim

    speaker = Speaker(name="Robin Hood", organisation="Sherwood", title="Chair", kind="expert", bio="Bio.")
    series = MeetingSeries(
        title="Quarterly 2027",
        rule="dates",
        dates=["2027-06-17"],
        start_time=datetime(2027, 1, 1, 9, 30).time(),
        end_time=datetime(2027, 1, 1, 12, 30).time(),
        template_agenda=[{"start": "09:30", "end": "10:00", "title": "Coffee", "kind": "accueil"}],
    )
    meeting = Meeting(
        series=series,
        kind="rencontre",
        title="Quarterly meeting",
        description="Agenda below.",
        starts_at=paris(2027, 6, 17, 9, 30),
        ends_at=paris(2027, 6, 17, 12, 30),
        format="hybride",
        venue="Town hall",
        address="Montreuil",
        online_url="https://visio.example.org/q",
        capacity=1,
        audience="public",
        status="published",
        department_code="93",
    )
    meeting.items = [
        AgendaItem(
            position=0,
            title="Coffee",
            kind="accueil",
            starts_at=meeting.starts_at,
            ends_at=meeting.starts_at + timedelta(minutes=30),
            speakers=[speaker],
        )
    ]
    held = Meeting(
        kind="webinaire",
        title="Webinar",
        starts_at=paris(2026, 3, 5, 11),
        ends_at=paris(2026, 3, 5, 12),
        format="en_ligne",
        status="held",
    )
    db.session.add_all([speaker, series, meeting, held])
    db.session.flush()
    registration = Registration(
        meeting=meeting, member_id=alex.id, collectivity_id=montreuil.id, email=alex.email, name="Alex Smith"
    )
    waiting = Registration(
        meeting=meeting, email="guest@example.org", name="Guest Person", organisation="Acme", is_guest=True
    )
    waiting.status = "waitlisted"
    invitation = Invitation(meeting=meeting, member_id=sam.id, email=sam.email, name="Sam Jones")
    db.session.add_all([registration, waiting, invitation])

    practice = Practice(
        ref="X01",
        title="Solidarity fund",
        summary="A fund.",
        description="A fund.",
        lever="ecosysteme_financement",
        themes=["funding"],
        year=2025,
        territory_name="Montreuil",
        territory_kind="commune",
        department_code="93",
        collectivity_id=montreuil.id,
        status="published",
        published_at=datetime(2026, 1, 2, tzinfo=UTC),
        contact_member_id=alex.id,
    )
    submitted = Practice(
        ref="X02",
        title="Repair cafe",
        summary="Repairs.",
        lever="soutien_structures",
        themes=["repair"],
        status="submitted",
        collectivity_id=montreuil.id,
        author_id=member_user.id,
    )
    db.session.add_all([practice, submitted])
    db.session.flush()
    index_practice(practice)
    problem = Problem(
        text="Funding", lever="ecosysteme_financement", collectivity_id=montreuil.id, author_id=member_user.id
    )
    db.session.add(problem)

    contact = PressContact(name="Pat Reporter", outlet="Daily", email="pat@daily.example.org", beats="economy")
    sent = Communique(
        slug="launch",
        title="Launch",
        standfirst="Launch.",
        body="Launch.",
        status="published",
        published_at=datetime(2026, 1, 5, tzinfo=UTC),
    )
    draft = Communique(slug="draft", title="Draft", body="Draft.")
    attachment = CommuniqueAttachment(
        communique=sent, filename="photo.png", content_type="image/png", size=60, data=png()
    )
    db.session.add_all([contact, sent, draft, attachment])
    db.session.flush()
    db.session.add(Delivery(communique_id=sent.id, contact_id=contact.id, email=contact.email, status="sent"))
    message = OutboxMessage(recipient="pat@daily.example.org", subject="Hello", body_text="Hello.", category="test")
    db.session.add(message)
    record(coordinator, "meeting.published", meeting)
    db.session.commit()

    tokens = {
        "registrations.manage": make_token("meeting-registration", {"r": registration.id}),
        "registrations.rsvp": make_token("meeting-rsvp", {"i": invitation.id}),
        "registrations.offer": make_token("meeting-offer", {"r": waiting.id}),
        "registrations.confirm_guest": make_token("meeting-guest", {"r": waiting.id}),
        "unsubscribe.confirm": make_token("unsubscribe", {"s": "invitations", "e": sam.email}),
        "auth.reset_password": auth_services.make_reset_token(member_user),
        "auth.welcome": auth_services.make_reset_token(member_user, auth_services.WELCOME_PURPOSE),
        "auth.verify_email": make_token(auth_services.VERIFY_PURPOSE, {"uid": member_user.id, "email": alex.email}),
    }
    return {
        "ids": {
            "meeting_id": meeting.id,
            "practice_id": practice.id,
            "collectivity_id": pending.id,
            "user_id": member_user.id,
            "message_id": message.id,
            "registration_id": registration.id,
            "speaker_id": speaker.id,
            "communique_id": sent.id,
            "contact_id": contact.id,
            "problem_id": problem.id,
            "series_id": series.id,
            "item_id": meeting.items[0].id,
            "member_id": sam.id,
            "attachment_id": attachment.id,
            "slug": sent.slug,
            "ref": practice.ref,
            "filename": attachment.filename,
            "fmt": "csv",
        },
        "tokens": tokens,
        "member": member_user.email,
        "names": [
            "Alex Smith",
            "Sam Jones",
            "Kim Lee",
            "Robin Hood",
            "Guest Person",
            "Pat Reporter",
            member_user.display_name,
            coordinator.display_name,
            admin.display_name,
        ],
    }


def _names(app, db) -> list[str]:
    """Proper nouns a page may show in French: territories, the club, its partners, the region."""
    from clubess.members.models import Territory
    from clubess.pages.club import club_profile

    names = list(db.session.scalars(sa.select(Territory.name)))
    names += [app.config[key] for key in ("CLUB_NAME", "CLUB_SHORT_NAME", "CLUB_REGION_NAME")]
    with app.test_request_context(headers={"Accept-Language": "en"}):
        profile = club_profile()
    names += [founder["name"] for founder in profile["founders"]] + [profile["sponsor"]["name"]]
    # names the deployment sets: the publisher and its director, the press office
    names += [str(value) for key, value in app.config.items() if key.startswith("LEGAL_") and value]
    names.append(app.config["PRESS_CONTACT_NAME"])
    # the Défenseur des droits and its free postal address, in the accessibility statement
    names += ["Défenseur des droits", "Libre réponse 71120", "Paris CEDEX 07"]
    return names


def _urls(app, site) -> list[tuple[str, str]]:
    """(endpoint, URL) of every page reached with GET, its arguments taken from the data."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static" or rule.endpoint in MAIL_PREVIEWS:
            continue
        values = {}
        for arg in sorted(rule.arguments - set(rule.defaults or {})):
            if arg == "token":
                values[arg] = site["tokens"].get(rule.endpoint, "not-a-token")
            else:
                values[arg] = site["ids"][arg]
        with app.test_request_context():
            from flask import url_for

            urls.append((rule.endpoint, url_for(rule.endpoint, **values)))
    return sorted(urls)


def _crawl(client, urls, names) -> tuple[dict, int]:
    problems, seen = {}, 0
    for _endpoint, url in urls:
        response = client.get(url)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        assert '<html lang="en"' in html, f"{url} is not served in English"
        seen += 1
        found = french_in(reader_text(html), names)
        if found:
            problems[url] = found
    return problems, seen


def _english(client):
    client.submit("/langue", {"lang": "en", "next": "/"})


@pytest.mark.parametrize("who", ["visitor", "member", "coordinator", "admin"])
def test_every_page_read_in_english_holds_no_french_the_club_wrote(app, db, client, site, coordinator, admin, who):
    accounts = {"member": site["member"], "coordinator": coordinator.email, "admin": admin.email}
    if who in accounts:
        client.login(accounts[who])
    _english(client)
    problems, seen = _crawl(client, _urls(app, site), site["names"] + _names(app, db))
    assert seen >= {"visitor": 15, "member": 25, "coordinator": 50, "admin": 50}[who]
    assert not problems, "\n".join(f"{url}: {found}" for url, found in problems.items())


def test_the_check_catches_french(app, db):
    assert french_in("Name (obligatoire)", []) == ["obligatoire", "…Name (obligatoire)…"]
    assert french_in("Les partenaires", [])[0] == "Les"
    assert french_in("L’adhésion", []) != []
    assert french_in("Montreuil, Seine-Saint-Denis", ["Seine-Saint-Denis"]) == []
    assert french_in("see https://example.org/les-rencontres", []) == []
    text = reader_text('<p>Members <span lang="fr">Chambre de la région</span></p><script>var les = 1;</script>')
    assert text == "Members"


def test_scripts_take_their_words_from_the_page():
    """A script writes no French of its own: what it shows comes from the page, in the page's language."""
    from pathlib import Path

    scripts = Path(__file__).resolve().parents[2] / "static" / "js"
    for script in scripts.glob("*.js"):
        code = re.sub(r"/\*.*?\*/|^\s*//.*$", "", script.read_text(encoding="utf-8"), flags=re.S | re.M)
        literals = re.findall(r'"((?:[^"\\]|\\.)*)"', code)
        french = [text for text in literals if re.search(r"[àâçéèêëîïôûù]", text) or french_in(text, [])]
        assert not french, f"{script.name}: {french}"


@pytest.mark.parametrize("who", ["visitor", "member", "coordinator"])
def test_forms_sent_empty_answer_in_english(app, db, client, site, coordinator, who):
    """Every form page, sent back empty: its error messages and flashes are English too."""
    accounts = {"member": site["member"], "coordinator": coordinator.email}
    if who in accounts:
        client.login(accounts[who])
    _english(client)
    names = site["names"] + _names(app, db)
    forms = [(e, u) for e, u in _urls(app, site) if {"GET", "POST"} <= next(app.url_map.iter_rules(e)).methods]
    problems, refused = {}, 0
    for _endpoint, url in forms:
        page = client.get(url)
        if page.status_code != 200 or page.mimetype != "text/html":
            continue
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.get_data(as_text=True))
        response = client.post(url, data={"csrf_token": token.group(1) if token else ""}, follow_redirects=True)
        if response.mimetype == "text/html":
            refused += 'class="error-summary"' in response.get_data(as_text=True)
            found = french_in(reader_text(response.get_data(as_text=True)), names)
            if found:
                problems[url] = found
    assert refused >= {"visitor": 4, "member": 8, "coordinator": 12}[who], refused
    assert not problems, "\n".join(f"{url}: {found}" for url, found in problems.items())
