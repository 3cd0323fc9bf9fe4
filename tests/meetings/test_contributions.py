"""Workshop outputs: participants contribute from the meeting page, coordinators moderate, published with minutes."""

from datetime import timedelta

import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from clubess.meetings.followup_models import Contribution
from tests.pages import confirmation_form, get_page


def _as(client, email=None):
    other = client.application.test_client()
    if email:
        other.login(email)
    return other


def _contribute(
    client, meeting, kind="constat", title="Manque de locaux", text="Les associations cherchent des locaux.", **extra
):
    data = {"kind": kind, "title": title, "text": text, "lever": "", "territory": "0", **extra}
    return client.submit(f"/rencontres/{meeting.id}/contributions/nouvelle", data, form_url=f"/rencontres/{meeting.id}")


def _publish_minutes(client, meeting):
    client.submit(f"/coordination/rencontres/{meeting.id}/compte-rendu", {"body": "Compte rendu", "action": "save"})
    return client.confirm(f"/coordination/rencontres/{meeting.id}/compte-rendu/publier")


def _count(db) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Contribution))


def test_a_registered_participant_contributes_from_the_meeting_page_and_edits_until_publication(
    client, db, held_meeting, territories, coordinator
):
    workshop = held_meeting(kind="atelier_territorial")
    sofia = _as(client, "sofia@saint-ouen.fr")
    page = get_page(sofia, f"/rencontres/{workshop.id}").get_data(as_text=True)
    assert "Apporter une contribution" in page and "Saint-Ouen-sur-Seine (Commune)" in page
    assert "L&#39;Haÿ-les-Roses" not in page  # only the workshop's département (93) and the région
    done = _contribute(
        sofia,
        workshop,
        kind="initiative",
        title="Ressourcerie de quartier",
        lever="soutien_structures",
        territory=str(territories["93070"].id),
    )
    assert done.status_code == 302 and done.location.endswith(f"/rencontres/{workshop.id}#contributions")
    contribution = db.session.scalar(sa.select(Contribution))
    assert (contribution.kind, contribution.lever, contribution.territory.name) == (
        "initiative",
        "soutien_structures",
        "Saint-Ouen-sur-Seine",
    )
    page = sofia.get(f"/rencontres/{workshop.id}").get_data(as_text=True)
    assert "Vos contributions" in page and "Ressourcerie de quartier" in page
    edit_url = f"/rencontres/{workshop.id}/contributions/{contribution.id}"
    sofia.submit(
        edit_url,
        {
            "kind": "initiative",
            "title": "Ressourcerie solidaire",
            "text": "Texte revu",
            "lever": "",
            "territory": str(territories["93070"].id),
        },
    )
    db.session.expire_all()
    assert db.session.get(Contribution, contribution.id).title == "Ressourcerie solidaire"
    # another participant sees neither the edit link nor the page
    helene = _as(client, "helene@montreuil.fr")
    assert helene.get(edit_url).status_code == 403
    assert "Ressourcerie solidaire" not in helene.get(f"/rencontres/{workshop.id}").get_data(as_text=True)

    # published with the minutes: shown under them, counted per kind, closed to participants
    coordination = _as(client, coordinator.email)
    _publish_minutes(coordination, workshop)
    page = get_page(_as(client, "helene@montreuil.fr"), f"/rencontres/{workshop.id}").get_data(as_text=True)
    assert page.index('id="compte-rendu"') < page.index('id="contributions"')
    assert "Constats : 0 · Initiatives repérées : 1 · Préconisations : 0" in page
    assert "Ressourcerie solidaire" in page and "Saint-Ouen-sur-Seine" in page
    assert sofia.get(edit_url).status_code == 403
    refused = _contribute(sofia, workshop, title="Trop tard")
    assert refused.status_code == 403 and "Le compte rendu est publié" in refused.get_data(as_text=True)
    assert _count(db) == 1


def test_the_minutes_mail_of_a_workshop_counts_and_lists_its_contributions(
    client, db, held_meeting, coordinator, smtp, deliver
):
    workshop = held_meeting(kind="atelier_thematique")
    coordination = _as(client, coordinator.email)
    for kind, title in [("constat", "Peu de foncier"), ("constat", "Loyers élevés"), ("preconisation", "Un SPASER")]:
        assert _contribute(coordination, workshop, kind=kind, title=title).status_code == 302
    _publish_minutes(coordination, workshop)
    deliver()
    text = smtp.text_of(smtp.to("sofia@saint-ouen.fr")[0])
    assert "Contributions de l’atelier : Constat : 2, Initiative repérée : 0, Préconisation : 1" in text
    assert "- [Préconisation] Un SPASER" in text


