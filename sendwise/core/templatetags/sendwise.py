"""Small display helpers shared by templates."""

import html
import re

from django import template
from django.utils.html import format_html, strip_tags

from sendwise.core.roles import Role

register = template.Library()


@register.filter
def role_names(roles) -> str:
    """Roles held, in a stable order, as words: 'SENCO and teacher'."""
    names = [Role(role).label for role in sorted(roles)]
    names = [n if i == 0 or n == "SENCO" else n[0].lower() + n[1:] for i, n in enumerate(names)]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


@register.filter
def bar_width(count: int, total: int) -> int:
    """Percentage width of a bar in a simple bar chart (0 to 100)."""
    return round(100 * count / total) if total else 0


@register.filter
def score(value) -> str:
    """A score, starting score or goal as a person writes it: no trailing zeros (95, 5.5,
    12.25), at most two decimals; "" for none. One filter for every page and report, so the
    same score never reads "5.50" on one and "5.5" on another (a tester's finding)."""
    if value is None or value == "":
        return ""
    try:
        number = round(float(value), 2)
    except (TypeError, ValueError):
        return ""
    text = f"{number:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


@register.filter
def percent(share) -> str:
    """A share from 0 to 1 as a whole percentage ('83%'); 'suppressed' for None."""
    return "suppressed" if share is None else f"{round(100 * share)}%"


@register.filter
def school_year(year) -> str:
    """A school year named by the calendar year it starts in, written as everywhere else in
    SENDwise: 2026 -> '2026/27'."""
    try:
        start = int(year)
    except (TypeError, ValueError):
        return ""
    return f"{start}/{(start + 1) % 100:02d}"


CAPTION = re.compile(r"<caption\b[^>]*>(.*?)</caption>", re.DOTALL | re.IGNORECASE)


@register.tag
def table_region(parser, token):
    """A wide data table in its own scrolling box (WCAG 1.4.10 Reflow: at phone width the page
    does not scroll sideways, only the table does, inside the box). The box can take the
    keyboard focus, so it can be scrolled with the arrow keys, and it is a region named after
    the table's caption, so a screen reader says what the focus landed on.

    Usage: {% table_region %}<table class="govuk-table"><caption ...>…</caption>…</table>{% endtable_region %}
       or: {% table_region "Name for a table with no caption" %}…{% endtable_region %}
    """
    bits = token.split_contents()
    if len(bits) > 2:
        raise template.TemplateSyntaxError("table_region takes at most one argument, its name")
    label = parser.compile_filter(bits[1]) if len(bits) == 2 else None
    nodelist = parser.parse(("endtable_region",))
    parser.delete_first_token()
    return TableRegionNode(nodelist, label)


class TableRegionNode(template.Node):
    def __init__(self, nodelist, label):
        self.nodelist = nodelist
        self.label = label

    def render(self, context) -> str:
        inner = self.nodelist.render(context)
        if self.label is not None:
            name = str(self.label.resolve(context))
        else:
            caption = CAPTION.search(inner)
            if caption is None:
                raise template.TemplateSyntaxError(
                    "table_region needs a table with a <caption>, or a name as its argument"
                )
            # The caption's words as the reader hears them: tags gone, spaces collapsed.
            name = " ".join(html.unescape(strip_tags(caption.group(1))).split())
        return format_html(
            '<div class="sw-table-scroll" tabindex="0" role="region" aria-label="{}">{}</div>',
            name,
            inner,  # safe already: the table as the template rendered (and escaped) it
        )
