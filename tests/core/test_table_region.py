"""The table_region tag: a wide table's scrolling box, focusable and named by the caption."""

import pytest
from django.template import Context, Template, TemplateSyntaxError


def render(source: str, **context) -> str:
    return Template("{% load sendwise %}" + source).render(Context(context))


def test_the_region_is_named_by_the_tables_caption_as_a_reader_hears_it():
    html = render(
        "{% table_region %}<table><caption class='govuk-table__caption'>\n  {{ n }} pupils"
        " <span>in Year&nbsp;7</span> &amp; 8\n</caption><tr><td>x</td></tr></table>"
        "{% endtable_region %}",
        n=12,
    )
    # Tags dropped, entities read, and runs of spaces (a non-breaking one too) made one space.
    assert html.startswith(
        '<div class="sw-table-scroll" tabindex="0" role="region" '
        'aria-label="12 pupils in Year 7 &amp; 8">'
    )
    assert html.endswith("<tr><td>x</td></tr></table></div>")


def test_the_caption_and_cells_stay_escaped_and_a_caption_cannot_break_out_of_the_name():
    html = render(
        "{% table_region %}<table><caption>{{ words }}</caption></table>{% endtable_region %}",
        words='Say "hi" <b>',
    )
    assert 'aria-label="Say &quot;hi&quot; &lt;b&gt;"' in html
    assert "<caption>Say &quot;hi&quot; &lt;b&gt;</caption>" in html


def test_a_table_with_no_caption_takes_the_name_given():
    html = render(
        "{% table_region name %}<table><tr><td>1</td></tr></table>{% endtable_region %}",
        name="What they received",
    )
    assert 'role="region" aria-label="What they received"' in html


def test_a_table_with_neither_a_caption_nor_a_name_is_refused():
    with pytest.raises(TemplateSyntaxError, match="caption"):
        render("{% table_region %}<table><tr><td>1</td></tr></table>{% endtable_region %}")
