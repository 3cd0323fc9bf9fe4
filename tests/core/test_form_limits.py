"""Every form bounds what it takes to what the database holds: walks every form class and the models they fill.

A new form, or a new field without a bound, fails here until it is given one (and, for a form, until it
is named in FORM_MODELS with the models it writes to).
"""

import importlib
import pkgutil

import sqlalchemy as sa
from wtforms import Form, fields
from wtforms.fields.core import UnboundField
from wtforms.validators import Length, NumberRange

import clubess
from clubess.actors.models import Organisation
from clubess.auth.models import User
from clubess.commitments.models import Commitment
from clubess.core import forms as core_forms
from clubess.core.inputs import MAX_INT, coerce_int
from clubess.meetings.followup_models import Contribution, Decision, Minutes, MinutesRevision, SurveyAnswer
from clubess.meetings.models import AgendaItem, Meeting, MeetingSeries, Registration, Speaker
from clubess.members.models import Collectivity, Member
from clubess.practices.models import Practice, Problem, ThesaurusEntry
from clubess.press.models import Communique, PressContact
from clubess.report.models import AnnualReport
from clubess.resources.models import Document
from clubess.territories.policy_models import PolicyProfile

#: each form → the models its fields are stored in (fields and columns of the same name are compared)
FORM_MODELS = {
    "auth.LoginForm": [],
    "auth.ForgotPasswordForm": [],
    "auth.ResetPasswordForm": [],
    "auth.ChangePasswordForm": [],
    "auth.AccountSearchForm": [],
    "auth.RoleForm": [User],
    "members.PersonForm": [Member],
    "members.OptionalPersonForm": [Member],
    "members.ApplicationForm": [Member],
    "members.ReviewRejectForm": [Collectivity],
    "members.ApplicationFilterForm": [],
    "members.EndMandateForm": [],
    "members.HandOverForm": [],
    "members.ProfileForm": [Member],
    "members.AdditionRequestForm": [],
    "meetings.MeetingForm": [Meeting],
    "meetings.SeriesForm": [MeetingSeries],
    "meetings.TemplateForm": [],
    "meetings.AgendaItemForm": [AgendaItem],
    "meetings.SpeakerForm": [Speaker],
    "meetings.DuplicateForm": [],
    "meetings.RegistrationForm": [],
    "meetings.GuestForm": [Registration],
    "meetings.InviteForm": [],
    "meetings.WalkInForm": [Registration],
    "meetings.WalkInMemberForm": [],
    "meetings.MemberSearchForm": [],
    "meetings.ParticipationFilterForm": [],
    "meetings.RegistrantFilterForm": [],
    "meetings.MinutesForm": [Minutes, MinutesRevision],
    "meetings.DecisionForm": [Decision],
    "meetings.ContributionForm": [Contribution],
    "meetings.MergeForm": [],
    "meetings.SurveyForm": [SurveyAnswer],
    "practices.PracticeForm": [Practice],
    "practices.ReviewForm": [],
    "practices.ImportForm": [],
    "practices.ThesaurusForm": [ThesaurusEntry],
    "practices.ProblemForm": [Problem],
    "press.ContactForm": [PressContact],
    "press.ImportForm": [],
    "press.CommuniqueForm": [Communique],
    "press.AttachmentForm": [],
    "press.SegmentForm": [],
    "press.SubscribeForm": [PressContact],
    "resources.DocumentForm": [Document],
    "resources.LinkPracticeForm": [],
    "resources.DraftPracticeForm": [Practice],
    "commitments.CommitmentForm": [Commitment],
    "commitments.StatusForm": [Commitment],
    "commitments.CommitmentFilterForm": [],
    "territories.IndicatorImportForm": [],
    "territories.PolicyProfileForm": [PolicyProfile],
    "territories.YearForm": [],
    "actors.OrganisationForm": [Organisation],
    "actors.ListingRequestForm": [Organisation],
    "actors.SolutionForm": [],
    "actors.RejectForm": [],
    "actors.LinksForm": [],
    "actors.DirectoryFilterForm": [],
    "actors.CoordinationFilterForm": [],
    "core.EmptyForm": [],
    "core.FilterForm": [],
    "exports.MemberExportForm": [],
    "exports.RegistrantExportForm": [],
    "report.ReportTextForm": [AnnualReport],
    "report.AttachForm": [],
}
#: fields whose text a service turns into a shorter value before storing it (normalised, checked again)
NORMALISED = {
    ("press.ContactForm", "departement"),
    ("actors.OrganisationForm", "siret"),
    ("actors.ListingRequestForm", "siret"),
}


