"""What the audit log calls each action, each kind of object, and the details it keeps."""

from flask_babel import lazy_gettext as _l

from clubess.core.audit import SYSTEM, VISITOR
from clubess.core.labels import label, register_labels

#: every action a service records (a test checks each `record(…, "x.y", …)` of the code has its label)
ACTION_LABELS = {
    "user.created": _l("Compte créé"),
    "user.enabled": _l("Compte réactivé"),
    "user.disabled": _l("Compte désactivé"),
    "user.role_changed": _l("Rôle changé"),
    "user.email_verified": _l("Adresse confirmée"),
    "user.password_changed": _l("Mot de passe changé"),
    "user.password_reset": _l("Mot de passe réinitialisé"),
    "user.erased": _l("Données personnelles effacées"),
    "user.anonymised_after_retention": _l("Personne anonymisée (durée de conservation écoulée)"),
    "calendar.token_changed": _l("Lien d’agenda personnel changé"),
    "outbox.retried": _l("Courriel remis en file d’envoi"),
    "mailing.unsubscribed": _l("Désabonnement"),
    "mailing.resubscribed": _l("Retour sur une liste de diffusion"),
    "collectivity.applied": _l("Demande d’adhésion"),
    "collectivity.confirmed": _l("Demande d’adhésion confirmée par le référent"),
    "collectivity.addition_requested": _l("Demande d’ajout à une collectivité"),
    "collectivity.approved": _l("Adhésion approuvée"),
    "collectivity.rejected": _l("Adhésion refusée"),
    "collectivity.left": _l("Collectivité retirée du club"),
    "collectivity.expired": _l("Demande d’adhésion expirée (non confirmée)"),
    "collectivity.referent_changed": _l("Rôle de référent transmis"),
    "member.added": _l("Personne ajoutée"),
    "member.updated": _l("Personne modifiée"),
    "member.mandate_ended": _l("Fin de mandat"),
    "member.profile_updated": _l("Profil modifié"),
    "series.created": _l("Série créée"),
    "series.template_changed": _l("Ordre du jour type changé"),
    "meeting.created": _l("Rencontre créée"),
    "meeting.updated": _l("Rencontre modifiée"),
    "meeting.duplicated": _l("Rencontre dupliquée"),
    "meeting.status_changed": _l("Statut de la rencontre changé"),
    "agenda.saved": _l("Point de l’ordre du jour enregistré"),
    "agenda.moved": _l("Point de l’ordre du jour déplacé"),
    "agenda.deleted": _l("Point de l’ordre du jour retiré"),
    "speaker.saved": _l("Intervenant enregistré"),
    "invitations.sent": _l("Invitations envoyées"),
    "invitations.reminded": _l("Relances envoyées"),
    "invitation.declined": _l("Invitation déclinée"),
    "registration.created": _l("Inscription"),
    "registration.from_invitation": _l("Inscription depuis une invitation"),
    "registration.guest_confirmed": _l("Inscription publique confirmée"),
    "registration.offer_accepted": _l("Place proposée acceptée"),
    "registration.offer_declined": _l("Place proposée refusée"),
    "registration.offer_expired": _l("Place proposée expirée"),
    "registration.promoted": _l("Place proposée depuis la liste d’attente"),
    "registration.attendance": _l("Présence enregistrée"),
    "registration.cancelled": _l("Inscription annulée"),
    "practice.created": _l("Pratique créée"),
    "practice.updated": _l("Pratique modifiée"),
    "practice.changes_requested": _l("Modifications demandées"),
    "practice.published": _l("Pratique publiée"),
    "practice.archived": _l("Pratique archivée"),
    "practice.imported": _l("Pratiques importées"),
    "thesaurus.saved": _l("Synonymes enregistrés"),
    "thesaurus.deleted": _l("Synonymes supprimés"),
    "problem.stated": _l("Problématique exprimée"),
    "problem.feedback": _l("Avis sur une pratique proposée"),
    "problem.followed": _l("Problématique suivie"),
    "problem.unfollowed": _l("Problématique plus suivie"),
    "problem.proposed": _l("Problématiques proposées à une rencontre"),
    "commitment.created": _l("Engagement enregistré"),
    "commitment.status_changed": _l("Statut d’un engagement changé"),
    "commitment.noted": _l("Note ajoutée à un engagement"),
    "commitment.updated": _l("Engagement modifié"),
    "commitment.follow_up_generated": _l("Point « Suivi des engagements » préparé"),
    "press.communique_created": _l("Communiqué créé"),
    "press.communique_updated": _l("Communiqué modifié"),
    "press.communique_deleted": _l("Brouillon de communiqué supprimé"),
    "press.communique_sent": _l("Communiqué envoyé"),
    "press.attachment_added": _l("Pièce jointe ajoutée"),
    "press.attachment_removed": _l("Pièce jointe retirée"),
    "press.contact_created": _l("Contact presse créé"),
    "press.contact_updated": _l("Contact presse modifié"),
    "press.contact_deleted": _l("Contact presse effacé"),
    "press.contact_status": _l("Statut d’un contact presse changé"),
    "press.contact_bounced": _l("Adresse presse refusée par le serveur"),
    "press.contacts_imported": _l("Contacts presse importés"),
    "press.subscription_requested": _l("Abonnement presse demandé"),
    "press.subscription_confirmed": _l("Abonnement presse confirmé"),
}

