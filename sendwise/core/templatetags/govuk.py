"""Template helpers that render Django form fields with GOV.UK Frontend classes."""

from django import forms, template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()

WIDGET_CLASS = {
    forms.Select: "govuk-select",
    forms.Textarea: "govuk-textarea",
    forms.CheckboxInput: "govuk-checkboxes__input",
}


@register.simple_tag
def govuk_widget(field, extra_class: str = ""):
    """The field's widget with the GOV.UK class, error modifier and aria-describedby set."""
    base = next(
        (css for kind, css in WIDGET_CLASS.items() if isinstance(field.field.widget, kind)),
        "govuk-input",
    )
    classes = [base]
    described_by = []
    if field.help_text:
        described_by.append(f"{field.auto_id}-hint")
    if field.errors:
        if base != "govuk-checkboxes__input":
            classes.append(f"{base}--error")
        described_by.append(f"{field.auto_id}-error")
    if extra_class:
        classes.append(extra_class)
    attrs = {"class": " ".join(classes)}
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)


def _text(value) -> str:
    """A value as ``{{ value }}`` writes it in an HTML template: text, escaped unless safe."""
    return conditional_escape(str(value))


@register.simple_tag
def govuk_field(field, width: str = "", *, label_class: str = "", group_class: str = ""):
    """The GOV.UK form group of one field: what ``components/field.html`` writes (label, hint,
    errors, the widget through ``govuk_widget``), byte for byte, in Python.

    Usage: {% govuk_field form.q %} or {% govuk_field form.q "govuk-input--width-10"
    label_class="govuk-label--s" %}. A filter form's fields are drawn on every visit of the
    busiest lists; through the include each one cost a template render of its own (a new
    context, a dozen nodes): ADR 0024. A test compares the two for every kind of field."""
    errors = field.errors
    group = "govuk-form-group"
    if errors:
        group += " govuk-form-group--error"
    if group_class:
        group += f" {_text(group_class)}"
    label = f"govuk-label {_text(label_class)}" if label_class else "govuk-label"
    parts = [
        f'\n<div class="{group}">\n  <label class="{label}" for="{_text(field.id_for_label)}">'
        f"{_text(field.label)}</label>\n  "
    ]
    if field.help_text:
        parts.append(
            f'<div id="{_text(field.auto_id)}-hint" class="govuk-hint">{_text(field.help_text)}</div>'
        )
    parts.append("\n  ")
    if errors:
        shown = "<br>".join(
            f'<span class="govuk-visually-hidden">Error:</span> {_text(error)}' for error in errors
        )
        parts.append(
            f'<p id="{_text(field.auto_id)}-error" class="govuk-error-message">{shown}</p>'
        )
    parts.append("\n  ")
    parts.append(govuk_widget(field, width))
    parts.append("\n</div>\n")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


@register.simple_tag
def error_list(form):
    """Errors in the order the fields appear, each with the anchor of its field."""
    items = [{"href": "#main-content", "message": message} for message in form.non_field_errors()]
    for field in form:
        for message in field.errors:
            items.append({"href": f"#{field.id_for_label}", "message": message})
    return items


@register.simple_tag(takes_context=True)
def page_url(context, number):
    """The current query string with `page` set, for pagination links."""
    query = context.get("query", "")
    return f"?{query}&page={number}" if query else f"?page={number}"
