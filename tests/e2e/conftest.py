"""Browser journeys: the app served on 127.0.0.1 in a thread, Debian's Chromium driven by Playwright, axe-core.

A click returns as soon as the browser has the event, often before the next page exists: what a page shows after
an action is checked with `expect(...)`, which retries until it holds, or after waiting for the navigation
(`wait_for_url`, `expect_navigation`), never with a one-shot read (`count()`, `is_visible()`, `inner_text()`,
`page.url`, `page.content()`) that may still see the previous page on a loaded machine."""

import re
import threading
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items):
    for item in items:
        item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    assert Path(CHROMIUM).exists(), "Debian's chromium is required: apt-get install chromium"
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "fr-FR", "timezone_id": "Europe/Paris"}


@pytest.fixture(scope="session")
def live_server(app):
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@pytest.fixture(scope="session")
def base_url(live_server):
    return live_server


@pytest.fixture
def context(context):
    # An init script is injected by the browser itself, so the strict CSP (no inline script) still holds.
    assert AXE.exists(), "axe-core is missing: run `make node_modules`"
    context.add_init_script(path=str(AXE))
    return context


@pytest.fixture
def axe(page):
    """`axe()` runs axe-core on the current page and fails on any violation, listing them."""

    def check(label: str = ""):
        # this only waits for a navigation that has begun: after a click that navigates, the test waits for the
        # new page first (wait_for_url, expect_navigation or an expect on what it shows), or axe may check the old one
        page.wait_for_load_state("load")
        try:
            result = page.evaluate("async () => await axe.run(document)")
        except PlaywrightError as exc:
            if "documentElement" not in str(exc) and "context was destroyed" not in str(exc):
                raise
            page.wait_for_load_state("load")
            result = page.evaluate("async () => await axe.run(document)")
        violations = [
            f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in result["violations"]
        ]
        assert not violations, f"axe on {label or page.url}:\n" + "\n".join(violations)
        assert len(result["passes"]) > 10  # axe really ran

    return check


@pytest.fixture
def login(page, live_server):
    def do_login(email: str, password: str = "un mot de passe solide"):
        page.goto(f"{live_server}/connexion")
        page.get_by_label("Adresse électronique").fill(email)
        page.get_by_label("Mot de passe", exact=False).first.fill(password)
        page.get_by_role("button", name="Se connecter").click()
        page.wait_for_url(re.compile(r".*/(espace|coordination)$"))  # members / coordinators and admins

    return do_login


@pytest.fixture
def logout(page):
    """Log out and wait for the home page to say so: a `goto` or a login started before would cancel the logout."""

    def do_logout():
        page.get_by_role("button", name="Déconnexion").click()
        expect(page.get_by_role("status").first).to_contain_text("Vous êtes déconnecté.")

    return do_logout
