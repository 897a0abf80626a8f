"""The provision map's chart: the costliest interventions as bars, saying so when not every
intervention fits, with no id repeated (a tester found 15 bars sharing each id)."""

import re

from sendwise.delivery.provision_chart import MOST_BARS, Bar, provision_chart_svg


def bars(n: int) -> tuple[Bar, ...]:
    return tuple(Bar(f"Programme {i:02d}", 100.0 * (i + 1), 10.0, 5.0) for i in range(n))


def test_a_chart_of_more_interventions_than_fit_says_it_draws_the_costliest():
    svg = provision_chart_svg(bars(MOST_BARS + 6), "2025/26")
    label = re.search(r'aria-label="([^"]*)"', svg).group(1)
    assert f"the {MOST_BARS} costliest of the {MOST_BARS + 6} interventions" in label
    assert "Programme 20" in svg and "Programme 05" not in svg  # the cheapest left out


def test_a_chart_with_room_for_all_names_each_intervention():
    svg = provision_chart_svg(bars(3), "2025/26")
    assert "the cost of each intervention" in re.search(r'aria-label="([^"]*)"', svg).group(1)
    assert "costliest" not in svg


def test_no_id_appears_twice_in_the_chart():
    ids = re.findall(r'\bid="([^"]+)"', provision_chart_svg(bars(MOST_BARS + 6), "2025/26"))
    assert len(ids) == len(set(ids))
