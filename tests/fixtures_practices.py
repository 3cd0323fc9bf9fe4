"""A small fixed corpus of practices for search tests (hand-written; tests never read ../shared)."""

from datetime import UTC

import pytest

CORPUS = [
    (
        "P01",
        "Une ressourcerie municipale dans les anciens ateliers",
        "soutien_structures",
        ["réemploi", "déchets"],
        "La commune a installé une ressourcerie qui collecte, répare et revend les objets.",
        "Les objets collectés en déchèterie sont triés, réparés et revendus à petit prix.",
    ),
    (
        "P02",
        "Un schéma d'achats socialement et écologiquement responsables",
        "achats_responsables",
        ["commande publique", "clauses sociales"],
        "Le SPASER fixe des objectifs de clauses sociales et environnementales dans les marchés.",
        "Adopté en conseil, le schéma engage toutes les directions acheteuses.",
    ),
    (
        "P03",
        "Des chantiers d'insertion pour l'entretien des espaces verts",
        "soutien_structures",
        ["insertion", "espaces verts"],
        "La ville confie l'entretien de ses parcs à une structure d'insertion par l'activité économique.",
        "Les salariés en parcours sont accompagnés vers l'emploi durable.",
    ),
    (
        "P04",
        "Un tiers-lieu dans une ancienne gare",
        "foncier_tiers_lieux",
        ["tiers-lieu", "foncier"],
        "L'intercommunalité a racheté la gare pour y ouvrir un tiers-lieu géré par une coopérative.",
        "Espaces de travail partagés, café associatif et atelier de fabrication.",
    ),
    (
        "P05",
        "Coopérative d'activité et d'emploi pour les jeunes créateurs",
        "rd_sociale_cooperation",
        ["jeunes", "création d'activité"],
        "Les jeunes testent leur activité au sein d'une coopérative d'activité et d'emploi.",
        "Un accompagnement collectif et un statut d'entrepreneur salarié.",
    ),
    (
        "P06",
        "Fonds de prêts d'honneur pour les associations",
        "ecosysteme_financement",
        ["financement", "trésorerie"],
        "Le département abonde un fonds qui prête sans intérêt aux associations employeuses.",
        "Les prêts couvrent les besoins de trésorerie en attendant les subventions.",
    ),
    (
        "P07",
        "Semaine de l'économie sociale et solidaire dans les collèges",
        "animation_sensibilisation",
        ["sensibilisation", "éducation"],
        "Chaque année, des entrepreneurs de l'ESS rencontrent les collégiens.",
        "Des ateliers et des visites de structures du territoire.",
    ),
    (
        "P08",
        "Épicerie sociale et solidaire itinérante",
        "soutien_structures",
        ["alimentation", "précarité"],
        "Un camion-épicerie dessert les villages sans commerce.",
        "Une association gère le camion avec des bénévoles et des salariés en insertion.",
    ),
    (
        "P09",
        "Pôle territorial de coopération économique autour du textile",
        "rd_sociale_cooperation",
        ["coopération", "textile"],
        "Des entreprises de l'ESS et des PME mutualisent un atelier de couture.",
        "Le PTCE relocalise la confection et forme des couturières.",
    ),
    (
        "P10",
        "Recyclerie de matériaux du bâtiment",
        "soutien_structures",
        ["réemploi", "bâtiment"],
        "Les matériaux de déconstruction sont récupérés et revendus aux artisans.",
        "Une SCIC associe la collectivité, les artisans et les habitants.",
    ),
]


@pytest.fixture
def corpus(db):
    from clubess.practices.models import Practice
    from clubess.practices.search.index import index_practice
    from clubess.practices.services import load_default_thesaurus

    load_default_thesaurus()
    practices = []
    for i, (ref, title, lever, themes, summary, description) in enumerate(CORPUS):
        from datetime import datetime

        practice = Practice(
            ref=ref,
            title=title,
            lever=lever,
            themes=themes,
            summary=summary,
            description=description,
            status="published",
            year=2020 + i % 5,
            territory_kind="commune",
            department_code="93" if i % 2 else "75",
            published_at=datetime(2026, 1, 1 + i, tzinfo=UTC),
        )
        db.session.add(practice)
        db.session.flush()
        index_practice(practice)
        practices.append(practice)
    db.session.commit()
    return {p.ref: p for p in practices}
