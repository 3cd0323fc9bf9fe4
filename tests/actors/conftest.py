"""Directory fixtures: organisations in every status, with solutions in every status."""

import pytest


@pytest.fixture
def actors(db, territories, coordinator):
    """« Recyclerie du Bas-Montreuil » (listed, one published and one archived solution), « Les Petits Cageots »
    (pending, one submitted solution), « Fausse Piste » (rejected) and « Ancienne Coop » (archived)."""
    from clubess.actors import services, solutions
    from clubess.actors.services import OrganisationData
    from clubess.actors.solutions import SolutionData

    montreuil, dept93 = territories["93048"].id, territories["93"].id
    listed = services.create_organisation(
        coordinator,
        OrganisationData(
            name="Recyclerie du Bas-Montreuil",
            kind="association",
            siret="73282932000074",
            description="Collecte et revente d’objets de seconde main.",
            website="https://recyclerie.example.org",
            contact_name="Inès Martin",
            contact_email="ines@recyclerie.example.org",
            contact_phone="01 48 00 00 00",
            territory_ids=[montreuil],
        ),
    )
    published = solutions.add_solution(
        coordinator,
        listed,
        SolutionData(
            title="Une ressourcerie mobile dans les quartiers",
            lever="soutien_structures",
            summary="Un camion collecte les encombrants réutilisables au pied des immeubles et les remet en vente.",
            themes=["réemploi", "déchets"],
            territory_ids=[montreuil],
        ),
    )
    archived_solution = solutions.add_solution(
        coordinator, listed, SolutionData(title="Ancien atelier vélo", lever="soutien_structures", summary="Vélos.")
    )
    solutions.archive_solution(coordinator, archived_solution)
    pending = services.request_listing(
        OrganisationData(
            name="Les Petits Cageots",
            kind="scic",
            contact_name="Paul Roux",
            contact_email="paul@cageots.example.org",
            territory_ids=[dept93],
        ),
        "J’accepte.",
        SolutionData(
            title="Des paniers de légumes locaux pour les cantines",
            lever="achats_responsables",
            summary="Un groupement de maraîchers livre les cantines scolaires en circuit court.",
        ),
    )
    rejected = services.request_listing(
        OrganisationData(name="Fausse Piste", kind="other", contact_name="X", contact_email="x@piste.example.org"),
        "J’accepte.",
    )
    services.reject_request(coordinator, rejected, "Hors du champ de l’ESS.")
    gone = services.create_organisation(coordinator, OrganisationData(name="Ancienne Coop", kind="scop"))
    services.archive_organisation(coordinator, gone)
    db.session.commit()
    return {
        "listed": listed,
        "published": published,
        "archived_solution": archived_solution,
        "pending": pending,
        "pending_solution": pending.solutions[0],
        "rejected": rejected,
        "gone": gone,
    }
