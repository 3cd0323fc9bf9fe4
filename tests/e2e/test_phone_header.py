"""A phone-sized header: on a narrow screen the navigation folds behind a « Menu » button (keyboard, Escape,
focus visible, axe-clean); on a desktop it shows in full; without JavaScript it shows in full everywhere."""

from playwright.sync_api import expect

PHONE = {"width": 375, "height": 667}
DESKTOP = {"width": 1280, "height": 800}


def _header_share(page) -> float:
    box = page.locator("header.site-header").bounding_box()
    return (box["y"] + box["height"]) / page.viewport_size["height"]


def test_on_a_phone_the_header_is_small_and_the_menu_works_by_keyboard(page, live_server, axe):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/")
    button = page.get_by_role("button", name="Menu")
    nav = page.get_by_role("navigation", name="Navigation principale")
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_have_attribute("aria-controls", "site-menu")
    expect(nav).to_be_hidden()
    # measured once the script has folded the menu
    assert _header_share(page) <= 0.20, f"the header takes {_header_share(page):.0%} of the first screen"
    axe("phone, menu closed")

    for _ in range(3):  # skip link, the club's name, the menu button
        page.keyboard.press("Tab")
    focused = page.locator(":focus")
    expect(focused).to_have_attribute("aria-controls", "site-menu")
    expect(focused).to_have_css("outline-style", "solid")  # focus visible
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(nav).to_be_visible()
    expect(page.locator(".lang-switch").get_by_text("English")).to_be_visible()  # the language switch is in the menu
    axe("phone, menu open")

    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()
    expect(button).to_be_focused()  # focus goes back to the button

    page.keyboard.press("Space")
    expect(nav).to_be_visible()
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Le club")
    page.keyboard.press("Enter")
    page.wait_for_url("**/le-club")
    expect(page.get_by_role("heading", level=1)).to_have_text("Le club")
    expect(page.get_by_role("button", name="Menu")).to_have_attribute("aria-expanded", "false")


def test_on_a_desktop_the_same_page_shows_the_navigation_without_the_button(page, live_server, axe):
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server}/")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    nav = page.get_by_role("navigation", name="Navigation principale")
    expect(nav).to_be_visible()
    expect(nav.get_by_role("link", name="Rencontres")).to_be_visible()
    expect(page.locator(".lang-switch").get_by_text("English")).to_be_visible()
    axe("desktop header")


def test_without_javascript_a_phone_gets_the_whole_navigation(browser, live_server):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE, locale="fr-FR")
    page = context.new_page()
    page.goto(f"{live_server}/")
    expect(page.get_by_role("button", name="Menu")).to_be_hidden()
    nav = page.get_by_role("navigation", name="Navigation principale")
    expect(nav).to_be_visible()
    nav.get_by_role("link", name="Rencontres").click()
    page.wait_for_url("**/rencontres")
    context.close()


def test_the_back_office_on_a_phone_folds_its_menu_too(page, live_server, login, coordinator, axe):
    login(coordinator.email)
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server}/coordination")
    coord_button = page.get_by_role("button", name="Menu de coordination")
    coord_nav = page.get_by_role("navigation", name="Espace de coordination")
    expect(coord_button).to_have_attribute("aria-expanded", "false")
    expect(coord_nav.get_by_role("link", name="Rencontres")).to_be_hidden()
    assert _header_share(page) <= 0.20  # measured once the script has folded the menus
    heading = page.get_by_role("heading", level=1).bounding_box()
    assert heading["y"] + heading["height"] <= PHONE["height"] * 0.45, "the page's title is on the first screen"
    axe("back office on a phone")
    coord_button.focus()
    page.keyboard.press("Enter")
    expect(coord_nav.get_by_role("link", name="Rencontres")).to_be_visible()
    axe("back office menu open")
    page.keyboard.press("Escape")
    expect(coord_nav.get_by_role("link", name="Rencontres")).to_be_hidden()
    page.set_viewport_size(DESKTOP)
    expect(coord_button).to_be_hidden()
    expect(coord_nav.get_by_role("link", name="Rencontres")).to_be_visible()
