"""On the school's impact list a measure is one line, whatever the number of terms its
results fall in: a term where nobody had a later score yet used to be a second line for the
same measure with "0 pupils" (a tester's finding, all years, Fast ForWord)."""

from django.urls import reverse

from sendwise.core.access import actor_for
from sendwise.evidence.models import Measure
from sendwise.impact.school_selectors import school_impact
from tests.evidence.factories import InterventionFactory
from tests.impact.factories import aggregate


def measure(slug, name):
    return Measure.objects.create(
        slug=slug, name=name, kind="standardised", mean=100, sd=15, higher_is_better=True
    )


def test_a_measure_with_results_in_two_terms_is_one_line_and_unscored_measures_are_named(
    world, client_as
):
    programme = InterventionFactory(name="Fast ForWord")
    celf, towre = measure("celf", "CELF-5UK"), measure("towre", "TOWRE")
    # Autumn: five pupils scored before and after; spring: three with no later score yet.
    aggregate(school=world.school, intervention=programme, measure=celf,
              gains=[0.2, 0.4, 0.0, 0.6, 0.8], term="autumn")  # fmt: skip
    aggregate(school=world.school, intervention=programme, measure=celf, unscored=3,
              term="spring", gain_kind="")  # fmt: skip
    aggregate(school=world.school, intervention=programme, measure=towre, unscored=2,
              term="spring", gain_kind="")  # fmt: skip
    (item,) = school_impact(actor=actor_for(world.users["senco"]))
    assert [(m.name, m.sums.placements, m.sums.scored) for m in item.measures] == [
        ("CELF-5UK", 8, 5),
        ("TOWRE", 2, 0),
    ]
    html = client_as("senco").get(reverse("impact:school")).content.decode()
    assert html.count("<strong>CELF-5UK</strong>") == 1
    assert "<strong>TOWRE</strong>" not in html
    assert "0 pupils with scores before and after" not in html
    assert "No pupil has a starting and a later score yet on TOWRE." in html
