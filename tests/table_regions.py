"""Reading a page's data tables and the scrolling regions that hold them (the table_region tag).

Every data table sits in a region of its own, so at phone width (WCAG 1.4.10 Reflow) only the
table scrolls sideways, never the page; the region is named after its table, so two regions
with one name, or two tables under one name, could not be told apart by a screen reader.
``region_problems`` says what a page gets wrong; the authorization matrix
(tests/core/test_authorization.py) runs it on every page it is allowed to open, and the parser's
own tests are in tests/core/test_table_regions_on_pages.py.
"""

from html.parser import HTMLParser


class Tables(HTMLParser):
    """Each <table> of a page, whether a table region holds it, and how many tables each region
    holds. Only <div>s are tracked (they are always closed), which is all a region is."""

    def __init__(self):
        super().__init__()
        self.divs: list[int | None] = []  # open <div>s: the region's index, None for others
        self.tables: list[dict] = []
        self.regions: list[str] = []  # each region's name, in page order
        self.held: list[int] = []  # how many tables each region holds, in page order
        self._caption: dict | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "div":
            region = (
                "sw-table-scroll" in (attrs.get("class") or "").split()
                and attrs.get("role") == "region"
                and attrs.get("tabindex") == "0"
                and bool(attrs.get("aria-label"))
            )
            self.divs.append(len(self.regions) if region else None)
            if region:
                self.regions.append(attrs["aria-label"])
                self.held.append(0)
        elif tag == "table":
            inside = [index for index in self.divs if index is not None]
            self.tables.append({"in_region": bool(inside), "caption": ""})
            if inside:  # counted in the innermost region only
                self.held[inside[-1]] += 1
        elif tag == "caption" and self.tables:
            self._caption = self.tables[-1]

    def handle_endtag(self, tag):
        if tag == "div" and self.divs:
            self.divs.pop()
        elif tag == "caption":
            self._caption = None

    def handle_data(self, data):
        if self._caption is not None:
            self._caption["caption"] += data


def read(html: str) -> Tables:
    parser = Tables()
    parser.feed(html)
    parser.close()
    return parser


def tables_on(html: str) -> list[dict]:
    return read(html).tables


def region_problems(html: str) -> list[str]:
    """What is wrong with the page's tables and regions, in words ([] when nothing is)."""
    page = read(html)
    problems = []
    loose = [t["caption"].strip() for t in page.tables if not t["in_region"]]
    if loose:
        problems.append(f"tables outside a region: {loose}")
    # Each region is a landmark: two with one name could not be told apart (axe's
    # landmark-unique rule), so tables repeated on a page need captions that differ.
    if len(page.regions) != len(set(page.regions)):
        problems.append(f"regions share a name: {sorted(page.regions)}")
    # One table a region: the region is named after its table (and scrolls it alone), so a
    # second table inside would be announced under the first one's name.
    crowded = [(name, n) for name, n in zip(page.regions, page.held, strict=True) if n != 1]
    if crowded:
        problems.append(f"regions not holding exactly one table: {crowded}")
    return problems