def test_who_may_contribute_and_when(client, db, held_meeting, make_meeting, people, coordinator):
    workshop = held_meeting(kind="atelier_thematique")
    # Paul was marked absent, a visitor has no account, Léo's registration holds but he has no account
    assert _contribute(_as(client, "sofia@saint-ouen.fr"), workshop).status_code == 302
    paul_user_less = _as(client)
    assert paul_user_less.get(f"/rencontres/{workshop.id}/contributions/nouvelle").status_code == 302  # login
    from tests.factories import UserFactory

    people["paul"].user = UserFactory(email="paul@lhay.fr")
    db.session.commit()
    refused = _contribute(_as(client, "paul@lhay.fr"), workshop)
    assert refused.status_code == 403 and "Seules les personnes inscrites" in refused.get_data(as_text=True)
    # a plain rencontre takes no contribution; a workshop not yet started neither
    rencontre = held_meeting(title="Rencontre simple")
    assert _contribute(_as(client, coordinator.email), rencontre).status_code == 403
    future = make_meeting(kind="atelier_territorial", status="published", title="Atelier futur")
    assert "s’ouvrent au début" in _contribute(_as(client, coordinator.email), future).get_data(as_text=True)
    assert _count(db) == 1


def test_bad_contributions_are_refused_with_what_was_typed_kept(client, db, held_meeting, territories):
    workshop = held_meeting(kind="atelier_territorial")
    sofia = _as(client, "sofia@saint-ouen.fr")
    html = _contribute(sofia, workshop, kind="", title="Titre gardé", text="").get_data(as_text=True)
    assert "Titre gardé" in html and "Choisissez le type de contribution" in html
    other_department = str(territories["94038"].id)  # L'Haÿ (94) is not a territory of this workshop (93)
    html = _contribute(sofia, workshop, territory=other_department).get_data(as_text=True)
    assert "Choisissez un territoire de la liste" in html
    for hostile in (
        {"kind": "autre"},
        {"lever": "inconnu"},
        {"territory": "x"},
        {"territory": "99999999999"},
        {"title": "<b>gras</b>"},
        {"text": "x" * 5001},
    ):
        response = _contribute(sofia, workshop, **hostile)
        assert response.status_code == 200, hostile
    assert _count(db) == 0


def test_coordinators_merge_and_remove_contributions_after_a_confirmation(client, db, held_meeting, coordinator):
    workshop = held_meeting(kind="atelier_territorial")
    sofia = _as(client, "sofia@saint-ouen.fr")
    _contribute(sofia, workshop, kind="constat", title="Locaux rares", text="Peu de locaux.")
    _contribute(sofia, workshop, kind="constat", title="Locaux chers", text="Loyers trop élevés.")
    _contribute(sofia, workshop, kind="preconisation", title="Foncière solidaire", text="Créer une foncière.")
    first, second, third = db.session.scalars(sa.select(Contribution).order_by(Contribution.id)).all()
    coordination = _as(client, coordinator.email)
    page = get_page(coordination, f"/coordination/rencontres/{workshop.id}/contributions").get_data(as_text=True)
    assert "Sofia Martin" in page  # coordinators see who proposed it
    merge_url = f"/coordination/rencontres/{workshop.id}/contributions/fusionner"
    list_url = f"/coordination/rencontres/{workshop.id}/contributions"

    def merge(*ids):
        fields = [("ids", i) for i in ids] + [("csrf_token", coordination.csrf_token(list_url))]
        return coordination.post(merge_url, data=MultiDict(fields))

    mixed = merge(first.id, third.id)
    assert mixed.status_code == 302 and _count(db) == 3
    asked = merge(first.id, second.id)
    html = asked.get_data(as_text=True)
    assert "Fusionner 1 contribution dans « Locaux rares » ?" in html and _count(db) == 3
    action, fields = confirmation_form(html)
    assert coordination.post(action, data=MultiDict(fields)).status_code == 302
    db.session.expire_all()
    kept = db.session.get(Contribution, first.id)
    assert kept.text == "Peu de locaux.\n\nLocaux chers : Loyers trop élevés." and _count(db) == 2
    removed = coordination.confirm(
        f"/rencontres/{workshop.id}/contributions/{third.id}/retirer?depuis=coordination",
        expect="Retirer la contribution « Foncière solidaire » ?",
    )
    assert removed.location.endswith(f"/coordination/rencontres/{workshop.id}/contributions")
    assert _count(db) == 1


