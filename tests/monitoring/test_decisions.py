"""The pupils who need a decision: who sees whom, the reason in one sentence, filters and sort,
the empty state, and a fixed number of queries."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from sendwise.core.access import actor_for
from sendwise.monitoring import decision_selectors, flag_services
from sendwise.planning.models import Plan
from tests.evidence.factories import InterventionFactory
from tests.factories import PupilFactory
from tests.monitoring.factories import not_responding
from tests.queries import assert_database_query_count, capture_queries

URL = reverse("decisions")
REASON = "The last 4 scores are all below the aimline: consider changing the support."


def judge(world):
    flag_services.flags_evaluate_school(school_id=world.school.pk)


def test_the_senco_sees_the_pupil_whose_scores_fall_below_the_aimline_with_the_reason(
    world, client_as
):
    not_responding(world.pupil_in_class)
    judge(world)
    page = client_as("senco").get(URL).content.decode()
    assert "Amara Ng" in page
    assert REASON in page
    assert reverse("pupils:detail", args=[world.pupil_in_class.pk]) in page
    assert "1 pupil</caption>" in page


def test_the_senco_home_page_links_to_the_pupils_who_need_a_decision(world, client_as):
    not_responding(world.pupil_in_class)
    judge(world)
    page = client_as("senco").get(reverse("home")).content.decode()
    assert "1 pupil needs a decision" in page
    assert f'href="{URL}"' in page


def test_one_row_a_pupil_with_every_reason(world, client_as):
    outcome = not_responding(world.pupil_in_class, weeks_ago=12)  # no score for 8 weeks too
    judge(world)
    page = client_as("senco").get(URL).content.decode()
    assert page.count("Amara Ng") == 1
    assert REASON in page
    assert "No score since" in page
    assert outcome.placement.intervention.name in page


@pytest.mark.parametrize("who", ["intervention_specialist", "teacher"])
def test_staff_in_a_class_see_only_the_pupils_they_may_see(world, client_as, who):
    not_responding(world.pupil_in_class)
    not_responding(world.pupil_elsewhere)
    judge(world)
    page = client_as(who).get(URL).content.decode()
    assert "Amara Ng" in page
    assert "Ben Ode" not in page


def test_another_schools_senco_sees_none_of_this_schools_pupils(world, client_as):
    not_responding(world.pupil_in_class)
    judge(world)
    page = client_as("other_school_senco").get(URL).content.decode()
    assert "Amara Ng" not in page
    assert "No pupil needs a decision right now" in page


def test_parents_never_see_the_page(world, client_as):
    not_responding(world.pupil_in_class)
    judge(world)
    assert client_as("parent").get(URL).status_code == 403


def test_an_empty_list_says_what_would_put_a_pupil_on_it(world, client_as):
    page = client_as("senco").get(URL).content.decode()
    assert "No pupil needs a decision right now" in page
    assert "Pupils with too few scores to tell are never listed" in page


def test_filters_by_reason_class_and_intervention(world, client_as):
    phonics = InterventionFactory(name="Phonics catch-up")
    not_responding(world.pupil_in_class, intervention=phonics)
    not_responding(world.pupil_elsewhere)
    judge(world)
    client = client_as("senco")
    by_class = client.get(URL, {"class_group": world.pupil_in_class.class_group_id})
    assert "Amara Ng" in by_class.content.decode()
    assert "Ben Ode" not in by_class.content.decode()
    by_intervention = client.get(URL, {"intervention": phonics.pk}).content.decode()
    assert ("Amara Ng" in by_intervention, "Ben Ode" in by_intervention) == (True, False)
    by_reason = client.get(URL, {"reason": "review_overdue"}).content.decode()
    assert "No pupil matches these filters" in by_reason


def test_sort_by_surname_and_by_class(world, client_as):
    not_responding(world.pupil_in_class)  # Amara Ng, 4 Ash
    not_responding(world.pupil_elsewhere)  # Ben Ode, 4 Birch
    zed = PupilFactory(school=world.school, first_name="Abe", last_name="Adams")
    not_responding(zed)
    judge(world)
    client = client_as("senco")
    by_name = client.get(URL, {"sort": "name"}).content.decode()
    assert by_name.index("Abe Adams") < by_name.index("Amara Ng") < by_name.index("Ben Ode")
    by_class = client.get(URL, {"sort": "class"}).content.decode()
    assert by_class.index("Amara Ng") < by_class.index("Ben Ode")


def test_waiting_longest_first_puts_the_longest_overdue_review_first_with_its_own_date(
    world, client_as
):
    """Amara: 4 flat scores in the 4 weeks after a start 6 weeks ago, so not responding since
    the fourth (2 weeks ago). Ben: same, started 7 weeks ago (3 weeks ago), and his review was
    due 40 days ago, so overdue since 39 days ago: he has waited longest."""
    today = timezone.localdate()
    not_responding(world.pupil_in_class, weeks_ago=6)
    ben = not_responding(world.pupil_elsewhere, weeks_ago=7)
    Plan.objects.filter(pk=ben.plan_id).update(review_date=today - timedelta(days=40))
    judge(world)
    page = client_as("senco").get(URL, {"sort": "waiting"}).content.decode()
    assert page.index("Ben Ode") < page.index("Amara Ng")
    overdue_since = today - timedelta(days=39)
    amara_since = today - timedelta(weeks=2)
    assert f"{overdue_since.day} {overdue_since:%b %Y}</time>" in page
    assert f"{amara_since.day} {amara_since:%b %Y}</time>" in page


@pytest.mark.parametrize(
    "query", [{"class_group": "x"}, {"intervention": "99999"}, {"reason": "<b>"}, {"sort": "id"}]
)
def test_bad_filter_values_are_refused_politely_not_with_a_500(world, client_as, query):
    not_responding(world.pupil_in_class)
    judge(world)
    response = client_as("senco").get(URL, query)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Choose an option from the list" in page
    assert "Amara Ng" in page  # the bad filter is ignored
    assert "<title>Error: " in page


def test_the_page_runs_the_same_queries_for_1_and_20_flagged_pupils(world, client_as):
    client = client_as("senco")
    not_responding(world.pupil_in_class)
    judge(world)
    client.get(URL)  # warm the session
    with capture_queries() as one_row:
        assert "1 pupil</caption>" in client.get(URL).content.decode()
    for n in range(19):
        not_responding(PupilFactory(school=world.school, last_name=f"P{n:02d}"))
    judge(world)
    with assert_database_query_count(one_row):
        assert "20 pupils</caption>" in client.get(URL).content.decode()


def test_a_long_list_is_paged_keeping_the_filters(world, client_as, monkeypatch):
    from sendwise.monitoring import views

    monkeypatch.setattr(views, "DECISIONS_PAGE_SIZE", 2)
    for pupil in (world.pupil_in_class, world.pupil_elsewhere, PupilFactory(school=world.school)):
        not_responding(pupil)
    judge(world)
    client = client_as("senco")
    first = client.get(URL, {"sort": "name"}).content.decode()
    assert "3 pupils" in first and "Showing 1 to 2" in first
    assert "sort=name&amp;page=2" in first
    second = client.get(URL, {"sort": "name", "page": 2}).content.decode()
    assert "Showing 3 to 3" in second
    assert client.get(URL, {"page": "x"}).status_code == 200


def test_the_pupils_page_says_why_a_decision_is_needed_to_staff_not_to_parents(world, client_as):
    not_responding(world.pupil_in_class)
    judge(world)
    address = reverse("pupils:detail", args=[world.pupil_in_class.pk])
    staff = client_as("senco").get(address).content.decode()
    assert "Needs a decision" in staff
    assert REASON in staff
    parent = client_as("parent").get(address).content.decode()
    assert "Needs a decision" not in parent
    assert "consider changing the support" not in parent


def test_the_flags_read_from_the_cursor_are_the_orms_values_with_their_time_zone(world):
    """``decision_flag_values`` reads the ORM's query straight from the cursor: the same rows,
    in the same order, with the date a decision has been needed since as an aware datetime
    equal to the one the ORM gives (a naive one would sort and show in the wrong zone)."""
    not_responding(world.pupil_in_class, weeks_ago=12)
    not_responding(world.pupil_elsewhere)
    judge(world)
    for who in ("senco", "teacher"):
        actor = actor_for(world.users[who])
        orm = list(
            decision_selectors.decision_flags(actor=actor)
            .order_by("pupil_id", "id")
            .values_list(*decision_selectors._FLAG_FIELDS)
        )
        flags = decision_selectors.decision_flag_values(actor=actor)
        assert orm and [tuple(f) for f in flags] == orm
        assert all(f.since.utcoffset() is not None for f in flags)


def test_someone_who_may_see_no_pupil_gets_no_flags_and_no_query(world):
    not_responding(world.pupil_in_class)
    judge(world)
    actor = actor_for(world.users["la_adviser"])
    with assert_database_query_count(0):
        assert decision_selectors.decision_flag_values(actor=actor) == []


FOR_OTHERS = (
    "The last 4 scores are all below the aimline: raise it with the SENCO, who can change the "
    "support, or bring it to the plan's review."
)


@pytest.mark.parametrize("who", ["intervention_specialist", "teacher", "head"])
def test_staff_who_cannot_change_a_plan_are_told_to_take_it_to_the_senco(world, client_as, who):
    """Only the SENCO changes a plan: a specialist, teacher or head reading the decision is
    asked to raise it with the SENCO or bring it to the review, not to change the support."""
    not_responding(world.pupil_in_class)
    judge(world)
    client = client_as(who)
    for address in (URL, reverse("pupils:detail", args=[world.pupil_in_class.pk])):
        page = client.get(address).content.decode()
        assert escape(FOR_OTHERS) in page, address
        assert "consider changing the support" not in page, address
    senco = client_as("senco").get(URL).content.decode()
    assert REASON in senco and "raise it with the SENCO" not in senco