def _form_classes() -> dict[str, type]:
    for module in pkgutil.walk_packages(clubess.__path__, "clubess."):
        if module.name.endswith("forms"):
            importlib.import_module(module.name)
    found = {}
    stack = list(Form.__subclasses__())
    while stack:
        cls = stack.pop()
        stack.extend(cls.__subclasses__())
        if cls.__module__.startswith("clubess.") and cls is not core_forms.BaseForm:
            found[f"{cls.__module__.split('.')[1]}.{cls.__name__}"] = cls
    return found


def _fields(cls) -> dict[str, UnboundField]:
    return {
        name: getattr(cls, name)
        for name in dir(cls)
        if not name.startswith("_") and isinstance(getattr(cls, name, None), UnboundField)
    }


def _validators(unbound: UnboundField) -> list:
    return list(unbound.kwargs.get("validators") or (unbound.args[1] if len(unbound.args) > 1 else []))


def test_every_form_is_listed_with_the_models_it_fills():
    assert set(_form_classes()) == set(FORM_MODELS)


def test_every_text_field_has_a_length_and_every_number_a_range():
    problems = []
    for form_name, cls in _form_classes().items():
        for name, unbound in _fields(cls).items():
            field_class, validators = unbound.field_class, _validators(unbound)
            where = f"{form_name}.{name}"
            if issubclass(field_class, fields.StringField) and not any(isinstance(v, Length) for v in validators):
                problems.append(f"{where}: a text field without Length(max=…)")
            if issubclass(field_class, fields.IntegerField):
                if not issubclass(field_class, core_forms.IntegerField):
                    problems.append(f"{where}: use clubess.core.forms.IntegerField (strict digits)")
                ranges = [v for v in validators if isinstance(v, NumberRange) and v.max is not None]
                if not ranges or min(v.max for v in ranges) > MAX_INT:
                    problems.append(f"{where}: an integer field without NumberRange(max=…) within a column")
            if issubclass(field_class, fields.DateField) and not issubclass(field_class, core_forms.DateField):
                problems.append(f"{where}: use clubess.core.forms.DateField (bounded years)")
            if unbound.kwargs.get("coerce") is int:
                problems.append(f"{where}: coerce=int reads '٣' and any size of number: use coerce_int")
    assert not problems, "\n".join(problems)


def test_no_form_takes_more_than_its_columns_hold():
    problems = []
    for form_name, cls in _form_classes().items():
        columns = {}
        for model in FORM_MODELS[form_name]:
            columns.update({c.name: c for c in sa.inspect(model).columns})
        for name, unbound in _fields(cls).items():
            column = columns.get(name)
            length = getattr(getattr(column, "type", None), "length", None)
            if length is None or (form_name, name) in NORMALISED:
                continue
            if issubclass(unbound.field_class, fields.SelectFieldBase):  # its choices bound it
                choices = unbound.kwargs.get("choices") or []
                values = [c[0] if isinstance(c, tuple | list) else getattr(c, "value", c) for c in choices]
                longest = max((len(str(v)) for v in values), default=0)
                if unbound.kwargs.get("validate_choice") is False:
                    longest = None
            else:
                longest = min(
                    (v.max for v in _validators(unbound) if isinstance(v, Length) and v.max >= 0), default=None
                )
            if longest is None or longest > length:
                problems.append(f"{form_name}.{name}: takes {longest} characters, {column} holds {length}")
    assert not problems, "\n".join(problems)


def test_select_fields_of_ids_coerce_strictly():
    assert coerce_int("12") == 12
    for form_name, cls in _form_classes().items():
        for name, unbound in _fields(cls).items():
            if issubclass(unbound.field_class, fields.SelectFieldBase) and unbound.kwargs.get("coerce"):
                assert unbound.kwargs["coerce"] in (coerce_int, str), f"{form_name}.{name}"
