"""English pages are in English: every page a visitor, a member, a coordinator or an admin can open, read in
English, holds no French the club wrote (labels, help, the club's own texts), only names and what people typed.

The pages are found in the URL map, so a page added later is checked without touching this file. The data is
written in neutral words, so any French left on a page comes from the platform. French is allowed where the
page marks it as French (`lang="fr"`), e.g. the legal name of the publisher.
"""

import re
from html.parser import HTMLParser

import pytest
import sqlalchemy as sa

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
MAIL_PREVIEWS = {"press_communiques.preview_html", "mailing.message_html"}
#: forms the empty-form check does not send: closing one's own account would sign out the rest of the check
SESSION_ENDING = {"member_area.erase"}

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


def _names(app, db) -> list[str]:
    """Proper nouns a page may show in French: territories, the club, its partners, the region."""
    from clubess.members.models import Territory
    from clubess.pages.club import club_profile

    names = list(db.session.scalars(sa.select(Territory.name)))
    # the map draws every territory of the region, named from its packaged geometry
    from clubess.territories import geometry

    names += [shape.name for shape in geometry.load().by_code.values()]
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
        if (
            "GET" not in rule.methods
            or rule.endpoint in ("static", "auth.switch_language")
            or rule.endpoint in MAIL_PREVIEWS
        ):
            continue  # (the language link would switch the language the crawl reads in)
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
    client.choose_language("en", "/")


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
    forms = [
        (e, u)
        for e, u in _urls(app, site)
        if e not in SESSION_ENDING and {"GET", "POST"} <= next(app.url_map.iter_rules(e)).methods
    ]
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


#: French words that English readers would misread, as they were translated before the catalogue was reviewed
FALSE_FRIENDS = {
    r"\bcapacity\b": "Qualité (élu or agent) is the person's role",
    r"\bcollectivit(y|ies)\b": "a collectivité territoriale is a local authority",
    r"\bmetropolis\b": "the Métropole is a metropolitan authority",
    r"\bregist\w+ to (this|the|a|meetings?|“)": "one registers for a meeting",
    r"\bconnection link\b": "the link to join an online meeting",
    r"\bopinion\b": "members give feedback on a practice",
    r"\bESS\b": "in English the économie sociale et solidaire is the SSE",
}


def test_the_english_catalogue_avoids_false_friends():
    from pathlib import Path

    from babel.messages.pofile import read_po

    path = Path(__file__).resolve().parents[2] / "translations/en/LC_MESSAGES/messages.po"
    with path.open("rb") as f:
        catalogue = read_po(f)
    found = []
    for message in catalogue:
        for text in message.string if isinstance(message.string, tuple) else [message.string]:
            words = re.sub(r"%\(\w+\)[sd]", "", text or "")  # placeholders are not words
            found += [f"{text!r}: {why}" for pattern, why in FALSE_FRIENDS.items() if re.search(pattern, words, re.I)]
    assert not found, "\n".join(found)


def test_a_persons_role_is_not_their_capacity(client):
    client.choose_language("en", "/")
    html = client.get("/adherer").get_data(as_text=True)
    assert 'Role <span class="required">(required)</span>' in html and "Capacity" not in html
