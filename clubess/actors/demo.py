"""Demo ESS actors: 15 organisations (five real partner networks with invented details, ten made-up structures)
and 20 solutions across the six levers, in everyday words. Every row is flagged `demo` (fictitious example).

Another engineer writes an evaluation set against these solutions: change their texts only with care.
"""

import sqlalchemy as sa

from clubess.actors.models import Organisation, OrganisationStatus, Solution
from clubess.actors.solutions import index_solution
from clubess.core.db import now_utc
from clubess.core.duplicates import normalise
from clubess.extensions import db
from clubess.members.models import Territory
from clubess.practices.models import PracticeStatus

# (key, name, kind, territory codes (région or départements), website, description, contact name)
ORGANISATIONS = [
    (
        "cress",
        "CRESS Île-de-France",
        "reseau",
        ["11"],
        "https://www.cressidf.org",
        "La chambre régionale de l’économie sociale et solidaire : elle représente les structures de l’ESS de la "
        "région, observe leur poids dans l’emploi et accompagne les collectivités.",
        "Pôle collectivités",
    ),
    (
        "rtes",
        "RTES — Réseau des collectivités territoriales pour une économie solidaire",
        "reseau",
        ["11"],
        "https://www.rtes.fr",
        "Le réseau national des collectivités engagées pour l’ESS : échanges entre élus, fiches repères, formations.",
        "Chargée de mission réseau",
    ),
    (
        "amif",
        "AMIF — Association des maires d’Île-de-France",
        "reseau",
        ["11"],
        "https://www.amif.asso.fr",
        "L’association des maires de la région : commissions thématiques, rencontres d’élus, formations.",
        "Commission développement économique",
    ),
    (
        "france_urbaine",
        "France urbaine",
        "reseau",
        ["11"],
        "https://franceurbaine.org",
        "L’association des grandes villes, métropoles et agglomérations : groupes de travail entre techniciens.",
        "Conseillère ESS",
    ),
    (
        "avise",
        "Avise",
        "reseau",
        ["11"],
        "https://www.avise.org",
        "L’agence d’ingénierie pour développer l’ESS : guides, programmes d’accompagnement, ressources en ligne.",
        "Équipe programmes",
    ),
    (
        "ressourcerie",
        "La Ressourcerie des Deux Rives",
        "association",
        ["93", "94"],
        "",
        "Collecte, répare et revend à petit prix les objets dont les habitants ne veulent plus.",
        "Samira Haddad",
    ),
    (
        "batisseurs",
        "Coop des Bâtisseurs Solidaires",
        "scop",
        ["92", "95"],
        "",
        "Coopérative de travaux : rénovation de bâtiments publics avec des chantiers écoles.",
        "Julien Ferreira",
    ),
    (
        "cantine",
        "SCIC Cantine Commune",
        "scic",
        ["77", "91"],
        "",
        "Coopérative qui réunit maraîchers, cuisiniers et communes autour des repas des écoles.",
        "Claire Nguyen",
    ),
    (
        "insertion",
        "Chantiers du Val",
        "siae",
        ["94"],
        "",
        "Chantier d’insertion : entretien d’espaces verts et petits travaux pour des personnes loin de l’emploi.",
        "Mehdi Ouali",
    ),
    (
        "atelier_adapte",
        "Atelier Horizon",
        "entreprise_adaptee",
        ["78"],
        "",
        "Entreprise adaptée : plus de la moitié des salariés vivent avec un handicap ; imprimerie, numérisation, "
        "logistique.",
        "Nathalie Bertin",
    ),
    (
        "fondation",
        "Fondation Terres d’Avenir",
        "fondation",
        ["11"],
        "",
        "Fondation qui finance des projets de jeunes et de quartiers populaires.",
        "Hugo Lambert",
    ),
    (
        "mutuelle",
        "Mutuelle Entraide Francilienne",
        "mutuelle",
        ["75", "93"],
        "",
        "Mutuelle de santé qui mène des actions de prévention avec les communes.",
        "Sophie Arnaud",
    ),
    (
        "tiers_lieu",
        "Association La Fabrique du Quartier",
        "association",
        ["93"],
        "",
        "Anime un tiers-lieu dans une ancienne usine : ateliers partagés, café associatif, bureaux pour "
        "des petites associations.",
        "Yanis Boulanger",
    ),
    (
        "finance",
        "Fonds Solidaire Francilien",
        "association",
        ["11"],
        "",
        "Réseau de financement solidaire : garanties de prêts et prêts d’honneur pour les entreprises de l’ESS.",
        "Équipe financement",
    ),
    (
        "mobilite",
        "Roue Libre Solidaire",
        "association",
        ["91", "77"],
        "",
        "Loue des voitures et des scooters à petit prix aux personnes qui en ont besoin pour aller travailler.",
        "Thomas Girard",
    ),
]

