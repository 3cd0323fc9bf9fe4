"""The sections of a territory page, registered by the features that fill them.

A territory page (and the `/territoires` index, for the région) is a list of sections: the members, the
practices, the indicators, the policy profiles, the map… Each feature registers its sections when the app is
created (`register_sections()` in its module, called from `create_app`), so the page knows no feature and a
feature knows no page. A section's `context` returns the template's variables, or None to leave the section
out (nothing to show, or nothing this viewer may see).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from flask_login import AnonymousUserMixin

from clubess.members.models import Territory

DETAIL = "detail"
INDEX = "index"


@dataclass(frozen=True)
class Viewer:
    """Who looks at a territory page: what they may see there."""

    user: object
    #: an élu or agent of an active member collectivity (or a coordinator)
    is_member: bool = False
    is_coordinator: bool = False
    #: the viewer's own collectivity, when they belong to one
    collectivity: object | None = None

    @classmethod
    def anonymous(cls) -> "Viewer":
        return cls(user=AnonymousUserMixin())


#: (territory, viewer, the page's query arguments) -> the template's variables, or None to leave it out
SectionContext = Callable[[Territory, Viewer, Mapping[str, str]], dict | None]


@dataclass(frozen=True)
class Section:
    #: the section's HTML id (also the key a feature registers it under)
    key: str
    #: the template included with the context's variables
    template: str
    context: SectionContext
    #: lower first
    order: int = 100
    #: DETAIL (a territory's page) or INDEX (the `/territoires` page)
    page: str = DETAIL


_SECTIONS: dict[str, Section] = {}


def register(section: Section) -> None:
    """Register (or replace, by key: registering twice at app creation is harmless) a section."""
    _SECTIONS[section.key] = section


def sections(page: str = DETAIL) -> list[Section]:
    return sorted((s for s in _SECTIONS.values() if s.page == page), key=lambda s: (s.order, s.key))


def render_list(page: str, territory: Territory, viewer: Viewer, args: Mapping[str, str]) -> list[tuple[Section, dict]]:
    """The sections to show on `page` for this territory and viewer, each with its template variables."""
    shown = []
    for section in sections(page):
        context = section.context(territory, viewer, args)
        if context is not None:
            shown.append((section, context))
    return shown
