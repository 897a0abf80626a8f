"""Form widgets written out in Python where Django's own templates cost too much.

Django's ``Select`` renders a template for the select and another for every option (a context
dict, an attrs include and a render each): for the class filter of a 2,000-pupil school (70 or
more classes) that was most of the time of the pupils who need a decision. ``InlineSelect``
writes the same HTML in one pass, escaped as Django escapes it (a 70-class list: about 150
function calls, was about 2,000).
"""

from html import escape

from django import forms
from django.forms.utils import flatatt
from django.utils.safestring import mark_safe


def _escaped(text) -> str:
    """``conditional_escape`` without its lazy-string wrapper (several calls a value, for every
    option): safe strings kept, anything else through the standard library's ``html.escape``,
    which is what Django's ``escape`` calls."""
    if hasattr(text, "__html__"):
        return text.__html__()
    return escape(str(text))


class InlineSelect(forms.Select):
    """A select of plain choices (no option groups: those go to Django's own rendering), with
    the selected option marked as Django marks it (the first option whose value matches)."""

    def render(self, name, value, attrs=None, renderer=None):
        if any(isinstance(label, (list, tuple)) for _, label in self.choices):
            return super().render(name, value, attrs, renderer)
        wanted = set(self.format_value(value))
        attrs = flatatt(self.build_attrs(self.attrs, attrs))
        parts = [f'<select name="{_escaped(name)}"{attrs}>']
        found = False
        for option_value, label in self.choices:
            option_value = "" if option_value is None else str(option_value)
            selected = not found and option_value in wanted
            found = found or selected
            parts.append(
                f'<option value="{_escaped(option_value)}"'
                f"{' selected' if selected else ''}>{_escaped(label)}</option>"
            )
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value and label is escaped above
