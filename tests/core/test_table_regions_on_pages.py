"""Every data table on a page sits in its own scrolling region (the table_region tag), so at
phone width (WCAG 1.4.10 Reflow) only the table scrolls sideways, never the page.

The browser test (tests/browser/test_reflow.py) measures a few pages at 390 px. Its fast partner
is the authorization matrix (tests/core/test_authorization.py, ``check_tables``): every page it
is allowed to open, as every role allowed, is read with ``tests.table_regions.region_problems``,
and the pages a tester found unwrapped must show a table. A table added to any template without
the tag, or beside another table in one region, fails there. This module checks the parser
itself, so that a page read wrongly cannot pass.
"""

from tests.table_regions import read, region_problems, tables_on

REGION = '<div class="sw-table-scroll" tabindex="0" role="region" aria-label="{}">'


def test_the_parser_finds_a_table_outside_a_region_and_one_inside():
    html = (
        '<main><table><caption>Loose</caption></table><div class="sw-table-scroll" tabindex="0"'
        ' role="region" aria-label="Held"><p>Words<table><caption>Held</caption></table></div>'
        '<div class="other"><table><caption>Also loose</caption></table></div></main>'
    )
    assert [(t["caption"], t["in_region"]) for t in tables_on(html)] == [
        ("Loose", False),
        ("Held", True),
        ("Also loose", False),
    ]
    assert read(html).held == [1]
    assert region_problems(html) == ["tables outside a region: ['Loose', 'Also loose']"]


def test_the_parser_counts_two_tables_in_one_region_and_a_nested_region_apart():
    html = (
        REGION.format("Both") + "<table><caption>One</caption></table>"
        "<div><table><caption>Two</caption></table></div></div>"
        + REGION.format("Outer")
        + REGION.format("Inner")
        + "<table><caption>Three</caption></table></div></div>"
    )
    page = read(html)
    assert page.regions == ["Both", "Outer", "Inner"]
    assert page.held == [2, 0, 1]
    assert region_problems(html) == [
        "regions not holding exactly one table: [('Both', 2), ('Outer', 0)]"
    ]


def test_a_page_whose_tables_each_have_a_region_of_their_own_has_no_problem():
    html = (
        REGION.format("Costs") + "<table><caption>Costs</caption></table></div>"
        "<p>Between</p>" + REGION.format("Who pays") + "<table><caption>Who pays</caption></table>"
        "</div>"
    )
    assert region_problems(html) == []
    assert region_problems(html.replace("Who pays", "Costs")) == [
        "regions share a name: ['Costs', 'Costs']"
    ]
