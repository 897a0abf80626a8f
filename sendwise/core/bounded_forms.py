"""Every form in SENDwise is a ``BoundedForm`` (or ``BoundedModelForm``): before it cleans, each
field gets the limits of ``core.bounds`` that it does not already have, so no form can save a
date in the year 9999, a 300,000-character profile, a whole number the database cannot hold or
a number no measure reports. Fields that need a tighter, explained limit use the factories below
(``plausible_date``, ``text``, ``whole_number``) or set their own ``max_length``/``max_value``.

    class PlanForm(BoundedForm):
        review_date = plausible_date("Review date", PLANNED)

Forms that know the pupil pass ``born=pupil.date_of_birth``: their plausible dates then refuse
a day before the pupil was born.
"""

from __future__ import annotations

import re

from django import forms
from django.core import validators
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from sendwise.core import bounds
from sendwise.core.bounds import DateWindow

#: The window of a date field that does not choose one: generous, still no year 9999 or 0001.
ANY_DATE = DateWindow(5)


def _what(field: forms.Field, name: str) -> str:
    """The field's label as a message names it, as the project's messages do ("Note must be
    300 characters or fewer"): without "(optional)" or a question mark."""
    return str(field.label or name.replace("_", " ")).split(" (")[0].rstrip("?")


class IsoDateInput(forms.DateInput):
    """A browser date picker. It needs the ISO date (2026-03-27): it shows nothing for the
    locale's 27/03/2026."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class PlausibleDateField(forms.DateField):
    """A date within ``window`` of today (``core.bounds.DateWindow``), and not before the
    pupil's birth when the form knows it; ``what`` names it in messages ("the review date")."""

    def __init__(self, *, window: DateWindow = ANY_DATE, what: str = "", **kwargs):
        kwargs.setdefault("widget", IsoDateInput())
        super().__init__(**kwargs)
        self.window, self.what, self.born = window, what, None

    def validate(self, value):
        super().validate(value)
        if value in self.empty_values:
            return
        what = self.what or _what(self, "date")
        problem = self.window.problem(value, today=timezone.localdate(), what=what, born=self.born)
        if problem:
            raise ValidationError(problem, code="implausible")


def plausible_date(
    label: str,
    window: DateWindow = ANY_DATE,
    *,
    required: bool = True,
    required_message: str = "",
    invalid: str = "",
    what: str = "",
    **kwargs,
) -> PlausibleDateField:
    """A date field with GOV.UK messages: required, a real date, and plausible."""
    what = what or f"the {label[:1].lower()}{label[1:]}"
    return PlausibleDateField(
        label=label,
        required=required,
        window=window,
        what=what,
        error_messages={
            "required": required_message or f"Enter {what}",
            "invalid": invalid or f"{bounds.capital(what)} must be a real date",
        },
        **kwargs,
    )


def text(
    label: str, limit: int = bounds.LINE, *, rows: int = 0, what: str = "", **kwargs
) -> forms.CharField:
    """A text box (a textarea of ``rows`` rows when given) of at most ``limit`` characters, whose
    message says how many were typed."""
    if rows:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": rows}))
    field = forms.CharField(label=label, max_length=limit, **kwargs)
    field.error_messages.setdefault("max_length", _too_long(field, what or _what(field, "text")))
    return field


def whole_number(
    label: str, low: int, high: int, *, why: str = "", what: str = "", **kwargs
) -> forms.IntegerField:
    """A whole number from ``low`` to ``high``, typed in a text box (GOV.UK advises against
    number inputs); out of range says the range and ``why``."""
    kwargs.setdefault(
        "widget", forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"})
    )
    what = what or f"{label[:1].lower()}{label[1:]}"
    message = bounds.NUMBER_OUT_OF_RANGE.format(
        What=bounds.capital(what),
        low=f"{low:,}",
        high=f"{high:,}",
        why=f": {why}" if why else "",
    )
    field = forms.IntegerField(label=label, min_value=low, max_value=high, **kwargs)
    field.error_messages.setdefault("invalid", f"{bounds.capital(what)} must be a whole number")
    field.error_messages["min_value"] = message
    field.error_messages["max_value"] = message
    return field


def dose(part: str, label: str, **kwargs) -> forms.IntegerField:
    """One part of a dose ("sessions_per_week", "minutes_per_session", "weeks"): a whole number
    no larger than its limit in ``core.bounds.DOSE``, optional unless said. The lower end (at
    least 1) is the services' rule, so their message lists it with the form's other problems."""
    low, high, why = bounds.DOSE[part]
    kwargs.setdefault("required", False)
    kwargs.setdefault(
        "widget", forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"})
    )
    what = label[:1].lower() + label[1:]
    field = forms.IntegerField(label=label, max_value=high, **kwargs)
    # Django's IntegerField always has its own bare "Enter a whole number.", so this replaces
    # it (a caller's own message, such as one naming the intervention, is kept).
    if "invalid" not in kwargs.get("error_messages", {}):
        field.error_messages["invalid"] = f"{label} must be a whole number from {low} to {high}"
    field.error_messages["max_value"] = bounds.TOO_MANY.format(
        What=bounds.capital(what), high=high, why=why
    )
    return field


