"""Mails about membership."""

import sqlalchemy as sa

from clubess.auth.models import User
from clubess.core.permissions import Role
from clubess.extensions import db
from clubess.mailing.services import external_url, queue


def queue_application_confirmation(collectivity, referent, token: str) -> None:
    queue(
        referent.email,
        "members/confirm_application",
        {
            "collectivity": collectivity,
            "person": referent,
            "url": external_url("members.confirm_application", token=token),
        },
        category="members.confirm_application",
    )


def queue_new_application_alert(collectivity) -> None:
    coordinators = db.session.scalars(
        sa.select(User.email).where(User.role.in_([Role.COORDINATOR.value, Role.ADMIN.value]), User.is_enabled)
    ).all()
    for email in coordinators:
        queue(
            email,
            "members/new_application",
            {
                "collectivity": collectivity,
                "url": external_url("members.review_detail", collectivity_id=collectivity.id),
            },
            category="members.new_application",
            dedupe_key=f"new-application:{collectivity.id}:{email}",
        )


def queue_welcome(member, token: str, created: bool) -> None:
    queue(
        member.email,
        "members/welcome",
        {
            "member": member,
            "collectivity": member.collectivity,
            "created": created,
            "url": external_url("auth.welcome", token=token) if created else external_url("auth.login"),
        },
        category="members.welcome",
        dedupe_key=f"welcome:{member.collectivity_id}:{member.id}",
    )


def queue_rejection(collectivity) -> None:
    referent = collectivity.referent
    if referent is None:
        return
    queue(
        referent.email,
        "members/rejected",
        {"collectivity": collectivity, "person": referent},
        category="members.rejected",
    )


def queue_addition_request(collectivity, name: str, email: str, message: str) -> None:
    queue(
        collectivity.referent.email,
        "members/addition_request",
        {
            "collectivity": collectivity,
            "name": name,
            "email": email,
            "message": message,
            "url": external_url("member_area.add_person"),
        },
        category="members.addition_request",
        reply_to=email,
        dedupe_key=f"addition-request:{collectivity.id}:{email}",
    )