# (organisation key, lever, title, summary, themes)
SOLUTIONS = [
    (
        "finance",
        "ecosysteme_financement",
        "Un fonds de garantie pour les petites structures de l’ESS",
        "La banque dit non parce que l’association n’a pas d’apport : notre garantie couvre une partie du prêt, et "
        "la collectivité abonde le fonds pour ses associations.",
        ["financement", "garantie", "prêt"],
    ),
    (
        "fondation",
        "ecosysteme_financement",
        "Des bourses pour les projets de jeunes des quartiers",
        "Des jeunes ont une idée mais pas un sou pour démarrer : une petite bourse, un parrain et un jury local "
        "avec la mairie.",
        ["jeunes", "quartiers", "bourse"],
    ),
    (
        "cress",
        "ecosysteme_financement",
        "Un guichet unique pour orienter les porteurs de projets",
        "Les porteurs de projets ne savent pas à qui s’adresser : une permanence commune des réseaux "
        "d’accompagnement dans les locaux de la collectivité.",
        ["accompagnement", "création", "orientation"],
    ),
    (
        "ressourcerie",
        "soutien_structures",
        "Installer une ressourcerie dans une commune",
        "Les encombrants finissent à la décharge alors qu’ils pourraient servir : nous montons avec la commune un "
        "lieu de collecte, de réparation et de revente.",
        ["réemploi", "déchets", "économie circulaire"],
    ),
    (
        "insertion",
        "soutien_structures",
        "Un chantier d’insertion pour l’entretien des espaces verts",
        "Des habitants au chômage depuis longtemps reprennent pied en entretenant les parcs et les bords de route, "
        "encadrés et formés.",
        ["insertion", "emploi", "espaces verts"],
    ),
    (
        "mobilite",
        "soutien_structures",
        "Des voitures à petit prix pour aller au travail",
        "Pas de permis ou pas de voiture, donc pas de boulot : location solidaire, auto-école sociale et conseil "
        "en mobilité pour les demandeurs d’emploi.",
        ["mobilité", "emploi", "permis de conduire"],
    ),
    (
        "avise",
        "soutien_structures",
        "Accompagner les associations qui changent d’échelle",
        "Une association marche bien dans un quartier et voudrait essaimer : un programme d’accompagnement de "
        "dix-huit mois pour l’aider à grandir.",
        ["accompagnement", "essaimage", "associations"],
    ),
    (
        "tiers_lieu",
        "foncier_tiers_lieux",
        "Transformer un bâtiment vide en tiers-lieu",
        "Un bâtiment communal est vide depuis des années : nous l’ouvrons en lieu partagé, avec des ateliers, un "
        "café et des bureaux à petit loyer.",
        ["tiers-lieu", "locaux", "friche"],
    ),
    (
        "batisseurs",
        "foncier_tiers_lieux",
        "Rénover des locaux municipaux avec un chantier école",
        "Des locaux trop abîmés pour être prêtés aux associations : notre coopérative les rénove en formant des "
        "jeunes aux métiers du bâtiment.",
        ["bâtiment", "rénovation", "formation"],
    ),
    (
        "ressourcerie",
        "foncier_tiers_lieux",
        "Occuper une boutique vide du centre-ville",
        "Des rideaux baissés dans la rue commerçante : une boutique éphémère de seconde main et de créateurs "
        "locaux, le temps que le local trouve preneur.",
        ["commerce", "centre-ville", "occupation temporaire"],
    ),
    (
        "rtes",
        "rd_sociale_cooperation",
        "Monter un pôle territorial de coopération économique",
        "Entreprises, associations et collectivité travaillent chacune de leur côté : une méthode pas à pas pour "
        "bâtir un PTCE autour d’un projet commun.",
        ["PTCE", "coopération", "territoire"],
    ),
    (
        "france_urbaine",
        "rd_sociale_cooperation",
        "Un groupe de travail entre techniciens des grandes villes",
        "Les agents chargés de l’ESS se sentent seuls sur leurs dossiers : des rencontres régulières pour comparer "
        "les méthodes et partager les documents.",
        ["agents", "échanges", "méthodes"],
    ),
    (
        "mutuelle",
        "rd_sociale_cooperation",
        "Prévenir l’isolement des personnes âgées avec les voisins",
        "Des aînés ne voient plus personne : un réseau de voisins bénévoles et des visites organisées avec le CCAS.",
        ["personnes âgées", "isolement", "santé"],
    ),
    (
        "cantine",
        "achats_responsables",
        "Des produits locaux et bio dans les cantines scolaires",
        "La cuisine centrale achète loin et cher : des maraîchers du coin regroupés en coopérative livrent les "
        "écoles et s’engagent sur les volumes.",
        ["alimentation", "circuits courts", "restauration scolaire"],
    ),
    (
        "atelier_adapte",
        "achats_responsables",
        "Confier l’impression et la numérisation à une entreprise adaptée",
        "Vos marchés d’impression peuvent donner du travail à des personnes handicapées : nous répondons aux lots "
        "réservés et vous aidons à les rédiger.",
        ["handicap", "marchés réservés", "impression"],
    ),
    (
        "insertion",
        "achats_responsables",
        "Des heures d’insertion dans vos marchés de travaux",
        "Les entreprises ne savent pas remplir la clause sociale : nous leur fournissons des salariés en "
        "insertion et suivons les heures réalisées.",
        ["clause sociale", "insertion", "marchés publics"],
    ),
    (
        "amif",
        "animation_sensibilisation",
        "Former les nouveaux élus à l’économie sociale et solidaire",
        "Les élus arrivent sans connaître l’ESS : une demi-journée de formation avec des exemples concrets de "
        "communes voisines.",
        ["élus", "formation", "ESS"],
    ),
    (
        "cress",
        "animation_sensibilisation",
        "Organiser le Mois de l’ESS dans sa commune",
        "Novembre est le Mois de l’ESS : nous aidons la commune à monter des visites, un forum et des portes "
        "ouvertes avec les structures du coin.",
        ["événement", "Mois de l’ESS", "grand public"],
    ),
    (
        "fondation",
        "animation_sensibilisation",
        "Faire découvrir les métiers de l’ESS aux collégiens",
        "Les jeunes ne savent pas que ces métiers existent : des interventions en classe et des stages dans des "
        "associations et coopératives.",
        ["jeunes", "collège", "orientation"],
    ),
    (
        "tiers_lieu",
        "animation_sensibilisation",
        "Un café réparation pour apprendre à réparer soi-même",
        "Les habitants jettent ce qui tombe en panne : un samedi par mois, des bénévoles aident à réparer vélos, "
        "petits appareils et vêtements.",
        ["réparation", "réemploi", "bénévolat"],
    ),
]


