"""Drop-down lists drawn in Python (core.form_renderer) are the markup Django's templates draw."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe

from sendwise.core.form_renderer import FormRenderer


class Everything(forms.Form):
    plain = forms.ChoiceField(choices=[("", "Any"), ("K", "SEN support"), ("E", "EHC plan")])
    numbers = forms.TypedChoiceField(choices=[(i, f"Year {i}") for i in range(14)], coerce=int)
    grouped = forms.ChoiceField(
        choices=[
            ("Reading", [("decoding", "Decoding"), ("fluency", "Fluency")]),
            ("Number", [("facts", "Number facts & <bonds>")]),
            ("other", "Something \"else\" & 'quoted'"),
        ]
    )
    several = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B"), ("c", "C")])
    dated = forms.ChoiceField(
        choices=[(datetime.date(2026, 9, 1).isoformat(), datetime.date(2026, 9, 1))]
    )
    disabled = forms.ChoiceField(choices=[("x", "X")], disabled=True, required=False)
    # Text already safe is printed as it is; plain text with markup is escaped.
    safe = forms.ChoiceField(
        choices=[(mark_safe("<i>"), mark_safe("<b>Bold</b>")), ("<&>", 'Tom & "Jerry"')]
    )
    attrs = forms.ChoiceField(
        choices=[("1", "One")],
        widget=forms.Select(attrs={"data-flag": True, "hidden-off": False, "data-n": 3}),
    )


DATA = {
    "plain": "K",
    "numbers": "4",
    "grouped": "fluency",
    "several": ["a", "c"],
    "dated": "2026-09-01",
    "attrs": "1",
}


@pytest.mark.parametrize("data", [None, DATA, {"plain": "<script>", "numbers": "x"}])
def test_every_select_is_drawn_as_djangos_templates_draw_it(data):
    fast = Everything(data, renderer=FormRenderer())
    stock = Everything(data, renderer=DjangoTemplates())
    if data:
        fast.is_valid(), stock.is_valid()
    for name in Everything.base_fields:
        attrs = {"class": "govuk-select", "aria-describedby": "x-hint"}
        assert fast[name].as_widget(attrs=attrs) == stock[name].as_widget(attrs=attrs), name


def test_other_widgets_still_use_their_templates():
    class Other(forms.Form):
        text = forms.CharField()
        box = forms.BooleanField()
        radios = forms.ChoiceField(choices=[("a", "A")], widget=forms.RadioSelect)

    fast, stock = Other(renderer=FormRenderer()), Other(renderer=DjangoTemplates())
    for name in Other.base_fields:
        assert str(fast[name]) == str(stock[name])


def test_the_project_uses_it(settings):
    assert settings.FORM_RENDERER == "sendwise.core.form_renderer.FormRenderer"
