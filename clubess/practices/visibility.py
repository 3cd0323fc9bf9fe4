"""Who sees what of a practice: one rule for the pages, the API, the feeds and the exports.

- A **published** practice is a public portrait, for everyone, signed in or not: its reference, title, summary,
  description, lever, themes, year, territory, partners (organisations, never people) and links to public pages.
  The club's purpose is that collectivities copy what works: hiding the portraits hid the club.
- Its **contact** (the person, their address, the contact role) is for the members of an active collectivity and
  the coordinators: a visitor is told to sign in or to join, and the club puts people in touch.
- Its **internal fields** (status, the coordinators' review comment, the author, the review date, the
  revisions, the feedback members gave) are for coordinators (and the author for their own practice).
- A draft, submitted or archived practice shows to its author and the coordinators only
  (`services.get_practice`); everyone else gets a 404, as if it did not exist.

The coordinators' exports (`/coordination/pratiques/export.*`) hold every field: they are for coordinators only.
"""

from clubess.core.permissions import Role, has_role

#: the fields of a published practice anyone may read (the API's and the public page's)
PORTRAIT_FIELDS = (
    "ref",
    "title",
    "summary",
    "description",
    "lever",
    "themes",
    "year",
    "territory_name",
    "territory_kind",
    "department_code",
    "partners",
    "links",
)
#: what only members and coordinators read
CONTACT_FIELDS = ("contact_role", "contact")


def sees_contacts(user) -> bool:
    """A member of an active collectivity, or a coordinator."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if has_role(user, Role.COORDINATOR):
        return True
    from clubess.members.services import member_of

    return member_of(user) is not None
