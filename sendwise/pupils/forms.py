"""Forms check shape; services check the school's rules."""

from django import forms
from django.forms.models import fields_for_model

from sendwise.core.bounds import BIRTH
from sendwise.core.codes import NC_YEAR_CHOICES, Area, Language, Need, Provision
from sendwise.core.forms import BoundedForm, PlausibleDateField
from sendwise.pupils.models import ClassGroup, Pupil
from sendwise.pupils.selectors import SORTS, RegisterFilters
from sendwise.pupils.services import EDITABLE_FIELDS

YES_NO_ANY = [("", "Any"), ("yes", "Yes"), ("no", "No")]
YES_NO_VALUE = {"yes": True, "no": False}

PROVISION_FILTER_CHOICES = [
    ("sen", "SEN support or EHC plan"),
    (Provision.SEN_SUPPORT, "SEN support (K)"),
    (Provision.EHC_PLAN, "EHC plan (E)"),
    (Provision.NONE, "No SEN (N)"),
    ("all", "All pupils"),
]


#: A filter's value that is not one of its options: the list is shown without that filter.
FILTER_NOT_AN_OPTION = (
    "{what}: “%(value)s” is not one of the options, so the list below is not filtered by it. "
    "Choose one from the list."
)


class RegisterFilterForm(BoundedForm):
    q = forms.CharField(label="Name or UPN", required=False, max_length=100)
    year = forms.TypedChoiceField(
        label="Year group",
        required=False,
        choices=[("", "Any year")] + NC_YEAR_CHOICES,
        coerce=int,
        empty_value=None,
    )
    need = forms.ChoiceField(
        label="Type of need", required=False, choices=[("", "Any need")] + Need.choices
    )
    provision = forms.ChoiceField(
        label="SEN provision", required=False, choices=PROVISION_FILTER_CHOICES
    )
    class_group = forms.TypedChoiceField(
        label="Class", required=False, coerce=int, empty_value=None
    )
    area = forms.ChoiceField(
        label="Broad area of need", required=False, choices=[("", "Any area"), *Area.choices]
    )
    skill = forms.ChoiceField(label="Skill that needs work", required=False)
    eal = forms.ChoiceField(
        label="English as an additional language", required=False, choices=YES_NO_ANY
    )
    pupil_premium = forms.ChoiceField(label="Pupil premium", required=False, choices=YES_NO_ANY)
    support = forms.ChoiceField(
        label="Support in place",
        required=False,
        choices=[("", "Any"), ("none", "No current support")],
    )
    sort = forms.ChoiceField(
        label="Sort by", required=False, choices=[(k, v[0]) for k, v in SORTS.items()]
    )

    def __init__(self, *args, classes=(), skills=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["class_group"].choices = [("", "Any class")] + [(c.pk, c.name) for c in classes]
        self.fields["skill"].choices = [("", "Any skill")] + [(s.slug, s.name) for s in skills]
        for field in self.fields.values():
            if isinstance(field, forms.ChoiceField):
                field.error_messages["invalid_choice"] = FILTER_NOT_AN_OPTION.format(
                    what=field.label
                )

    def filters(self) -> RegisterFilters:
        """The filters to apply: every one that is valid. A value that is not one of a filter's
        options (a year group 99 in an edited link) leaves that filter out, and the form's error
        says so beside it and in the error summary: never silently."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return RegisterFilters(
            q=(data.get("q") or "").strip(),
            year=data.get("year"),
            need=data.get("need") or "",
            provision=data.get("provision") or "sen",
            class_id=data.get("class_group"),
            area=data.get("area") or "",
            skill=data.get("skill") or "",
            eal=YES_NO_VALUE.get(data.get("eal") or ""),
            pupil_premium=YES_NO_VALUE.get(data.get("pupil_premium") or ""),
            no_support=data.get("support") == "none",
            sort=data.get("sort") or "name",
        )


class PupilForm(BoundedForm):
    """The pupil's details and SEN record. A plain form (not a ModelForm) so the record itself is
    only changed by `pupil_update`, which also checks the census rules."""

    def __init__(self, *args, school, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(fields_for_model(Pupil, fields=EDITABLE_FIELDS))
        self.fields["date_of_birth"] = PlausibleDateField(
            label="Date of birth",
            window=BIRTH,
            what="the date of birth",
            error_messages={
                "required": "Enter the date of birth",
                "invalid": "Date of birth must be a real date",
            },
        )
        self.fields["class_group"].queryset = ClassGroup.objects.filter(school=school)
        self.fields["class_group"].required = False
        for name in ("primary_need", "secondary_need"):
            self.fields[name].choices = [("", "None")] + Need.choices
            self.fields[name].required = False
        current = (self.initial or {}).get("home_language") or Language.ENG
        languages = list(Language.choices)
        if current not in Language.values:
            languages.append((current, f"{current} (code from the school's records)"))
        self.fields["home_language"] = forms.ChoiceField(label="Home language", choices=languages)
        for name, text in REQUIRED_MESSAGES.items():
            self.fields[name].error_messages["required"] = text
        self.order_fields(EDITABLE_FIELDS)


REQUIRED_MESSAGES = {
    "upn": "Enter the pupil's UPN",
    "first_name": "Enter the pupil's first name",
    "last_name": "Enter the pupil's last name",
    "nc_year": "Choose the pupil's year group",
    "gender": "Choose the pupil's gender",
    "sen_provision": "Choose the pupil's SEN provision",
    "home_language": "Choose the pupil's home language",
}


class ArchiveForm(BoundedForm):
    reason = forms.CharField(
        label="Why is this record being archived?",
        help_text="For example, left the school on 12 July",
        max_length=300,
        error_messages={"required": "Enter why this pupil's record is being archived"},
        widget=forms.Textarea(attrs={"rows": 3}),
    )
