"""Forms for meetings, series, agenda items and speakers."""

import re
import unicodedata
from datetime import date, time

from flask import current_app
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from wtforms import RadioField, SelectField, StringField, TextAreaField, TimeField, URLField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, Length, NumberRange, Optional, ValidationError

from clubess.core.forms import BaseForm, DateField, IntegerField
from clubess.core.inputs import coerce_int
from clubess.core.labels import register_labels
from clubess.meetings.models import Audience, ItemKind, MeetingFormat, MeetingKind, MeetingStatus, SpeakerKind
from clubess.members.forms import MultiCheckboxField, plain_text

KIND_LABELS = {
    MeetingKind.RENCONTRE.value: _l("Rencontre"),
    MeetingKind.ATELIER_THEMATIQUE.value: _l("Atelier thématique"),
    MeetingKind.ATELIER_TERRITORIAL.value: _l("Atelier territorial"),
    MeetingKind.WEBINAIRE.value: _l("Webinaire"),
    MeetingKind.EVENEMENT.value: _l("Événement"),
}
FORMAT_LABELS = {
    MeetingFormat.IN_PERSON.value: _l("En présentiel"),
    MeetingFormat.ONLINE.value: _l("En ligne"),
    MeetingFormat.HYBRID.value: _l("Hybride"),
}
STATUS_LABELS = {
    MeetingStatus.DRAFT.value: _l("Brouillon"),
    MeetingStatus.PUBLISHED.value: _l("Publiée"),
    MeetingStatus.HELD.value: _l("Tenue"),
    MeetingStatus.CANCELLED.value: _l("Annulée"),
}
AUDIENCE_LABELS = {
    Audience.MEMBERS.value: _l("Membres du club"),
    Audience.PUBLIC.value: _l("Ouvert au public"),
}
ITEM_KIND_LABELS = {
    ItemKind.ACCUEIL.value: _l("Accueil"),
    ItemKind.INTERVENTION.value: _l("Intervention"),
    ItemKind.RETOUR_EXPERIENCE.value: _l("Retour d’expérience"),
    ItemKind.ECHANGE.value: _l("Échange de bonnes pratiques"),
    ItemKind.TABLE_RONDE.value: _l("Table ronde"),
    ItemKind.SIGNATURE.value: _l("Signature"),
    ItemKind.PAUSE.value: _l("Pause"),
    ItemKind.SUIVI_ENGAGEMENTS.value: _l("Suivi des engagements"),
}
SPEAKER_KIND_LABELS = {
    SpeakerKind.ELU.value: _l("Élu"),
    SpeakerKind.EXPERT.value: _l("Expert"),
    SpeakerKind.STRUCTURE_ESS.value: _l("Structure de l’ESS"),
    SpeakerKind.PARTENAIRE.value: _l("Partenaire"),
}