#: what an event acted on (AuditEvent.target_type, the model's class name)
TARGET_LABELS = {
    "User": _l("Compte"),
    "Collectivity": _l("Collectivité"),
    "Member": _l("Personne"),
    "Meeting": _l("Rencontre"),
    "MeetingSeries": _l("Série"),
    "AgendaItem": _l("Point d’ordre du jour"),
    "Speaker": _l("Intervenant"),
    "Registration": _l("Inscription"),
    "Invitation": _l("Invitation"),
    "Practice": _l("Pratique"),
    "ThesaurusEntry": _l("Groupe de synonymes"),
    "Problem": _l("Problématique"),
    "Communique": _l("Communiqué"),
    "PressContact": _l("Contact presse"),
    "OutboxMessage": _l("Courriel"),
    "Commitment": _l("Engagement"),
}

#: the names of the details events keep
DETAIL_LABELS = {
    "before": _l("avant"),
    "after": _l("après"),
    "previous": _l("avant"),
    "status": _l("statut"),
    "count": _l("nombre"),
    "notified": _l("personnes prévenues"),
    "audience": _l("public"),
    "recipients": _l("destinataires"),
    "segment": _l("public"),
    "email": _l("adresse"),
    "recipient": _l("destinataire"),
    "reason": _l("raison"),
    "meeting": _l("rencontre n°"),
    "source": _l("copie de la rencontre n°"),
    "material": _l("changement d’heure, de lieu ou de lien"),
    "sequence": _l("version du calendrier"),
    "occurrences": _l("rencontres"),
    "rewritten": _l("rencontres mises à jour"),
    "item": _l("point"),
    "direction": _l("sens"),
    "by_coordination": _l("par la coordination"),
    "attendance": _l("présence"),
    "ref": _l("référence"),
    "expressions": _l("expressions"),
    "created": _l("créées"),
    "updated": _l("mises à jour"),
    "rejected": _l("refusées"),
    "merged": _l("fusionnés"),
    "accounts": _l("comptes"),
    "people": _l("personnes"),
    "territory": _l("territoire"),
    "collectivity": _l("collectivité n°"),
    "fields": _l("champs"),
    "end_on": _l("fin le"),
    "revoked": _l("désactivé"),
    "role": _l("rôle"),
    "via": _l("par"),
    "scope": _l("liste"),
    "changed": _l("modifiés"),
    "filename": _l("fichier"),
    "size": _l("taille (octets)"),
    "title": _l("titre"),
    "communique_id": _l("communiqué n°"),
    "contact_id": _l("contact n°"),
    "outlet": _l("média"),
    "practice": _l("pratique"),
    "verdict": _l("avis"),
    "lever": _l("levier"),
    "theme": _l("thème"),
    "problems": _l("problématiques"),
    "on_behalf_of": _l("en représentation de la personne n°"),
    "quarter": _l("trimestre visé"),
}

#: details whose value is a code of a vocabulary, per action (the value is shown as its label)
DETAIL_VOCABULARIES = {
    ("meeting.status_changed", "before"): "meeting_status",
    ("meeting.status_changed", "after"): "meeting_status",
    ("user.role_changed", "before"): "role",
    ("user.role_changed", "after"): "role",
    ("user.created", "role"): "role",
    ("press.contact_status", "previous"): "contact_status",
    ("press.contact_status", "status"): "contact_status",
    ("registration.attendance", "attendance"): "attendance",
    ("registration.from_invitation", "status"): "registration_status",
    ("registration.guest_confirmed", "status"): "registration_status",
    ("registration.promoted", "status"): "registration_status",
    ("registration.created", "status"): "registration_status",
    ("practice.created", "status"): "practice_status",
    ("problem.feedback", "verdict"): "verdict",
    ("problem.proposed", "lever"): "lever",
    ("commitment.status_changed", "before"): "commitment_status",
    ("commitment.status_changed", "after"): "commitment_status",
    ("commitment.noted", "status"): "commitment_status",
}

ACTOR_LABELS = {SYSTEM: _l("Système (tâche automatique)"), VISITOR: _l("Visiteur sans compte")}
YES_NO = {True: _l("oui"), False: _l("non")}

register_labels(audit_action=ACTION_LABELS, audit_target=TARGET_LABELS, audit_actor=ACTOR_LABELS)


def describe_details(action: str, details: dict) -> list[tuple[str, str]]:
    """(name, value) of an event's details, in words: codes become their labels, booleans oui/non."""
    shown = []
    for key, value in details.items():
        vocabulary = DETAIL_VOCABULARIES.get((action, key))
        if vocabulary:
            value = label(value, vocabulary)
        elif isinstance(value, bool):
            value = str(YES_NO[value])
        elif key == "direction":
            value = str(_l("vers le haut")) if value == -1 else str(_l("vers le bas"))
        shown.append((str(DETAIL_LABELS.get(key, key)), str(value)))
    return shown
