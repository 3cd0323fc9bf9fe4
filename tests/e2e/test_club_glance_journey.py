"""The club at a glance (issue 18): a coordinator lands on the dashboard, follows a to-do to its filtered list,
writes and publishes the yearly bilan (through its confirmation) and the public page shows it; a member who
opted in to the news receives the digest (the real worker delivers it to the local SMTP server), opens the
unsubscribe link of the mail and is unsubscribed. axe-core finds no violation on any page visited."""

import re
from datetime import timedelta

import sqlalchemy as sa
from playwright.sync_api import expect

from clubess.core.db import now_utc
from clubess.core.timezone import tz


def test_dashboard_to_do_bilan_published_and_digest_unsubscribed(
    page, live_server, db, coordinator, people, territories, smtp, deliver, axe, login, logout
):
    from clubess.digest import services as digest
    from clubess.members.models import Collectivity, Member
    from clubess.practices.models import Practice

    year = now_utc().astimezone(tz()).year
    db.session.add(Collectivity(territory=territories["93"], status="pending", applied_at=now_utc()))
    db.session.add(
        Practice(
            ref="GL-1",
            title="Une ressourcerie intercommunale",
            lever="soutien_structures",
            status="published",
            published_at=now_utc() - timedelta(hours=1),
        )
    )
    db.session.commit()

    # The coordinator lands on the dashboard and follows the applications waiting to their list.
    login(coordinator.email)
    expect(page).to_have_url(re.compile(r"/coordination$"))
    expect(page.locator("#todo-applications")).to_contain_text("1")
    axe("dashboard")
    page.locator("#todo-applications a").click()
    page.wait_for_url(re.compile(r"/coordination/adhesions\?status=pending"))
    expect(page.locator("main")).to_contain_text("Seine-Saint-Denis")
    axe("applications waiting")

    # The bilan of this year: write its introduction, publish it through the confirmation.
    page.get_by_role("link", name="Bilans annuels").click()
    page.wait_for_url(re.compile(r"/coordination/bilan$"))
    axe("bilans")
    page.get_by_role("link", name=f"Bilan {year}", exact=True).click()
    page.wait_for_url(re.compile(rf"/coordination/bilan/{year}$"))
    axe("bilan (draft)")
    page.get_by_role("textbox", name="Introduction").fill("Une année de **rencontres** entre collectivités.")
    page.get_by_role("button", name="Enregistrer les textes").click()
    expect(page.get_by_role("status").first).to_contain_text("sont enregistrés")
    axe("bilan (texts saved)")
    page.get_by_role("link", name="Publier le bilan").click()
    expect(page.locator("#confirm-effects")).to_contain_text("visible de tous, sans compte")
    axe("publish confirmation")
    page.get_by_role("button", name=f"Publier le bilan {year}").click()
    expect(page.locator("#bilan-status")).to_contain_text("publié")
    axe("bilan (published)")
    logout()

    # A visitor finds it from « Le club ».
    page.goto(f"{live_server}/le-club")
    axe("le club")
    page.get_by_role("link", name=f"Bilan {year} du club").click()
    page.wait_for_url(re.compile(rf"/le-club/bilan/{year}$"))
    expect(page.locator("main")).to_contain_text("Une année de rencontres entre collectivités.")
    expect(page.locator("main strong", has_text="rencontres")).to_have_count(1)
    axe("public bilan")

    # The digest: Hélène opted in (the default); the worker delivers it to the local SMTP server.
    helene = people["helene"]
    digest.queue_digests(None, digest.current_period())
    db.session.commit()
    deliver()
    [mail] = smtp.to(helene.email)
    assert "Une ressourcerie intercommunale" in smtp.text_of(mail)
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    page.goto(live_server + smtp.link_path(mail, "/desabonnement/"))
    axe("unsubscribe page")
    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("désabonnement", re.I)).click()
    axe("unsubscribed")
    db.session.expire_all()
    assert db.session.scalar(sa.select(Member.wants_news).where(Member.id == helene.id)) is False