def _too_long(field: forms.CharField, what: str) -> str:
    # The validator's params fill in the count typed; a % in a label must not be read as one.
    what = bounds.capital(what).replace("%", "%%")
    return f"{what} must be {field.max_length:,} characters or fewer (you have %(show_value)d)"


def _bound_text(field: forms.CharField, what: str) -> None:
    if field.max_length is None:
        is_long = isinstance(field.widget, forms.Textarea)
        field.max_length = bounds.PASSAGE if is_long else bounds.LINE
        field.validators.append(validators.MaxLengthValidator(field.max_length))
    field.error_messages.setdefault("max_length", _too_long(field, what))


def _bound_number(field, low, high, what: str) -> None:
    message = bounds.NUMBER_OUT_OF_RANGE.format(
        What=bounds.capital(what), low=f"{low:,}", high=f"{high:,}", why=""
    ).replace("%", "%%")
    if field.max_value is None:
        field.max_value = high
        field.validators.append(validators.MaxValueValidator(high))
        field.error_messages.setdefault("max_value", message)
    if field.min_value is None:
        field.min_value = low
        field.validators.append(validators.MinValueValidator(low))
        field.error_messages.setdefault("min_value", message)


#: A number written with an exponent: "1e2", "-2.5E-3", ".5e1" (anything else is left to the
#: field's own "not a number" message).
EXPONENT = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)[eE][+-]?\d+")


def _refuse_exponent(field: forms.Field, what: str) -> None:
    """A decimal or float field refuses exponent notation ("1e2", "5E-1"), which Python reads
    as a number (100, 0.5) but a person typing a score or a sum never means."""
    to_python = field.to_python

    def checked(value):
        if isinstance(value, str) and EXPONENT.fullmatch(value.strip().replace(",", "")):
            raise ValidationError(
                bounds.NAMED_NUMBER_EXPONENT.format(What=bounds.capital(what)), code="invalid"
            )
        return to_python(value)

    field.to_python = checked


def bound_fields(fields: dict, *, born=None) -> None:
    """Give every field the limits of ``core.bounds`` it lacks (module docstring)."""
    for name, field in fields.items():
        if getattr(field, "_bounded", False):
            continue
        field._bounded = True
        what = _what(field, name)
        if isinstance(field, (forms.FloatField, forms.DecimalField)):
            _refuse_exponent(field, what)
        if isinstance(field, forms.ModelChoiceField):
            _refuse_ids_too_big(field)
        elif isinstance(field, PlausibleDateField):
            field.born = born
        elif isinstance(field, forms.DateField):
            field.validators.append(_DateValidator(ANY_DATE, what))
        elif isinstance(field, forms.CharField):
            _bound_text(field, what)
        # Django's FloatField and DecimalField are IntegerFields underneath: their branch
        # comes first, or an amount of money with no digit limit would get the integer bound.
        elif isinstance(field, forms.DecimalField) and field.max_digits is None:
            _bound_number(field, -bounds.MONEY, bounds.MONEY, what)
        elif isinstance(field, forms.FloatField):
            # Django's FloatField already refuses NaN and infinity.
            _bound_number(field, -bounds.NUMBER_MAGNITUDE, bounds.NUMBER_MAGNITUDE, what)
        elif isinstance(field, forms.IntegerField):
            hidden = field.widget.is_hidden
            limit = bounds.DATABASE_INTEGER if hidden else bounds.NUMBER_MAGNITUDE
            _bound_number(field, -limit, limit, what)


def _refuse_ids_too_big(field: forms.ModelChoiceField) -> None:
    """A choice of rows refuses an id no database column could hold before looking it up:
    SQLite raises OverflowError on an integer beyond 64 bits, which would be a 500."""
    if (
        field.queryset is None
        or field.to_field_name
        or not isinstance(field.queryset.model._meta.pk, models.AutoField | models.IntegerField)
    ):
        return
    original = field.clean

    def clean(value):
        for v in value if isinstance(value, list | tuple) else [value]:
            try:
                too_big = abs(int(str(v).strip())) > bounds.DATABASE_INTEGER
            except ValueError:
                continue  # not a number: Django's own check refuses it
            if too_big:
                raise ValidationError(
                    field.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(v)[:20]},
                )
        return original(value)

    field.clean = clean


class _DateValidator:
    def __init__(self, window: DateWindow, what: str):
        self.window, self.what = window, what

    def __call__(self, value):
        problem = self.window.problem(value, today=timezone.localdate(), what=self.what)
        if problem:
            raise ValidationError(problem, code="implausible")


class BoundsMixin:
    """Applies ``bound_fields`` to the form's fields before it cleans them (fields added in a
    subclass's ``__init__`` included). ``born``: the pupil's date of birth, where known."""

    def __init__(self, *args, born=None, **kwargs):
        self.born = born
        super().__init__(*args, **kwargs)

    def full_clean(self):
        bound_fields(self.fields, born=self.born)
        super().full_clean()


class BoundedForm(BoundsMixin, forms.Form):
    pass


class BoundedModelForm(BoundsMixin, forms.ModelForm):
    pass