def _fold(text: str) -> str:
    """A kind as typed, for comparing: lower case, no accents, one apostrophe, `_` and `-` as spaces."""
    text = unicodedata.normalize("NFKD", text.casefold().replace("’", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(re.sub(r"[_\-]", " ", text).split())


def item_kind_names() -> dict[str, str]:
    """Every way to write an agenda item's kind, folded, to its code: the code, and its label in each locale."""
    names = {}
    for code, label in ITEM_KIND_LABELS.items():
        names[_fold(code)] = code
        for locale in current_app.config["LOCALES"]:
            with force_locale(locale):
                names[_fold(str(label))] = code
    return names


#: the accepted kinds as shown to coordinators, in the page's language
ITEM_KINDS_TEXT = LazyString(lambda: ", ".join(str(label) for label in ITEM_KIND_LABELS.values()))
TEMPLATE_HINT = _l(
    "Un point par ligne : début-fin | titre | type, par exemple « 09:30-10:00 | Accueil café | Accueil ». "
    "Types : %(kinds)s ; sans type, « %(default)s ».",
    kinds=ITEM_KINDS_TEXT,
    default=ITEM_KIND_LABELS[ItemKind.INTERVENTION.value],
)

#: every label a meetings template needs, passed as `**LABELS`
LABELS = {
    "kind_labels": KIND_LABELS,
    "format_labels": FORMAT_LABELS,
    "status_labels": STATUS_LABELS,
    "item_kind_labels": ITEM_KIND_LABELS,
    "speaker_kind_labels": SPEAKER_KIND_LABELS,
    "audience_labels": AUDIENCE_LABELS,
}
register_labels(
    meeting_kind=KIND_LABELS,
    meeting_format=FORMAT_LABELS,
    meeting_status=STATUS_LABELS,
    meeting_audience=AUDIENCE_LABELS,
    agenda_item_kind=ITEM_KIND_LABELS,
    speaker_kind=SPEAKER_KIND_LABELS,
)
WEEKDAYS = [_l("lundi"), _l("mardi"), _l("mercredi"), _l("jeudi"), _l("vendredi"), _l("samedi"), _l("dimanche")]


def _choices(labels: dict) -> list:
    return [SelectChoice(k, v) for k, v in labels.items()]


class _Place:
    format = RadioField(_l("Format"), choices=_choices(FORMAT_LABELS), default=MeetingFormat.IN_PERSON.value)
    venue = StringField(
        _l("Lieu"),
        validators=[Length(max=200), plain_text],
        description=_l("Par exemple : Maison de l’ESS, salle des fêtes."),
    )
    address = StringField(_l("Adresse"), validators=[Length(max=300), plain_text])
    online_url = URLField(
        _l("Lien de connexion"),
        validators=[
            Optional(),
            URL(message=_l("Saisissez une adresse web complète, commençant par https://.")),
            Length(max=500),
        ],
        description=_l("Montré uniquement aux personnes inscrites."),
    )


class MeetingForm(_Place, BaseForm):
    title = StringField(_l("Titre"), validators=[DataRequired(_l("Saisissez un titre.")), Length(max=200), plain_text])
    kind = SelectField(_l("Type"), choices=_choices(KIND_LABELS))
    description = TextAreaField(
        _l("Présentation"), validators=[Length(max=10000)], description=_l("Mise en forme Markdown possible.")
    )
    day = DateField(_l("Date"), validators=[DataRequired(_l("Indiquez une date valide."))])
    start_time = TimeField(_l("Début"), validators=[DataRequired(_l("Indiquez une heure valide."))])
    end_time = TimeField(_l("Fin"), validators=[DataRequired(_l("Indiquez une heure valide."))])
    department_code = StringField(
        _l("Département"),
        validators=[Optional(), Length(max=3)],
        description=_l("Numéro du département du lieu, pour les filtres."),
    )
    territory_code = StringField(
        _l("Territoire concerné"),
        validators=[Optional(), Length(max=200), plain_text],
        description=_l(
            "Facultatif. Le nom ou le code INSEE/SIREN de la commune, de l’intercommunalité ou du département où "
            "elle se tient ou dont elle traite, par exemple « Montreuil » ou « 200057875 » : sa page de territoire "
            "la montrera."
        ),
    )
    capacity = IntegerField(
        _l("Nombre de places"),
        validators=[
            Optional(),
            NumberRange(min=0, message=_l("La capacité ne peut pas être négative.")),
            NumberRange(max=100_000, message=_l("La capacité est de 100 000 places au plus.")),
        ],
        description=_l("Laisser vide pour ne pas limiter."),
    )
    registration_deadline = DateField(
        _l("Clôture des inscriptions"),
        validators=[Optional()],
        description=_l("Les inscriptions ferment le soir de ce jour."),
    )
    audience = RadioField(
        _l("Public"),
        choices=_choices(AUDIENCE_LABELS),
        default="members",
    )

    #: the territory `territory_code` names, once validated (None when left empty)
    territory = None

    def validate_territory_code(self, field) -> None:
        self.territory = None
        text = (field.data or "").strip()
        if text:
            self.territory = resolve_territory(text)


def territory_text(territory) -> str:
    """How the form shows a chosen territory, and reads it back: « Montreuil (93048) »."""
    return f"{territory.name} ({territory.code})" if territory is not None else ""


_CODE_IN_TEXT = re.compile(r"\(([0-9A-Za-z]{1,12})\)\s*$")


def resolve_territory(text: str):
    """The territory a coordinator typed: « Montreuil (93048) », a code, or a name matching one territory only;
    otherwise a ValidationError saying what to type (with the candidates)."""
    from clubess.members.forms import TERRITORY_KIND_LABELS
    from clubess.members.territories import CODE, find_by_code, normalize, search_territories

    found = _CODE_IN_TEXT.search(text)
    # « Versailles Grand Parc (CAVGP) » is a name: only a code in parentheses is read as one
    code = found.group(1) if found and CODE.match(found.group(1).upper()) else text
    if CODE.match(code.upper()):
        territory = find_by_code(code)
        if territory is None:
            raise ValidationError(_l("Aucun territoire de la région n’a le code « %(code)s ».", code=code[:12]))
        return territory
    candidates = search_territories(text, limit=6)
    exact = [t for t in candidates if t.search_name == normalize(text)]
    if len(exact) == 1 or len(candidates) == 1:
        return exact[0] if exact else candidates[0]
    if not candidates:
        raise ValidationError(_l("Aucun territoire de la région ne s’appelle « %(text)s ».", text=text[:100]))
    names = ", ".join(f"{territory_text(t)} — {TERRITORY_KIND_LABELS[t.kind]}" for t in (exact or candidates)[:5])
    raise ValidationError(
        _l("Plusieurs territoires correspondent ; précisez le code entre parenthèses : %(names)s.", names=names)
    )


class SeriesForm(_Place, BaseForm):
    title = StringField(
        _l("Titre de la série"),
        validators=[DataRequired(_l("Saisissez un titre.")), Length(max=200), plain_text],
        description=_l("Par exemple : Rencontres trimestrielles 2027."),
    )
    kind = SelectField(_l("Type"), choices=_choices(KIND_LABELS))
    rule = RadioField(
        _l("Règle"),
        choices=[SelectChoice("quarterly", _l("Chaque trimestre")), SelectChoice("dates", _l("Liste de dates"))],
        default="quarterly",
    )
    year = IntegerField(_l("Année"), validators=[Optional(), NumberRange(min=2000, max=2100)])
    month_in_quarter = SelectField(
        _l("Mois du trimestre"),
        coerce=coerce_int,
        choices=[
            SelectChoice(1, _l("1er mois (janvier, avril, juillet, octobre)")),
            SelectChoice(2, _l("2e mois (février, mai, août, novembre)")),
            SelectChoice(3, _l("3e mois (mars, juin, septembre, décembre)")),
        ],
    )
    nth = SelectField(
        _l("Semaine"),
        coerce=coerce_int,
        choices=[
            SelectChoice(1, _l("1er")),
            SelectChoice(2, _l("2e")),
            SelectChoice(3, _l("3e")),
            SelectChoice(4, _l("4e")),
            SelectChoice(-1, _l("dernier")),
        ],
    )
    weekday = SelectField(_l("Jour"), coerce=coerce_int, choices=[SelectChoice(i, d) for i, d in enumerate(WEEKDAYS)])
    dates = TextAreaField(
        _l("Dates"), validators=[Length(max=2000)], description=_l("Une date par ligne, par exemple 18/03/2027.")
    )
    start_time = TimeField(_l("Début"), validators=[DataRequired(_l("Indiquez une heure valide."))])
    end_time = TimeField(_l("Fin"), validators=[DataRequired(_l("Indiquez une heure valide."))])
    template = TextAreaField(_l("Ordre du jour type"), validators=[Length(max=5000)], description=TEMPLATE_HINT)

    def parsed_dates(self) -> list[date]:
        found = []
        for line in (self.dates.data or "").splitlines():
            line = line.strip()
            if not line:
                continue
            match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", line) or re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", line)
            try:
                if match and "/" in line:
                    found.append(date(int(match[3]), int(match[2]), int(match[1])))
                elif match:
                    found.append(date(int(match[1]), int(match[2]), int(match[3])))
                else:
                    raise ValueError
            except ValueError:
                raise ValidationError(_l("Date non comprise : « %(line)s ».", line=line[:30])) from None
        return found

    def parsed_template(self) -> list[dict]:
        return parse_template(self.template.data or "")

    def validate_dates(self, field):
        self.parsed_dates()

    def validate_template(self, field):
        self.parsed_template()


def parse_template(text: str) -> list[dict]:
    """The template agenda typed by a coordinator, one item per line: `09:30-10:00 | Accueil café | Accueil`."""
    rows = []
    names = item_kind_names()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.split("|")]
        match = re.fullmatch(r"(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})", parts[0])
        if not match or len(parts) < 2 or not parts[1]:
            raise ValidationError(_l("Ligne non comprise : « %(line)s ».", line=line[:40]))
        try:
            start, end = time(int(match[1]), int(match[2])), time(int(match[3]), int(match[4]))
        except ValueError:
            raise ValidationError(_l("Heure non comprise : « %(line)s ».", line=line[:40])) from None
        written = parts[2] if len(parts) > 2 else ""
        kind = names.get(_fold(written)) if written else ItemKind.INTERVENTION.value
        if kind is None:
            raise ValidationError(
                _l(
                    "Ligne %(n)d : type de point inconnu « %(kind)s ». Types acceptés : %(kinds)s.",
                    n=number,
                    kind=written[:40],
                    kinds=ITEM_KINDS_TEXT,
                )
            )
        rows.append(
            {"start": start.strftime("%H:%M"), "end": end.strftime("%H:%M"), "title": parts[1][:200], "kind": kind}
        )
    return rows


