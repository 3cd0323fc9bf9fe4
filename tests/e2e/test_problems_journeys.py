"""Matching journey: a member states a problem with typos and no accents, sees practices with their
reasons and marks one useful; a coordinator sees it in the loop and turns an unanswered group into an
agenda item of the next draft meeting."""

import re

import sqlalchemy as sa
from playwright.sync_api import expect


def test_member_states_a_problem_coordinator_turns_the_unanswered_into_a_meeting_theme(
    page, live_server, corpus, active_collectivity, coordinator, axe, login, logout, make_meeting, db
):
    make_meeting(status="draft", title="Rencontre d'hiver")
    db.session.commit()
    login("helene@montreuil.fr")
    page.goto(f"{live_server}/problematiques")
    axe("state a problem")
    page.get_by_label("Votre problématique").fill("on jete plein d'objets encore bons, ce serait bien de les reparer")
    page.get_by_label("Levier (facultatif)").select_option("soutien_structures")
    page.get_by_label("Suivre cette problématique").check()
    page.get_by_role("button", name="Trouver des pratiques").click()
    page.wait_for_url(re.compile(r"/problematiques/\d+$"))
    results = page.locator("main")
    expect(results).to_contain_text(re.compile("Une ressourcerie municipale|Recyclerie de matériaux"))
    expect(results).to_contain_text("Pourquoi cette pratique")
    expect(results).to_contain_text("Même levier")
    axe("answers")
    first = page.locator("li.card").first
    first.get_by_role("button", name="Utile").click()
    expect(page.get_by_role("status").first).to_contain_text("votre avis est enregistré")
    expect(page.locator('button[aria-pressed="true"]').first).to_have_text("Utile")

    page.goto(f"{live_server}/problematiques")
    # a problem nothing answers (« villages » here once made the decision take a village épicerie for an answer)
    page.get_by_label("Votre problématique").fill("nos cimetieres sont pleins, ou enterrer nos morts")
    page.get_by_label("Thèmes (facultatif)").fill("funéraire")
    page.get_by_role("button", name="Trouver des pratiques").click()
    page.wait_for_url(re.compile(r"/problematiques/\d+$"))  # logging out before would cancel the problem
    logout()

    login(coordinator.email)
    page.goto(f"{live_server}/coordination/problematiques")
    axe("loop")
    table = page.locator("main")
    expect(table).to_contain_text("on jete plein d'objets")
    expect(table).to_contain_text("utile : 1")
    row = page.locator("tr", has_text="funéraire").first
    row.get_by_role("button", name="Ajouter à l’ordre du jour").click()
    expect(page.get_by_role("status").first).to_contain_text("ajouté à l’ordre du jour")
    from clubess.meetings.models import AgendaItem

    db.session.expire_all()
    titles = db.session.scalars(sa.select(AgendaItem.title)).all()
    assert "Problématique à traiter : funéraire (1)" in titles
