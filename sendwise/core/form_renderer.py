"""The form renderer: Django's own, with drop-down lists (``<select>``) written out in Python.

Django renders a ``<select>`` by including a small template once per option, so a filter form
with a few long lists (the register's skills, needs, classes and years: about 200 options)
spent more time drawing its drop-downs than the rest of the page (benchmarks/profile_pages.py).
This renderer writes the same markup, byte for byte, from the same widget context Django builds
(``Select.get_context``: the attributes, the option groups, which option is selected), with the
same escaping and localisation the templates apply. Any widget whose template is not Django's
stock select (or whose options use another template) goes through the templates as before.
A test renders every kind of select both ways and compares them (tests/core/test_form_renderer.py).
"""

from html import escape

from django.forms.renderers import DjangoTemplates
from django.utils.formats import localize
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.timezone import template_localtime

SELECT = "django/forms/widgets/select.html"
OPTION = "django/forms/widgets/select_option.html"


def _escaped(value: str) -> str:
    """``conditional_escape`` of a string: a plain ``str`` (nearly every label and value) is
    escaped with the standard library's ``html.escape``, which is what Django's ``escape``
    calls, without the lazy-text and safe-string checks around it; a safe string is kept."""
    return escape(value) if type(value) is str else conditional_escape(value)


def _text(value) -> str:
    """What ``{{ value }}`` prints in a template (render_value_in_context: local time,
    localised numbers and dates, escaped unless already safe)."""
    if type(value) is str:  # a plain label: nothing to localise
        return escape(value)
    value = localize(template_localtime(value))
    if not issubclass(type(value), str):
        value = str(value)
    return conditional_escape(value)


def _attrs(attrs: dict) -> str:
    """django/forms/widgets/attrs.html: ``name="value"``, a bare name for True, nothing for False."""
    out = []
    for name, value in attrs.items():
        if value is False:
            continue
        if value is True:
            out.append(f" {_text(name)}")
        else:
            out.append(f' {_text(name)}="{_escaped(str(value))}"')
    return "".join(out)


def render_select(widget: dict) -> str:
    """django/forms/widgets/select.html and select_option.html, in Python."""
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            parts.append(f'\n  <optgroup label="{_text(group_name)}">')
        for option in group_choices:
            value = _escaped(str(option["value"]))
            parts.append(
                f'\n  <option value="{value}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"  # the option template's last line end
            )
        if group_name:
            parts.append("\n  </optgroup>")
    parts.append("\n</select>")
    return mark_safe("".join(parts))  # noqa: S308  # every value above is escaped


def _stock_options(widget: dict) -> bool:
    return all(
        option["template_name"] == OPTION
        for _name, choices, _index in widget["optgroups"]
        for option in choices
    )


class FormRenderer(DjangoTemplates):
    """Django's template renderer, with the stock ``<select>`` drawn by ``render_select``."""

    def render(self, template_name, context, request=None):
        widget = context.get("widget") if isinstance(context, dict) else None
        if template_name == SELECT and widget is not None and _stock_options(widget):
            return render_select(widget)
        return super().render(template_name, context, request=request)