def template_text(rows: list[dict]) -> str:
    """The template agenda as the coordinator edits it, each kind by its label (parse_template reads it back)."""
    return "\n".join(
        f"{r['start']}-{r['end']} | {r['title']} | {ITEM_KIND_LABELS.get(r['kind'], r['kind'])}" for r in rows
    )


class TemplateForm(BaseForm):
    template = TextAreaField(_l("Ordre du jour type"), validators=[Length(max=5000)], description=TEMPLATE_HINT)

    def validate_template(self, field):
        parse_template(field.data or "")


class AgendaItemForm(BaseForm):
    title = StringField(
        _l("Intitulé"), validators=[DataRequired(_l("Saisissez un intitulé.")), Length(max=200), plain_text]
    )
    kind = SelectField(_l("Type de point"), choices=_choices(ITEM_KIND_LABELS))
    start = TimeField(_l("Début"), validators=[DataRequired(_l("Indiquez une heure valide."))])
    end = TimeField(_l("Fin"), validators=[DataRequired(_l("Indiquez une heure valide."))])
    description = TextAreaField(_l("Description"), validators=[Length(max=3000)])
    speakers = MultiCheckboxField(_l("Intervenants"), coerce=coerce_int, choices=[])


class SpeakerForm(BaseForm):
    name = StringField(_l("Nom"), validators=[DataRequired(_l("Saisissez le nom.")), Length(max=200), plain_text])
    organisation = StringField(_l("Organisation"), validators=[Length(max=200), plain_text])
    title = StringField(_l("Fonction"), validators=[Length(max=200), plain_text])
    kind = SelectField(_l("Type d’intervenant"), choices=_choices(SPEAKER_KIND_LABELS))
    bio = TextAreaField(_l("Courte présentation"), validators=[Length(max=2000)])
    member_id = SelectField(
        _l("Personne membre du club (facultatif)"),
        coerce=coerce_int,
        choices=[],
        default=0,
        validate_choice=False,
        description=_l("Relie l’intervenant à un élu ou un agent d’une collectivité membre."),
    )


class DuplicateForm(BaseForm):
    day = DateField(_l("Date de la copie"), validators=[DataRequired(_l("Indiquez une date valide."))])
