"""Demo data for the library: 40 practices written for the demo, across the six levers and all kinds of territory."""

from datetime import datetime, timezone

import sqlalchemy as sa

from clubess.extensions import db
from clubess.practices.models import Practice, PracticeStatus, Provenance
from clubess.practices.search.index import index_practice
from clubess.practices.services import load_default_thesaurus

# (lever, kind, territory, département, year, title, summary, themes)
PRACTICES = [
    ("ecosysteme_financement", "region", "Région Île-de-France", None, 2023,
     "Un fonds régional de garantie pour les prêts aux entreprises de l'ESS",
     "La Région garantit jusqu'à 70 % des prêts bancaires accordés aux coopératives et associations employeuses, "
     "ce qui a débloqué 40 M€ de crédits en trois ans.", ["garantie", "prêts bancaires", "investissement"]),
    ("ecosysteme_financement", "departement", "Département de la Seine-Saint-Denis", "93", 2024,
     "Des avances remboursables pour la trésorerie des associations",
     "Le Département avance aux associations les subventions votées mais non versées, sans intérêt, pour éviter "
     "les ruptures de trésorerie.", ["trésorerie", "associations", "subventions"]),
    ("ecosysteme_financement", "commune", "Ville de Montreuil", "93", 2022,
     "Une plateforme de financement participatif adossée à la ville",
     "La ville abonde d'un euro chaque euro collecté par les projets ESS du territoire sur une plateforme de dons.",
     ["financement participatif", "citoyens", "abondement"]),
    ("ecosysteme_financement", "metropole", "Métropole du Grand Paris", None, 2024,
     "Un appel à projets métropolitain pour l'innovation sociale",
     "La Métropole finance chaque année une vingtaine de projets d'innovation sociale portés avec des communes.",
     ["appel à projets", "innovation sociale"]),
    ("ecosysteme_financement", "ept", "Établissement public territorial Est Ensemble", "93", 2023,
     "Des prêts d'honneur pour les créateurs d'entreprises solidaires",
     "L'EPT et un réseau de prêts d'honneur financent les fondateurs de structures de l'ESS sans apport personnel.",
     ["prêts d'honneur", "création d'activité"]),
    ("ecosysteme_financement", "epci", "Communauté d'agglomération Grand Paris Sud", "91", 2021,
     "Une foncière solidaire pour les commerces de centre-ville",
     "L'agglomération investit avec des épargnants solidaires dans une foncière qui loue des commerces à des "
     "structures de l'ESS à loyer modéré.", ["foncière", "épargne solidaire", "commerce"]),
    ("ecosysteme_financement", "commune", "Ville de Bondy", "93", 2024,
     "Un budget participatif réservé aux projets d'économie solidaire",
     "Un tiers du budget participatif finance des projets d'habitants portés par des associations ou coopératives.",
     ["budget participatif", "habitants"]),
    ("soutien_structures", "commune", "Ville de Vitry-sur-Seine", "94", 2023,
     "Une ressourcerie installée dans un ancien entrepôt municipal",
     "La ville met à disposition un entrepôt pour une ressourcerie qui emploie 18 salariés en insertion et "
     "détourne 400 tonnes de déchets par an.", ["réemploi", "déchets", "insertion"]),
    ("soutien_structures", "ept", "Établissement public territorial Plaine Commune", "93", 2022,
     "Un incubateur pour les entreprises de l'ESS du territoire",
     "L'EPT finance un incubateur qui accompagne chaque année quinze projets, de l'idée au premier emploi.",
     ["incubateur", "accompagnement", "création d'activité"]),
    ("soutien_structures", "departement", "Département du Val-de-Marne", "94", 2024,
     "Un dispositif local d'accompagnement renforcé pour les associations employeuses",
     "Le Département complète le DLA pour aider les associations à consolider leur modèle économique.",
     ["accompagnement", "modèle économique", "associations"]),
    ("soutien_structures", "commune", "Ville de Nanterre", "92", 2021,
     "Une épicerie solidaire soutenue par le centre communal d'action sociale",
     "Le CCAS et une association gèrent une épicerie où les familles paient 20 % du prix des produits.",
     ["aide alimentaire", "précarité", "alimentation"]),
    ("soutien_structures", "metropole", "Métropole du Grand Paris", None, 2023,
     "Un réseau de garages solidaires pour la mobilité",
     "La Métropole soutient des garages associatifs qui réparent à prix réduit les véhicules des personnes en "
     "insertion.", ["mobilité", "insertion", "réparation"]),
    ("soutien_structures", "epci", "Communauté de communes du Pays de Limours", "91", 2022,
     "Un chantier d'insertion pour l'entretien des espaces naturels",
     "L'intercommunalité confie l'entretien de ses sentiers à un chantier d'insertion qui forme aux métiers verts.",
     ["insertion", "espaces naturels", "emploi"]),
    ("soutien_structures", "region", "Région Île-de-France", None, 2024,
     "Un programme régional pour les structures d'insertion par l'activité économique",
     "La Région cofinance les postes d'encadrement technique des SIAE et leur investissement en matériel.",
     ["insertion par l'activité économique", "emploi", "investissement"]),
    ("foncier_tiers_lieux", "commune", "Ville de Saint-Ouen-sur-Seine", "93", 2023,
     "Un tiers-lieu dans l'ancienne école des filles",
     "La ville a confié à une coopérative la gestion d'un tiers-lieu : ateliers d'artisans, café associatif, "
     "permanences d'accès aux droits.", ["tiers-lieu", "bâtiment public", "coopérative"]),
    ("foncier_tiers_lieux", "ept", "Établissement public territorial Grand-Orly Seine Bièvre", "94", 2024,
     "Une charte d'occupation temporaire des friches pour l'ESS",
     "L'EPT ouvre ses friches en attente de travaux à des projets solidaires, avec un cadre juridique commun.",
     ["urbanisme transitoire", "friches", "foncier"]),
    ("foncier_tiers_lieux", "departement", "Département de l'Essonne", "91", 2022,
     "Des locaux départementaux à loyer modéré pour les associations",
     "Le Département loue d'anciens bureaux aux associations à un loyer calculé sur leurs moyens.",
     ["locaux", "loyer", "associations"]),
    ("foncier_tiers_lieux", "commune", "Ville de Pantin", "93", 2021,
     "Une cuisine partagée pour les traiteurs solidaires",
     "Une cuisine professionnelle municipale est louée à l'heure aux traiteurs d'insertion et aux associations.",
     ["cuisine partagée", "alimentation", "mutualisation"]),
    ("foncier_tiers_lieux", "metropole", "Métropole du Grand Paris", None, 2024,
     "Un inventaire des lieux vacants ouverts aux projets solidaires",
     "La Métropole publie avec les communes une carte des bâtiments vacants et met en relation porteurs et "
     "propriétaires.", ["locaux vacants", "foncier", "cartographie"]),
    ("foncier_tiers_lieux", "epci", "Communauté d'agglomération Roissy Pays de France", "95", 2023,
     "Une ferme urbaine en insertion sur des terres intercommunales",
     "L'agglomération a mis à disposition quatre hectares pour une ferme maraîchère qui emploie des personnes en "
     "insertion.", ["agriculture urbaine", "insertion", "circuits courts"]),
    ("foncier_tiers_lieux", "commune", "Ville de Paris", "75", 2024,
     "Des rez-de-chaussée d'immeubles sociaux pour les commerces solidaires",
     "Avec les bailleurs sociaux, la ville réserve des locaux commerciaux à des structures de l'ESS.",
     ["commerce", "bailleurs sociaux", "locaux"]),
    ("rd_sociale_cooperation", "commune", "Ville d'Ivry-sur-Seine", "94", 2022,
     "Une société coopérative d'intérêt collectif pour l'énergie citoyenne",
     "La ville est sociétaire d'une SCIC qui pose des panneaux solaires sur les toits publics avec les habitants.",
     ["énergie", "SCIC", "citoyens"]),
    ("rd_sociale_cooperation", "ept", "Établissement public territorial Est Ensemble", "93", 2024,
     "Un pôle territorial de coopération économique autour du réemploi",
     "Ressourceries, entreprises du bâtiment et collectivités mutualisent logistique et débouchés du réemploi.",
     ["PTCE", "réemploi", "coopération"]),
    ("rd_sociale_cooperation", "departement", "Département des Hauts-de-Seine", "92", 2023,
     "Une coopérative d'activité et d'emploi pour les services à la personne",
     "Le Département soutient une CAE qui offre un statut salarié aux aides à domicile indépendantes.",
     ["CAE", "services à la personne", "emploi"]),
    ("rd_sociale_cooperation", "commune", "Ville de Grigny", "91", 2024,
     "Territoire zéro chômeur de longue durée",
     "Une entreprise à but d'emploi embauche en CDI les chômeurs de longue durée pour des activités utiles au "
     "quartier.", ["emploi", "chômage de longue durée", "expérimentation"]),
    ("rd_sociale_cooperation", "region", "Région Île-de-France", None, 2022,
     "Un laboratoire régional d'innovation sociale",
     "La Région réunit chercheurs, associations et collectivités pour tester des réponses aux besoins sociaux.",
     ["innovation sociale", "recherche", "expérimentation"]),
    ("rd_sociale_cooperation", "epci", "Communauté urbaine Grand Paris Seine et Oise", "78", 2023,
     "Une coopérative jeunesse de services pour les 16-18 ans",
     "L'été, des jeunes créent et gèrent leur coopérative de services, accompagnés par des animateurs.",
     ["jeunes", "coopérative", "éducation"]),
    ("rd_sociale_cooperation", "metropole", "Métropole du Grand Paris", None, 2024,
     "Un groupement d'employeurs pour les petites associations sportives",
     "Des clubs partagent des éducateurs sportifs salariés à temps plein grâce à un groupement d'employeurs.",
     ["groupement d'employeurs", "sport", "emploi"]),
    ("achats_responsables", "commune", "Ville de Paris", "75", 2023,
     "Un schéma de promotion des achats socialement et écologiquement responsables",
     "Le SPASER fixe 25 % de marchés avec clauses sociales et des lots réservés aux structures d'insertion.",
     ["SPASER", "commande publique", "clauses sociales"]),
    ("achats_responsables", "departement", "Département de la Seine-Saint-Denis", "93", 2022,
     "Des clauses d'insertion dans les marchés de travaux des collèges",
     "Chaque chantier de collège réserve des heures de travail à des personnes éloignées de l'emploi.",
     ["clauses sociales", "bâtiment", "insertion"]),
    ("achats_responsables", "ept", "Établissement public territorial Paris Terres d'Envol", "93", 2024,
     "Des marchés réservés aux entreprises adaptées pour l'entretien des locaux",
     "L'EPT réserve ses marchés de nettoyage aux entreprises adaptées employant des travailleurs handicapés.",
     ["marchés réservés", "handicap", "entretien"]),
    ("achats_responsables", "commune", "Ville de Montreuil", "93", 2024,
     "Une restauration scolaire bio et locale avec une légumerie d'insertion",
     "Les cantines s'approvisionnent auprès d'une légumerie d'insertion qui prépare les produits des fermes "
     "voisines.", ["restauration collective", "circuits courts", "insertion"]),
    ("achats_responsables", "region", "Région Île-de-France", None, 2023,
     "Un guide régional des achats auprès de l'ESS",
     "Un annuaire des fournisseurs de l'ESS et des clauses types aide les acheteurs publics à les consulter.",
     ["commande publique", "fournisseurs", "outils"]),
    ("achats_responsables", "epci", "Communauté d'agglomération Cergy-Pontoise", "95", 2021,
     "Un facilitateur des clauses sociales partagé entre communes",
     "L'agglomération emploie un facilitateur qui rédige les clauses et suit les heures d'insertion des marchés.",
     ["clauses sociales", "mutualisation", "emploi"]),
    ("animation_sensibilisation", "commune", "Ville de Bagnolet", "93", 2023,
     "Le mois de l'économie sociale et solidaire dans les quartiers",
     "Chaque novembre, visites d'entreprises, forums et ciné-débats font découvrir l'ESS aux habitants.",
     ["mois de l'ESS", "grand public", "événement"]),
    ("animation_sensibilisation", "departement", "Département du Val-d'Oise", "95", 2024,
     "L'ESS expliquée aux collégiens par ses entrepreneurs",
     "Des entrepreneurs de l'ESS animent des ateliers en classe et accueillent des stagiaires de troisième.",
     ["éducation", "jeunes", "stages"]),
    ("animation_sensibilisation", "ept", "Établissement public territorial Vallée Sud-Grand Paris", "92", 2022,
     "Un trophée de l'ESS pour les projets d'habitants",
     "L'EPT récompense chaque année des initiatives solidaires et les met en relation avec des financeurs.",
     ["trophées", "valorisation", "habitants"]),
    ("animation_sensibilisation", "metropole", "Métropole du Grand Paris", None, 2023,
     "Une formation à l'ESS pour les élus et agents des communes",
     "Des sessions courtes présentent les leviers d'une politique locale de l'ESS aux nouveaux élus.",
     ["formation", "élus", "agents"]),
    ("animation_sensibilisation", "epci", "Communauté de communes Val d'Essonne", "91", 2024,
     "Un guichet unique de l'ESS pour les porteurs de projets",
     "Un point d'accueil oriente les porteurs de projets vers les bons interlocuteurs et financements.",
     ["orientation", "accompagnement", "création d'activité"]),
    ("animation_sensibilisation", "region", "Région Île-de-France", None, 2024,
     "Une campagne régionale pour consommer solidaire",
     "Affiches, carte en ligne et marchés de Noël solidaires valorisent les commerces et services de l'ESS.",
     ["consommation", "communication", "commerce équitable"]),
]


def load_practices() -> int:
    """Create the demo practices (published, with the default thesaurus); idempotent."""
    load_default_thesaurus()
    if db.session.scalar(sa.select(sa.func.count()).select_from(Practice)):
        return 0
    for number, (lever, kind, territory, department, year, title, summary, themes) in enumerate(PRACTICES, 1):
        practice = Practice(
            ref=f"DEMO{number:03d}", title=title, summary=summary, lever=lever, themes=themes, year=year,
            territory_name=territory, territory_kind=kind, department_code=department,
            description=f"{summary}\n\n**Contexte.** {territory} a engagé cette action en {year} avec les acteurs "
                        "de l'ESS du territoire.\n\n**Résultats.** Les partenaires suivent chaque année des "
                        "indicateurs d'activité et d'emploi.",
            status=PracticeStatus.PUBLISHED.value, provenance=Provenance.CLUB.value,
            contact_role="Chargée de mission économie sociale et solidaire",
            published_at=datetime(year, 6, 1, tzinfo=timezone.utc),
        )
        db.session.add(practice)
        db.session.flush()
        index_practice(practice)
    return len(PRACTICES)
