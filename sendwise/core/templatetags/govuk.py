"""Template helpers that render Django form fields with GOV.UK Frontend classes."""

from django import forms, template

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
