"""Who may see a document: everyone (public), members of an active collectivity (members), the people
registered to its meeting (registrants); coordinators see everything. Checked on every page and download."""

from dataclasses import dataclass, field

import sqlalchemy as sa

from clubess.core.permissions import Role, has_role
from clubess.extensions import db
from clubess.meetings.models import Registration, RegistrationStatus
from clubess.members.models import Member
from clubess.resources.models import Document, Visibility


@dataclass
class Viewer:
    """What one person may see, read once per request (two queries at most)."""

    is_authenticated: bool = False
    is_coordinator: bool = False
    is_member: bool = False
    #: the meetings where the person holds a seat (registration status « registered »)
    registered: set[int] = field(default_factory=set)

    @property
    def visibilities(self) -> set[str]:
        """What the resource centre shows them (registrants' documents stay on their meeting)."""
        if self.is_coordinator or self.is_member:
            return {Visibility.PUBLIC.value, Visibility.MEMBERS.value}
        return {Visibility.PUBLIC.value}

    def can_see(self, document: Document) -> bool:
        if self.is_coordinator or document.visibility == Visibility.PUBLIC:
            return True
        if document.visibility == Visibility.MEMBERS:
            return self.is_member
        return document.meeting_id in self.registered


def viewer_for(user) -> Viewer:
    if not getattr(user, "is_authenticated", False):
        return Viewer()
    if has_role(user, Role.COORDINATOR):
        return Viewer(is_authenticated=True, is_coordinator=True, is_member=True)
    from clubess.members.services import member_of

    registered = set(
        db.session.scalars(
            sa.select(Registration.meeting_id)
            .join(Member, Member.id == Registration.member_id)
            .where(Member.user_id == user.id, Registration.status == RegistrationStatus.REGISTERED)
        )
    )
    return Viewer(is_authenticated=True, is_member=member_of(user) is not None, registered=registered)
