"""InlineSelect writes the select Django's own Select would: the same options, the same one
selected, every value and label escaped."""

import re

from django import forms

from sendwise.core.widgets import InlineSelect

CHOICES = [("", "Any class"), (1, "4 Ash"), (2, "<b>4 Birch</b> & co"), (3, "4 Cedar")]


def options(html: str) -> list[tuple[str, str, bool]]:
    found = re.findall(r'<option value="([^"]*)"( selected)?>(.*?)</option>', html, re.S)
    return [(value, label.strip(), bool(selected)) for value, selected, label in found]


def test_the_options_and_the_choice_are_those_of_djangos_select():
    for value in (None, "", "2", 3, "99"):
        ours = InlineSelect(choices=CHOICES).render("class_group", value, {"id": "id_c"})
        django = forms.Select(choices=CHOICES).render("class_group", value, {"id": "id_c"})
        assert options(ours) == options(django)
        assert ours.startswith('<select name="class_group" id="id_c">')


def test_labels_and_values_are_escaped():
    html = InlineSelect(choices=[('"x"', "<script>")]).render("f", None)
    assert "<script>" not in html
    assert 'value="&quot;x&quot;"' in html
    assert "&lt;script&gt;" in html


def test_option_groups_fall_back_to_djangos_rendering():
    grouped = [("Year 4", [(1, "4 Ash"), (2, "4 Birch")])]
    assert "<optgroup" in InlineSelect(choices=grouped).render("f", 2)
