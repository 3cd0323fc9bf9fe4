"""Helpers for the map tests: the map's sections rendered in a page of their own (the territory pages are built
on another branch), and the SVG read back as data."""

import html as html_module
import re
from xml.etree import ElementTree

from flask import render_template, render_template_string, request
from markupsafe import Markup

from clubess.core.fictitious import PLACEHOLDER
from clubess.territories import sections

SVG = "{http://www.w3.org/2000/svg}"

MAP_KEYS = {"carte", "situation"}
PAGE = '{% extends "base.html" %}{% block title %}Territoires{% endblock %}{% block content %}{{ body }}{% endblock %}'


def render_sections(app, page: str, territory, query: str = "", viewer=None) -> str:
    """The page `page` (sections.INDEX or DETAIL) of `territory` with only the map's sections, as HTML."""
    viewer = viewer or sections.Viewer.anonymous()
    with app.test_request_context(f"/territoires?{query}"):
        # only the map's sections are computed: the other features' queries are not the map's
        shown = [(s, s.context(territory, viewer, request.args)) for s in sections.sections(page) if s.key in MAP_KEYS]
        body = Markup("").join(
            Markup(render_template(section.template, key=section.key, **context))  # noqa: S704 - rendered
            for section, context in shown
            if context is not None
        )
        return render_template_string(PAGE, body=body).replace(PLACEHOLDER, "")


def svg_of(html: str, css_class: str = "carte-svg") -> ElementTree.Element:
    match = re.search(rf'<svg[^>]*class="{css_class}".*?</svg>', html, re.S)
    assert match, f"no {css_class} in the page"
    return ElementTree.fromstring(match.group(0))  # noqa: S314 - our own SVG


def links_of(svg: ElementTree.Element) -> list[dict]:
    """Every link of the SVG: href, aria-label, title, and the fill of the group it is drawn in."""
    found = []

    def walk(el, fill):
        fill = el.get("fill", fill)
        for child in el:
            if child.tag == f"{SVG}a":
                title = child.find(f"{SVG}title")
                path = child.find(f"{SVG}path")
                found.append(
                    {
                        "href": child.get("href"),
                        "label": child.get("aria-label"),
                        "title": title.text if title is not None else None,
                        "fill": path.get("fill", fill) if path is not None else fill,
                    }
                )
            else:
                walk(child, fill)

    walk(svg, None)
    return found


def table_rows(html: str, key: str = "name") -> dict[str, str]:
    """The map's table: territory name (or href) -> value as shown."""
    table = re.search(r'<details class="carte-tableau">.*?</details>', html, re.S).group(0)
    rows = re.findall(r'<tr><th scope="row"><a href="([^"]+)">(.*?)</a></th><td>(.*?)</td></tr>', table)
    index = 0 if key == "href" else 1
    return {html_module.unescape(row[index]): html_module.unescape(row[2]) for row in rows}
