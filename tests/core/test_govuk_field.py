"""A form field drawn by the ``govuk_field`` tag is the markup ``components/field.html`` draws."""

import pytest
from django import forms
from django.template import engines
from django.utils.safestring import mark_safe

from sendwise.monitoring.forms import DecisionFilterForm

INCLUDE = engines["django"].from_string(
    '{% include "components/field.html" with field=field width=width label_class=label_class '
    "group_class=group_class only %}"
)
TAG = engines["django"].from_string(
    "{% load govuk %}{% govuk_field field width label_class=label_class group_class=group_class %}"
)


class Fields(forms.Form):
    name = forms.CharField(label="Name & <surname>", help_text="As on the register", max_length=5)
    year = forms.TypedChoiceField(
        label="Year", choices=[("", "Any"), *[(i, f"Year {i}") for i in range(3)]], coerce=int
    )
    notes = forms.CharField(label=mark_safe("<em>Notes</em>"), widget=forms.Textarea)
    when = forms.DateField(label="Date", help_text=mark_safe("For example, <b>27 3 2026</b>"))
    agreed = forms.BooleanField(label="Agreed", required=False)

    def clean(self):
        # Two errors on one field, to show how they are joined.
        if self.data.get("name") == "two":
            self.add_error("name", "First & foremost")
            self.add_error("name", "Second <error>")


CASES = [
    None,
    {"name": "Far too long", "year": "9", "notes": "", "when": "x"},
    {"name": "two", "year": "1", "notes": "<script>", "when": "2026-03-27", "agreed": "on"},
]
OPTIONS = [
    {"width": "", "label_class": "", "group_class": ""},
    {"width": "govuk-input--width-10", "label_class": "govuk-label--s", "group_class": 'x"y'},
]


@pytest.mark.parametrize("data", CASES)
@pytest.mark.parametrize("options", OPTIONS)
def test_every_kind_of_field_is_drawn_as_the_include_draws_it(data, options):
    form = Fields(data)
    if data:
        assert not form.is_valid()
    for name in Fields.base_fields:
        context = {"field": form[name], **options}
        assert TAG.render(context) == INCLUDE.render(context), name


def test_the_decisions_filters_are_drawn_as_before():
    form = DecisionFilterForm(
        {"reason": "nonsense", "class_group": "4"},
        reasons=[("a", "A & B")],
        sorts=[("name", "Surname")],
        classes=[(4, "4<b>")],
        interventions=[(7, "Toe by Toe")],
    )
    form.is_valid()
    assert form.errors  # the reason is not one of the choices
    for name in form.fields:
        context = {"field": form[name], "width": "", "label_class": "", "group_class": ""}
        assert TAG.render(context) == INCLUDE.render(context), name
