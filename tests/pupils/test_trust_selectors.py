"""The adviser's home counts each school's pupils on roll, at SEN support and with an EHC plan,
suppresses counts of 1 to 4 in the selector itself, and runs the same number of queries however
many schools and pupils the authority has (pupils.trust_selectors)."""

from django.urls import reverse
from django.utils import timezone

from sendwise.core.access import actor_for
from sendwise.pupils.trust_selectors import trust_schools
from tests.factories import PupilFactory, SchoolFactory
from tests.queries import assert_database_query_count, capture_queries


def test_the_adviser_selector_itself_suppresses_small_counts(world):
    totals = {t.name: t for t in trust_schools(actor=actor_for(world.users["la_adviser"]))}
    assert totals["Alpha Primary"].sen_support == "fewer than 5"  # 2 pupils
    assert totals["Beta Primary"].ehc_plan == "0"


def test_counts_are_by_provision_and_leave_out_archived_pupils(world):
    # Beta Primary: Cara (SEN support) and, added here, 5 with EHC plans, 6 with no SEN and
    # one archived pupil at SEN support, who has left and is not counted.
    for _ in range(5):
        PupilFactory(school=world.other_school, sen_provision="E")
    for _ in range(6):
        PupilFactory(school=world.other_school, sen_provision="N", primary_need="")
    PupilFactory(school=world.other_school, archived_at=timezone.now())
    beta = {t.name: t for t in trust_schools(actor=actor_for(world.users["la_adviser"]))}[
        "Beta Primary"
    ]
    assert (beta.on_roll, beta.sen_support, beta.ehc_plan) == ("12", "fewer than 5", "5")


def test_the_advisers_home_runs_the_same_queries_for_two_schools_as_for_twelve(world, client_as):
    client = client_as("la_adviser")
    client.get(reverse("home"))  # warm the session
    with capture_queries() as two_schools:
        assert client.get(reverse("home")).status_code == 200
    for n in range(10):
        school = SchoolFactory(name=f"Gamma {n}", trust=world.school.trust)
        PupilFactory(school=school, sen_provision="E")
        PupilFactory(school=school)
    with assert_database_query_count(two_schools, info="twelve schools, against two"):
        html = client.get(reverse("home")).content.decode()
    assert "Gamma 9" in html