def test_contributions_for_a_territory_are_the_published_ones_that_concern_it(
    app, db, held_meeting, territories, coordinator
):
    from clubess.meetings import contributions, minutes

    workshop = held_meeting(kind="atelier_territorial")
    other = held_meeting(kind="atelier_thematique", title="Atelier non publié")
    for meeting, title, territory in [
        (workshop, "À Montreuil", territories["93048"]),
        (workshop, "Sans territoire", None),
        (workshop, "Au niveau régional", territories["11"]),
        (other, "Pas encore publiée", territories["93048"]),
    ]:
        contributions.add_contribution(
            coordinator,
            meeting,
            contributions.ContributionData("constat", title, "Texte", None, getattr(territory, "id", None)),
        )
    minutes.save_minutes(coordinator, workshop, "Texte", [])
    minutes.publish_minutes(coordinator, workshop)
    db.session.commit()

    def titles(code):
        return {c.title for c in contributions.contributions_for_territory(territories[code])}

    assert titles("93048") == {"À Montreuil"}
    assert titles("200057875") == {"À Montreuil"}  # Est Ensemble holds Montreuil
    assert titles("200054781") == {"À Montreuil"}  # the métropole holds Est Ensemble
    assert titles("93") == {"À Montreuil", "Sans territoire"}  # the workshop was held in the 93
    assert titles("94") == set()
    assert titles("11") == {"À Montreuil", "Sans territoire", "Au niveau régional"}


def test_a_contribution_window_opens_when_the_workshop_starts(app, db, make_meeting, coordinator):
    from clubess.meetings import contributions

    workshop = make_meeting(kind="atelier_thematique", status="published")
    before, during = workshop.starts_at - timedelta(minutes=1), workshop.starts_at + timedelta(minutes=5)
    assert contributions.closed_reason(workshop, now=before) == "Les contributions s’ouvrent au début de l’atelier."
    assert contributions.closed_reason(workshop, now=during) is None
    workshop.status = "cancelled"
    assert contributions.closed_reason(workshop, now=during) == "Cet atelier ne recueille pas de contributions."


def test_the_collectivity_page_lists_the_published_contributions_about_its_territory(
    client, db, held_meeting, territories, coordinator, count_queries
):
    """No territory page exists yet: the collectivity's page (titled with its territory) lists them, per kind."""
    from clubess.meetings import contributions, minutes

    workshop = held_meeting(kind="atelier_territorial", title="Atelier foncier")
    draft = held_meeting(kind="atelier_thematique", title="Atelier sans compte rendu")
    for meeting, kind, title, territory in [
        (workshop, "constat", "Locaux vacants à Montreuil", "93048"),
        (workshop, "preconisation", "Foncière solidaire d’Est Ensemble", "200057875"),
        (workshop, "initiative", "Ressourcerie de Saint-Ouen", "93070"),
        (draft, "constat", "Pas encore publiée", "93048"),
    ]:
        data = contributions.ContributionData(kind, title, "Texte", None, territories[territory].id)
        contributions.add_contribution(coordinator, meeting, data)
    minutes.save_minutes(coordinator, workshop, "Texte", [])
    minutes.publish_minutes(coordinator, workshop)
    db.session.commit()

    karim = _as(client, "karim@montreuil.fr")
    with count_queries() as counter:
        html = get_page(karim, "/espace/collectivite").get_data(as_text=True)
    section = html.split('id="contributions-territoire"', 1)[1]
    assert "Locaux vacants à Montreuil" in section
    assert "Pas encore publiée" not in section and "Ressourcerie de Saint-Ouen" not in section
    assert "Foncière solidaire" not in section  # Est Ensemble holds Montreuil, not the other way round
    assert "Constats : 1 · Initiatives repérées : 0 · Préconisations : 0" in section
    assert f'href="/rencontres/{workshop.id}#contributions"' in section

    # more contributions, on more workshops, cost no more queries
    for i in range(5):
        other = held_meeting(kind="atelier_thematique", title=f"Atelier {i}")
        data = contributions.ContributionData("initiative", f"Initiative {i}", "Texte", None, territories["93048"].id)
        contributions.add_contribution(coordinator, other, data)
        minutes.save_minutes(coordinator, other, "Texte", [])
        minutes.publish_minutes(coordinator, other)
    db.session.commit()
    with count_queries() as more:
        html = get_page(karim, "/espace/collectivite").get_data(as_text=True)
    assert "Constats : 1 · Initiatives repérées : 5 · Préconisations : 0" in html
    assert more.count == counter.count
