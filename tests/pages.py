"""Checks every HTML page a test fetches: it parses, one <h1> matching the title, unique ids, labelled inputs."""

import html5lib

NS = "{http://www.w3.org/1999/xhtml}"


def _text(el) -> str:
    return " ".join("".join(el.itertext()).split())


def check_page(html: str) -> dict:
    """Parse strictly and assert the structural rules; returns a summary used by tests."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=True)
    doc = parser.parse(html)
    root = doc
    assert root.get("lang"), "<html> must have a lang"
    h1s = root.findall(f".//{NS}h1")
    assert len(h1s) == 1, f"expected one <h1>, found {len(h1s)}"
    h1 = _text(h1s[0])
    title = _text(root.find(f".//{NS}title"))
    assert h1 and title.startswith(h1.split(" :")[0][:40]), f"title {title!r} does not start with h1 {h1!r}"
    ids = [el.get("id") for el in root.iter() if el.get("id")]
    duplicates = {i for i in ids if ids.count(i) > 1}
    assert not duplicates, f"duplicate ids: {duplicates}"
    labels_for = {el.get("for") for el in root.iter(f"{NS}label")}
    for el in root.iter():
        tag = el.tag.replace(NS, "")
        if tag in {"input", "select", "textarea"} and el.get("type") not in {"hidden", "submit", "button"}:
            assert el.get("id") in labels_for or el.get("aria-label") or el.get("aria-labelledby"), (
                f"<{tag} name={el.get('name')!r}> has no label"
            )
    return {"h1": h1, "title": title}


def get_page(client, url: str, status: int = 200, **kwargs):
    """GET a page, assert its status and structure, return the response."""
    response = client.get(url, **kwargs)
    assert response.status_code == status, f"{url}: {response.status_code}"
    assert response.mimetype == "text/html"
    check_page(response.get_data(as_text=True))
    return response


def confirmation_form(html: str) -> tuple[str, list[tuple[str, str]]]:
    """The action and the fields of a confirmation page's form (templates/_macros/confirm.html)."""
    doc = html5lib.parse(html, namespaceHTMLElements=True)
    for form in doc.iter(f"{NS}form"):
        fields = [(i.get("name"), i.get("value", "")) for i in form.iter(f"{NS}input") if i.get("name")]
        if ("confirmed", "yes") in fields:
            return form.get("action"), fields
    raise AssertionError("not a confirmation page")


def effects_of(html: str) -> list[str]:
    """The sentences a confirmation page states, in order."""
    doc = html5lib.parse(html, namespaceHTMLElements=True)
    effects = next(el for el in doc.iter(f"{NS}ul") if el.get("id") == "confirm-effects")
    return [_text(li) for li in effects.iter(f"{NS}li")]


def press_confirmation(client, response):
    """An import's check page: press its button and return the button's response (other pages unchanged)."""
    from werkzeug.datastructures import MultiDict

    html = response.get_data(as_text=True)
    if 'name="confirmed"' not in html:
        return response
    check_page(html)
    action, fields = confirmation_form(html)
    return client.post(action, data=MultiDict(fields))
