"""Date fields' hints are true to the box the reader types in: a browser date box (which shows
the date in the reader's own order and sends the ISO date itself) carries no format example;
a date typed as text would have to say the format and the range allowed. Every form of the
apps that record delivery, monitoring and plans is checked, so a new field cannot slip back."""

import importlib
import inspect
import pkgutil
import re

import pytest
from django import forms

APPS = ("delivery", "evidence", "monitoring", "planning")
# A fixed example date, in ISO or GOV.UK's "27 3 2026" form.
EXAMPLE_DATE = re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2} \d{1,2} \d{4}\b")


def date_fields():
    for app in APPS:
        package = importlib.import_module(f"sendwise.{app}")
        for info in pkgutil.iter_modules(package.__path__):
            if "forms" not in info.name:
                continue
            module = importlib.import_module(f"sendwise.{app}.{info.name}")
            for _name, form in inspect.getmembers(module, inspect.isclass):
                if not issubclass(form, forms.BaseForm) or form.__module__ != module.__name__:
                    continue
                for field_name, field in form.base_fields.items():
                    if isinstance(field, forms.DateField):
                        yield f"{module.__name__}.{form.__name__}.{field_name}", field


FIELDS = dict(date_fields())


def test_the_forms_have_date_fields_to_check():
    assert len(FIELDS) >= 10


@pytest.mark.parametrize("where", sorted(FIELDS))
def test_a_date_field_hints_only_what_its_box_needs(where):
    field = FIELDS[where]
    said = " ".join([str(field.help_text or ""), *map(str, field.error_messages.values())])
    if getattr(field.widget, "input_type", "") == "date":
        assert not EXAMPLE_DATE.search(said), f"{where}: a date box needs no format example"
    else:
        hint = str(field.help_text or "")
        assert EXAMPLE_DATE.search(hint) and re.search(r"\bbetween\b|\bfrom\b", hint), (
            f"{where}: a date typed as text must say its format and the range allowed"
        )
