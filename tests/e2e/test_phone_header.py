"""A phone-sized header: on a narrow screen the navigation folds behind a « Menu » button (keyboard, Escape,
focus visible, axe-clean); on a desktop it shows in full; without JavaScript it shows in full everywhere."""

PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 800}


def _focused(page, expression: str = "el.getAttribute('aria-controls')"):
    return page.evaluate(f"(() => {{ const el = document.activeElement; return {expression}; }})()")


def _header_share(page) -> float:
    box = page.locator("header.site-header").bounding_box()
    return (box["y"] + box["height"]) / page.viewport_size["height"]


def test_on_a_phone_the_header_is_small_and_the_menu_works_by_keyboard(page, live_server, axe):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/")
    assert _header_share(page) <= 0.20, f"the header takes {_header_share(page):.0%} of the first screen"
    button = page.get_by_role("button", name="Menu")
    nav = page.get_by_role("navigation", name="Navigation principale")
    assert button.is_visible() and button.get_attribute("aria-expanded") == "false"
    assert button.get_attribute("aria-controls") == "site-menu"
    assert not nav.is_visible()
    axe("phone, menu closed")

    for _ in range(3):  # skip link, the club's name, the menu button
        page.keyboard.press("Tab")
    assert _focused(page) == "site-menu"
    assert _focused(page, "getComputedStyle(el).outlineStyle") == "solid"  # focus visible
    page.keyboard.press("Enter")
    assert button.get_attribute("aria-expanded") == "true" and nav.is_visible()
    assert page.get_by_role("button", name="English").is_visible()  # the language switch is in the menu
    axe("phone, menu open")

    page.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false" and not nav.is_visible()
    assert _focused(page) == "site-menu"  # focus goes back to the button

    page.keyboard.press("Space")
    assert nav.is_visible()
    page.keyboard.press("Tab")
    assert _focused(page, "el.textContent.trim()") == "Le club"
    page.keyboard.press("Enter")
    page.wait_for_url("**/le-club")
    assert page.get_by_role("heading", level=1).inner_text() == "Le club"
    assert page.get_by_role("button", name="Menu").get_attribute("aria-expanded") == "false"


def test_on_a_desktop_the_same_page_shows_the_navigation_without_the_button(page, live_server, axe):
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server}/")
    assert not page.get_by_role("button", name="Menu").is_visible()
    nav = page.get_by_role("navigation", name="Navigation principale")
    assert nav.is_visible() and nav.get_by_role("link", name="Rencontres").is_visible()
    assert page.get_by_role("button", name="English").is_visible()
    axe("desktop header")


def test_without_javascript_a_phone_gets_the_whole_navigation(browser, live_server):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="fr-FR")
    page = context.new_page()
    page.goto(f"{live_server}/")
    assert not page.get_by_role("button", name="Menu").is_visible()
    nav = page.get_by_role("navigation", name="Navigation principale")
    assert nav.is_visible()
    nav.get_by_role("link", name="Rencontres").click()
    page.wait_for_url("**/rencontres")
    context.close()


def test_the_back_office_on_a_phone_folds_its_menu_too(page, live_server, login, coordinator, axe):
    login(coordinator.email)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/coordination")
    assert _header_share(page) <= 0.20
    coord_button = page.get_by_role("button", name="Menu de coordination")
    coord_nav = page.get_by_role("navigation", name="Espace de coordination")
    assert coord_button.get_attribute("aria-expanded") == "false"
    assert not coord_nav.get_by_role("link", name="Rencontres").is_visible()
    heading = page.get_by_role("heading", level=1).bounding_box()
    assert heading["y"] + heading["height"] <= PHONE["height"] * 0.45, "the page's title is on the first screen"
    axe("back office on a phone")
    coord_button.focus()
    page.keyboard.press("Enter")
    assert coord_nav.get_by_role("link", name="Rencontres").is_visible()
    axe("back office menu open")
    page.keyboard.press("Escape")
    assert not coord_nav.get_by_role("link", name="Rencontres").is_visible()
    page.set_viewport_size(DESKTOP)
    assert not coord_button.is_visible() and coord_nav.get_by_role("link", name="Rencontres").is_visible()