def load_actors() -> int:
    """Create the demo organisations (listed) and their solutions (published, indexed); idempotent."""
    if db.session.scalar(sa.select(sa.func.count()).select_from(Organisation)):
        return 0
    territories = {
        t.code: t for t in db.session.scalars(sa.select(Territory).where(Territory.kind.in_(("region", "departement"))))
    }
    organisations = {}
    for key, name, kind, codes, website, description, contact in ORGANISATIONS:
        organisation = Organisation(
            name=name,
            search_name=normalise(name),
            kind=kind,
            website=website,
            description=description,
            contact_name=contact,
            contact_email=f"contact@{key.replace('_', '-')}.example.org",
            status=OrganisationStatus.ACTIVE.value,
            territories=[territories[c] for c in codes if c in territories],
            demo=True,
        )
        db.session.add(organisation)
        organisations[key] = organisation
    db.session.flush()
    for number, (key, lever, title, summary, themes) in enumerate(SOLUTIONS, 1):
        organisation = organisations[key]
        solution = Solution(
            ref=f"DEMOSOL{number:03d}",
            organisation=organisation,
            title=title,
            summary=summary,
            description=f"{summary}\n\n**Qui le propose.** {organisation.name}.",
            lever=lever,
            themes=themes,
            territories=list(organisation.territories),
            status=PracticeStatus.PUBLISHED.value,
            published_at=now_utc(),
            demo=True,
        )
        db.session.add(solution)
        db.session.flush()
        index_solution(solution)
    return len(SOLUTIONS)
