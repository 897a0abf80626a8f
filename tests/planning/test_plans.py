"""Support plans as the SENCO writes them: dates, outcomes with aimlines, doses, age ranges."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sendwise.core.access import actor_for
from sendwise.evidence.models import Measure
from sendwise.planning import services
from sendwise.planning.models import Placement, Plan
from tests.evidence.factories import InterventionFactory
from tests.queries import assert_database_query_count, capture_queries


@pytest.fixture
def senco(world):
    return actor_for(world.users["senco"])


@pytest.fixture
def plan(world, senco):
    return services.plan_create(
        actor=senco,
        pupil=world.pupil_in_class,
        start_date=date(2026, 9, 7),
        review_date=date(2026, 12, 11),
    )


def put_in_place(senco, plan):
    """A draft plan is put in place once it has an outcome."""
    services.outcome_add(actor=senco, plan=plan, text="Reads 60 words a minute by March")
    return services.plan_activate(actor=senco, plan=plan)


@pytest.fixture
def reading_measure(db):
    return Measure.objects.create(
        slug="wcpm",
        name="Words correct per minute",
        kind="curriculum_probe",
        scale_min=0,
        scale_max=250,
        higher_is_better=True,
    )


def test_a_review_date_before_the_start_is_refused(world, senco):
    with pytest.raises(ValidationError) as caught:
        services.plan_create(
            actor=senco,
            pupil=world.pupil_in_class,
            start_date=date(2026, 9, 7),
            review_date=date(2026, 9, 1),
        )
    assert caught.value.message_dict == {"review_date": [services.REVIEW_BEFORE_START]}
    assert not Plan.objects.exists()


def test_only_one_plan_is_open_at_a_time_and_a_review_opens_the_next_cycle(world, senco, plan):
    with pytest.raises(ValidationError):
        services.plan_create(
            actor=senco,
            pupil=world.pupil_in_class,
            start_date=date(2026, 12, 12),
            review_date=date(2027, 3, 1),
        )
    services.plan_review(
        actor=senco, plan=plan, reviewed_on=date(2026, 12, 11), summary="Good progress; continue"
    )
    nxt = services.plan_create(
        actor=senco,
        pupil=world.pupil_in_class,
        start_date=date(2026, 12, 12),
        review_date=date(2027, 3, 1),
    )
    assert (plan.cycle, nxt.cycle) == (1, 2)
    assert plan.history.first().history_change_reason == "Reviewed"


def test_an_aimline_target_outside_the_measures_range_is_refused(senco, plan, reading_measure):
    with pytest.raises(ValidationError) as caught:
        services.outcome_add(
            actor=senco,
            plan=plan,
            text="Read more fluently",
            measure=reading_measure,
            baseline=38,
            baseline_date=date(2026, 9, 7),
            target=400,
            target_date=date(2026, 12, 11),
        )
    assert caught.value.message_dict["target"] == [
        "The target must be between 0 and 250 on Words correct per minute"
    ]


def test_a_target_that_is_worse_than_the_baseline_is_refused(senco, plan, reading_measure):
    with pytest.raises(ValidationError) as caught:
        services.outcome_add(
            actor=senco,
            plan=plan,
            text="Read more fluently",
            measure=reading_measure,
            baseline=38,
            baseline_date=date(2026, 9, 7),
            target=30,
            target_date=date(2026, 12, 11),
        )
    assert "higher is better" in caught.value.message_dict["target"][0]


def test_a_goal_on_a_measure_needs_the_whole_aimline(senco, plan, reading_measure):
    with pytest.raises(ValidationError) as caught:
        services.outcome_add(
            actor=senco, plan=plan, text="Read more fluently", measure=reading_measure, baseline=38
        )
    assert caught.value.message_dict == {"measure": [services.AIMLINE_INCOMPLETE]}


def test_a_full_aimline_is_saved(senco, plan, reading_measure):
    outcome = services.outcome_add(
        actor=senco,
        plan=plan,
        text="Read 60 wcpm by December",
        measure=reading_measure,
        baseline=38,
        baseline_date=date(2026, 9, 7),
        target=60,
        target_date=date(2026, 12, 11),
    )
    assert outcome.has_aimline


def test_a_dose_of_zero_is_refused(senco, plan):
    with pytest.raises(ValidationError) as caught:
        services.placement_add(
            actor=senco, plan=plan, intervention=InterventionFactory(), sessions_per_week=0
        )
    assert caught.value.message_dict == {"sessions_per_week": [services.DOSE_ZERO]}
    assert not Placement.objects.exists()


def test_outside_the_age_range_needs_a_recorded_reason(senco, plan):
    reception = InterventionFactory(name="Early sounds", nc_year_min=0, nc_year_max=1)
    with pytest.raises(ValidationError) as caught:
        services.placement_add(actor=senco, plan=plan, intervention=reception)
    assert (
        "record why it is right for this pupil in Year 4"
        in caught.value.message_dict["outside_age_reason"][0]
    )
    placement = services.placement_add(
        actor=senco,
        plan=plan,
        intervention=reception,
        outside_age_reason="Working at Year 1 phonics; the programme suits that stage",
    )
    assert placement.outside_age_reason.startswith("Working at Year 1")


def test_the_dose_defaults_to_the_evaluated_one(senco, plan):
    placement = services.placement_add(
        actor=senco,
        plan=plan,
        intervention=InterventionFactory(sessions_per_week=3, minutes_per_session=20, weeks=10),
    )
    assert (placement.sessions_per_week, placement.minutes_per_session, placement.weeks) == (
        3,
        20,
        10,
    )


def test_another_schools_own_intervention_cannot_be_placed(world, senco, plan):
    theirs = InterventionFactory(school=world.other_school)
    with pytest.raises(ValidationError) as caught:
        services.placement_add(actor=senco, plan=plan, intervention=theirs)
    assert caught.value.message_dict == {"intervention": [services.INTERVENTION_UNKNOWN]}


def test_a_reviewed_plan_cannot_change(senco, plan):
    services.plan_review(actor=senco, plan=plan, reviewed_on=date(2026, 12, 11), summary="Done")
    with pytest.raises(ValidationError):
        services.outcome_add(actor=senco, plan=plan, text="Late addition")


def test_the_plans_page_shows_the_current_plan_and_past_cycles_to_the_parent(
    world, senco, plan, client_as
):
    services.plan_review(
        actor=senco, plan=plan, reviewed_on=date(2026, 12, 11), summary="Reading age up; keep going"
    )
    nxt = services.plan_create(
        actor=senco,
        pupil=world.pupil_in_class,
        start_date=date(2026, 12, 12),
        review_date=date(2027, 3, 1),
    )
    put_in_place(senco, nxt)
    html = (
        client_as("parent")
        .get(reverse("planning:plans", kwargs={"pupil_id": world.pupil_in_class.pk}))
        .content.decode()
    )
    assert html.index("Plan 2") < html.index("Plan 1")
    assert "Reading age up; keep going" in html
    assert "Start a new plan" not in html


def test_the_parent_reads_the_plans_without_the_staffs_reasons_or_cycle_words(
    world, senco, plan, client_as
):
    """The "Why" column holds the evidence reasoning written for staff ("studied, but without a
    result that can be pooled"); a parent reads the support and the goals, in words, and the
    table is one column narrower at phone width."""
    services.placement_add(
        actor=senco,
        plan=plan,
        intervention=InterventionFactory(name="Reading boost"),
        why_chosen="Pooled effect 0.3 in three trials",
    )
    services.outcome_add(actor=senco, plan=plan, text="Reads a Year 3 passage")
    services.plan_activate(actor=senco, plan=plan)  # parents see a plan once it is in place
    url = reverse("planning:plans", kwargs={"pupil_id": world.pupil_in_class.pk})
    parent = client_as("parent").get(url).content.decode()
    assert "Reading boost" in parent
    assert "Pooled effect 0.3" not in parent and ">Why<" not in parent
    assert "one cycle of assess, plan, do, review" not in parent
    senco_page = client_as("senco").get(url).content.decode()
    assert "Pooled effect 0.3" in senco_page and "one cycle of assess, plan, do" in senco_page


def test_the_new_plan_form_shows_errors_and_saves_nothing(world, client_as):
    url = reverse("planning:plan_new", kwargs={"pupil_id": world.pupil_in_class.pk})
    response = client_as("senco").post(
        url, {"start_date": "2026-09-07", "review_date": "2026-09-01"}
    )
    html = response.content.decode()
    assert "<title>Error: " in html and services.REVIEW_BEFORE_START in html
    assert not Plan.objects.exists()


def test_the_recommendations_page_ranks_matching_interventions_with_reasons(world, client_as, plan):
    InterventionFactory(
        name="Phonics catch-up",
        need_codes=["SPLD"],
        skills=["decoding"],
        nc_year_min=2,
        nc_year_max=5,
    )
    InterventionFactory(
        name="Sixth form study skills", need_codes=["SPLD"], nc_year_min=12, nc_year_max=13
    )
    html = (
        client_as("senco")
        .get(reverse("planning:recommendations", kwargs={"pupil_id": world.pupil_in_class.pk}))
        .content.decode()
    )
    assert "Phonics catch-up" in html and "Sixth form study skills" not in html
    assert "Add to plan" in html


def test_support_the_pupil_did_not_respond_to_is_ranked_lower_next_cycle_with_the_reason(
    world, senco, plan
):
    from sendwise.pages import recommend

    phonics = InterventionFactory(
        name="Phonics catch-up",
        need_codes=["SPLD"],
        skills=["decoding"],
        nc_year_min=2,
        nc_year_max=5,
    )
    other = InterventionFactory(
        name="Phonics boost", need_codes=["SPLD"], skills=["decoding"], nc_year_min=2, nc_year_max=5
    )
    placement = services.placement_add(actor=senco, plan=plan, intervention=phonics)
    services.plan_review(
        actor=senco,
        plan=plan,
        reviewed_on=date(2026, 12, 11),
        summary="No gain on the YARC",
        responses={placement.pk: "no_response"},
    )
    result = recommend.recommendations_for(actor=senco, pupil=world.pupil_in_class)
    names = [rec.candidate.name for rec, _sentence in result["targeted"]]
    assert names.index(other.name) < names.index(phonics.name)
    sentence = {rec.candidate.name: s for rec, s in result["targeted"]}[phonics.name]
    assert "no progress" in sentence.lower() or "little or no progress" in sentence.lower()


def test_a_response_for_a_placement_of_another_plan_is_refused(senco, plan, world):
    put_in_place(senco, plan)
    with pytest.raises(ValidationError):
        services.plan_review(
            actor=senco,
            plan=plan,
            reviewed_on=date(2026, 12, 11),
            summary="x",
            responses={999999: "responded"},
        )
    plan.refresh_from_db()
    assert plan.status == "active"


def test_the_review_page_asks_how_the_pupil_responded_to_each_placement(
    world, senco, plan, client_as
):
    placement = services.placement_add(
        actor=senco, plan=plan, intervention=InterventionFactory(name="Maths booster")
    )
    url = reverse(
        "planning:review", kwargs={"pupil_id": world.pupil_in_class.pk, "plan_id": plan.pk}
    )
    client = client_as("senco")
    assert "How did the pupil respond to Maths booster?" in client.get(url).content.decode()
    client.post(
        url,
        {
            "held_on": "2026-11-30",
            "attendee_name_0": "Sam Senco",
            "summary": "Good term",
            f"response_{placement.pk}": "responded",
            f"decision_{placement.pk}": "stop",
            "action": "complete",
        },
    )
    placement.refresh_from_db()
    assert placement.response == "responded"


def test_a_baseline_or_target_without_a_measure_is_refused(senco, plan):
    with pytest.raises(ValidationError) as caught:
        services.outcome_add(
            actor=senco, plan=plan, text="Read more", baseline=1e308, target=-1e308
        )
    assert caught.value.message_dict == {"measure": [services.MEASURE_REQUIRED]}


def test_the_teacher_sees_the_classroom_strategies_of_the_current_plan_on_the_pupil_page(
    world, senco, plan, client_as
):
    strategy = InterventionFactory(name="Visual timetable", kind="classroom_strategy")
    services.placement_add(actor=senco, plan=plan, intervention=strategy)
    put_in_place(senco, plan)
    html = (
        client_as("teacher")
        .get(reverse("pupils:detail", kwargs={"pupil_id": world.pupil_in_class.pk}))
        .content.decode()
    )
    assert "In lessons: classroom strategies" in html and "Visual timetable" in html


def test_the_plan_shows_which_group_the_pupil_is_in_and_when_with_fixed_queries(
    world, senco, plan, client_as
):
    from datetime import time

    from sendwise.delivery.models import Group, GroupMember, Slot

    url = reverse("planning:plans", kwargs={"pupil_id": world.pupil_in_class.pk})
    parent = client_as("parent")
    intervention = InterventionFactory(name="Phonics catch-up", nc_year_min=2, nc_year_max=6)
    placement = services.placement_add(actor=senco, plan=plan, intervention=intervention)
    put_in_place(senco, plan)
    with capture_queries() as before:
        parent.get(url)
    group = Group.objects.create(
        school=world.school,
        intervention=intervention,
        name="Tuesday readers",
        places=4,
        room="Library",
        deliverer=world.users["intervention_specialist"],
    )
    for day in (1, 3):
        Slot.objects.create(
            school=world.school, group=group, weekday=day, starts_at=time(9, 10), minutes=30
        )
    GroupMember.objects.create(
        school=world.school, group=group, placement=placement, joined_on=date(2026, 9, 14)
    )
    # The group's slots: a fixed number more, not one per row.
    with assert_database_query_count(len(before) + 2, at_most=True):
        html = parent.get(url).content.decode()
    assert "In Tuesday readers: Tuesday 09:10, Thursday 09:10, Library" in html


def test_an_outcome_can_be_the_goal_of_one_intervention_of_its_own_plan_only(
    world, senco, plan, client_as
):
    phonics = InterventionFactory(name="Phonics catch-up", nc_year_min=2, nc_year_max=6)
    placement = services.placement_add(actor=senco, plan=plan, intervention=phonics)
    url = reverse(
        "planning:outcome_add", kwargs={"pupil_id": world.pupil_in_class.pk, "plan_id": plan.pk}
    )
    form = client_as("senco").get(url).content.decode()
    assert "The goal of (optional)" in form and "Phonics catch-up" in form
    client_as("senco").post(url, {"text": "Read 40 words a minute", "placement": placement.pk})
    assert plan.outcomes.get().placement == placement

    other_pupil_plan = services.plan_create(
        actor=senco,
        pupil=world.pupil_elsewhere,
        start_date=date(2026, 9, 7),
        review_date=date(2026, 12, 11),
    )
    elsewhere = services.placement_add(actor=senco, plan=other_pupil_plan, intervention=phonics)
    with pytest.raises(ValidationError) as refused:
        services.outcome_add(actor=senco, plan=plan, text="x", placement=elsewhere)
    assert refused.value.message_dict == {"placement": [services.OUTCOME_PLACEMENT_OTHER_PLAN]}
    response = client_as("senco").post(url, {"text": "x", "placement": elsewhere.pk})
    assert "Choose an intervention of this plan" in response.content.decode()
    assert plan.outcomes.count() == 1


def test_the_plan_says_when_the_pupils_group_cannot_give_the_planned_dose(
    world, senco, plan, client_as
):
    from datetime import time
    from html import unescape

    from tests.delivery.factories import add_member, make_group

    intervention = InterventionFactory(name="Phonics catch-up", nc_year_min=2, nc_year_max=6)
    placement = services.placement_add(actor=senco, plan=plan, intervention=intervention)
    Placement.objects.filter(pk=placement.pk).update(sessions_per_week=3, minutes_per_session=30)
    group = make_group(
        world.school, intervention, name="Tuesday readers", slots=((1, time(9, 10), 20),)
    )
    add_member(group, placement)
    url = reverse("planning:plans", kwargs={"pupil_id": world.pupil_in_class.pk})
    page = unescape(client_as("senco").get(url).content.decode())
    assert (
        "Tuesday readers meets once a week for 20 minutes; Amara's plan asks for 3 sessions of "
        "30 minutes a week." in page
    )


def test_a_dose_that_is_not_a_whole_number_names_the_box_and_the_numbers_it_takes(
    world, plan, client_as
):
    intervention = InterventionFactory(name="Reading boost", nc_year_min=0, nc_year_max=13)
    url = reverse(
        "planning:placement_add",
        kwargs={"pupil_id": world.pupil_in_class.pk, "plan_id": plan.pk, "slug": intervention.slug},
    )
    data = {"sessions_per_week": "two", "minutes_per_session": "20.5", "weeks": "10"}
    page = client_as("senco").post(url, data).content.decode()
    assert "Sessions a week must be a whole number from 1 to 10" in page
    assert "Minutes a session must be a whole number from 5 to 180" in page
    assert "Enter a whole number." not in page
    assert not plan.placements.exists()
