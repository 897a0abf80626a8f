"""Scores for a group at once: one measure, one date, a row a pupil; blank rows skipped; every
entered row saved or none; names hidden where the reader may not see the pupil; a fixed number
of queries whatever the size of the group."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from sendwise.core.access import actor_for
from sendwise.core.models import AuditEntry
from sendwise.delivery.models import GroupMember
from sendwise.monitoring import group_services, services
from sendwise.monitoring.group_services import RowInput
from sendwise.monitoring.models import Score
from sendwise.planning.models import Outcome
from sendwise.pupils.selectors import PUPIL_NOT_SHOWN
from tests.delivery.factories import add_member, on_plan, running_group
from tests.factories import PupilFactory
from tests.queries import assert_database_query_count, capture_queries

TODAY = timezone.localdate


@pytest.fixture
def specialist(world):
    return actor_for(world.users["intervention_specialist"])


@pytest.fixture
def group_of_three(world):
    """The specialist's reading group: Amara (in their class) and two more pupils."""
    return running_group(world, pupils=3)


def enter(actor, group, members, values, measure, taken_on=None):
    return group_services.group_scores_add(
        actor=actor,
        group=group,
        measure=measure,
        taken_on=taken_on or TODAY(),
        rows=[RowInput(m.pk, v) for m, v in zip(members, values, strict=True)],
    )


def test_the_entered_rows_are_saved_and_blank_rows_skipped(
    world, specialist, group_of_three, standardised
):
    group, members = group_of_three
    saved = enter(specialist, group, members, [84, None, 101], standardised)
    assert len(saved) == 2
    scores = Score.objects.order_by("value")
    assert [(s.pupil_id, s.value) for s in scores] == [
        (members[0].placement.plan.pupil_id, 84),
        (members[2].placement.plan.pupil_id, 101),
    ]
    assert {s.entered_by for s in scores} == {world.users["intervention_specialist"]}
    assert all(s.history.count() == 1 for s in scores)
    assert AuditEntry.objects.filter(action="create", object_type="pupil").count() == 2


def test_one_row_out_of_range_saves_nothing_and_says_which_row(
    specialist, group_of_three, standardised
):
    group, members = group_of_three
    with pytest.raises(ValidationError) as caught:
        enter(specialist, group, members, [84, 999, 95], standardised)
    assert caught.value.message_dict == {
        f"member_{members[1].pk}": [
            "The score must be between 70 and 130 on Reading comprehension (standardised)"
        ]
    }
    assert not Score.objects.exists()


def test_a_date_before_one_pupil_was_born_is_that_rows_error(
    specialist, group_of_three, standardised
):
    group, members = group_of_three
    young = members[2].placement.plan.pupil
    young.date_of_birth = TODAY() - timedelta(days=30)
    young.save()
    with pytest.raises(ValidationError) as caught:
        enter(specialist, group, members, [84, 90, 95], standardised, TODAY() - timedelta(days=60))
    assert caught.value.message_dict == {f"member_{members[2].pk}": [services.SCORE_BEFORE_BIRTH]}
    assert not Score.objects.exists()


@pytest.mark.parametrize(
    ("days_ago", "message"),
    [(-1, services.SCORE_IN_FUTURE), (365 * 6, services.SCORE_TOO_OLD)],
)
def test_a_date_in_the_future_or_implausibly_old_is_refused(
    specialist, group_of_three, standardised, days_ago, message
):
    group, members = group_of_three
    with pytest.raises(ValidationError) as caught:
        enter(specialist, group, members, [84, 90, 95], standardised, TODAY() - timedelta(days_ago))
    assert caught.value.message_dict == {"taken_on": [message]}
    assert not Score.objects.exists()


def test_nothing_entered_is_refused(specialist, group_of_three, standardised):
    group, members = group_of_three
    with pytest.raises(ValidationError) as caught:
        enter(specialist, group, members, [None, None, None], standardised)
    assert caught.value.message_dict == {"scores": [group_services.NOTHING_ENTERED]}


def test_a_score_for_a_pupil_not_in_the_group_saves_nothing(
    world, specialist, group_of_three, standardised
):
    group, members = group_of_three
    _other, others = running_group(world, pupils=2, name="Other group")
    left = members[2]
    left.left_on = TODAY()
    left.save()
    for stranger in (others[1], left):
        with pytest.raises(ValidationError) as caught:
            enter(specialist, group, [members[0], stranger], [84, 90], standardised)
        assert caught.value.message_dict == {"scores": [group_services.NOT_IN_GROUP]}
    assert not Score.objects.exists()


def test_a_score_already_recorded_for_that_day_is_not_entered_twice(
    specialist, group_of_three, standardised
):
    group, members = group_of_three
    enter(specialist, group, members, [84, None, None], standardised)
    with pytest.raises(ValidationError) as caught:
        enter(specialist, group, members, [84, 90, None], standardised)
    assert list(caught.value.message_dict) == [f"member_{members[0].pk}"]
    assert Score.objects.count() == 1


def test_only_whoever_runs_the_group_or_the_senco_enters_its_scores(
    world, group_of_three, standardised
):
    group, members = group_of_three
    for who in ("teacher", "head"):
        with pytest.raises(PermissionDenied):
            enter(actor_for(world.users[who]), group, members, [84, 90, 95], standardised)
    enter(actor_for(world.users["senco"]), group, members, [84, 90, 95], standardised)
    assert Score.objects.count() == 3


def unseen_member(world, group):
    """A member whose access row is missing (so the runner may not see them): written directly,
    as drift would leave it."""
    pupil = PupilFactory(school=world.school, first_name="Hidden", last_name="Zz")
    return GroupMember.objects.create(
        school=world.school,
        group=group,
        placement=on_plan(pupil, group.intervention),
        joined_on=TODAY() - timedelta(days=3),
    )


def test_a_pupil_the_runner_may_not_see_cannot_be_given_a_score(
    world, specialist, group_of_three, standardised
):
    group, members = group_of_three
    hidden = unseen_member(world, group)
    with pytest.raises(ValidationError) as caught:
        enter(specialist, group, [members[0], hidden], [84, 90], standardised)
    assert caught.value.message_dict == {"scores": [group_services.NOT_IN_GROUP]}
    assert not Score.objects.exists()


# --- The page ---------------------------------------------------------------------------------
def url(group, measure=None):
    address = reverse("group_scores:enter", kwargs={"group_id": group.pk})
    return f"{address}?measure={measure.pk}" if measure else address


def goal_on(measure, member):
    return Outcome.objects.create(
        school=member.school,
        plan=member.placement.plan,
        placement=member.placement,
        text="Read with understanding",
        measure=measure,
    )


def test_the_page_defaults_to_the_measure_of_the_members_goals_and_shows_last_scores(
    world, client_as, specialist, group_of_three, standardised, open_ended
):
    group, members = group_of_three
    for member in members:
        goal_on(standardised, member)
    goal_on(open_ended, members[0])
    services.score_add(
        actor=specialist,
        pupil=members[0].placement.plan.pupil,
        measure=standardised,
        value=82,
        taken_on=date_ago(40),
    )
    page = client_as("intervention_specialist").get(url(group)).content.decode()
    assert f'<option value="{standardised.pk}" selected>' in page
    assert "The measure the pupils' goals for this group are on" in page
    assert f"Last score 82 on {date_ago(40):%-d %b %Y}" in page
    assert "No score on this measure yet" in page
    assert "Allowed: from 70 to 130" in page
    assert "Amara Ng" in page


def date_ago(days):
    return TODAY() - timedelta(days=days)


def test_posting_saves_every_row_or_none_and_keeps_what_was_typed(
    client_as, group_of_three, standardised
):
    group, members = group_of_three
    client = client_as("intervention_specialist")
    data = {
        "measure": standardised.pk,
        "taken_on": str(TODAY()),
        f"member_{members[0].pk}": "84",
        f"member_{members[1].pk}": "999",
        f"member_{members[2].pk}": "ninety",
    }
    page = client.post(url(group), data).content.decode()
    assert "<title>Error: " in page
    # Every row's problem at once: the box that is not a number, and the one out of range.
    third = members[2].placement.plan.pupil.full_name
    assert f"{third}: Enter the score as a number, like 85 or 12.5" in page
    second = members[1].placement.plan.pupil.full_name
    assert f"{second}: The score must be between 70 and 130" in page
    assert f'href="#id_member_{members[1].pk}"' in page  # the summary links to the row
    assert 'value="84"' in page and 'value="999"' in page and 'value="ninety"' in page
    data[f"member_{members[2].pk}"] = "95"
    page = client.post(url(group), data).content.decode()
    assert f"{second}: The score must be between 70 and 130" in page
    assert "Enter the score as a number" not in page
    assert not Score.objects.exists()
    data[f"member_{members[1].pk}"], data[f"member_{members[2].pk}"] = "99", ""
    response = client.post(url(group), data)
    assert response.status_code == 302
    assert response["Location"] == url(group, standardised)
    assert sorted(Score.objects.values_list("value", flat=True)) == [84, 99]


def test_names_the_reader_may_not_see_are_hidden(world, client_as, group_of_three, standardised):
    group, _members = group_of_three
    unseen_member(world, group)
    page = client_as("intervention_specialist").get(url(group, standardised)).content.decode()
    assert "Hidden" not in page
    assert "1 pupil in this group is not shown" in page
    assert page.count('inputmode="decimal"') == 3  # a box for each pupil shown, none for them


def test_the_group_page_and_the_register_link_to_the_scores_page(client_as, group_of_three):
    group, _ = group_of_three
    client = client_as("intervention_specialist")
    detail = client.get(reverse("delivery:group_detail", args=[group.pk])).content.decode()
    assert url(group) in detail
    register = reverse("delivery:register", args=[group.pk, TODAY().isoformat()])
    assert url(group) in client.get(register).content.decode()
    # The head reads the register but does not enter scores: no link.
    assert url(group) not in client_as("head").get(register).content.decode()


def test_the_page_runs_the_same_queries_for_1_6_and_20_members(
    world, client_as, specialist, standardised
):
    group, members = running_group(world, pupils=1)
    client = client_as("intervention_specialist")

    def grow_to(n):
        while len(members) < n:
            pupil = PupilFactory(school=world.school, last_name=f"Q{len(members):02d}")
            member = add_member(group, on_plan(pupil, group.intervention), joined_on=date_ago(10))
            goal_on(standardised, member)
            services.score_add(
                actor=specialist, pupil=pupil, measure=standardised, value=90, taken_on=date_ago(5)
            )
            members.append(member)

    goal_on(standardised, members[0])
    client.get(url(group))  # warm the session
    with capture_queries() as one:
        client.get(url(group))
    for size in (6, 20):
        grow_to(size)
        with assert_database_query_count(one, info=f"{size} members"):
            page = client.get(url(group))
        assert page.content.decode().count('inputmode="decimal"') == size


def test_an_empty_group_says_so(world, client_as, standardised):
    from tests.delivery.factories import make_group
    from tests.evidence.factories import InterventionFactory

    group = make_group(
        world.school, InterventionFactory(), deliverer=world.users["intervention_specialist"]
    )
    page = client_as("intervention_specialist").get(url(group)).content.decode()
    assert "No pupil is in this group yet" in page


def test_not_shown_label_is_the_pupils_app_one():
    assert PUPIL_NOT_SHOWN  # the label used for hidden names comes from pupils.selectors


def test_a_goal_in_a_members_plan_that_names_no_intervention_still_picks_the_measure(
    world, client_as, group_of_three, standardised
):
    """The tester's TOWRE goal was set on the plan, not tied to the group's intervention."""
    group, members = group_of_three
    Outcome.objects.create(
        school=members[0].school,
        plan=members[0].placement.plan,
        text="Reads more words correctly in a minute",
        measure=standardised,
    )
    page = client_as("intervention_specialist").get(url(group)).content.decode()
    assert f'<option value="{standardised.pk}" selected>' in page
    assert "The measure the pupils' goals for this group are on" in page
    assert "name no measure" not in page


def test_the_scores_page_goes_back_to_the_group_and_names_it_once(world, client_as, group_of_three):
    group, _members = group_of_three
    group.name = f"{group.intervention.name} (A)"
    group.save()
    page = client_as("intervention_specialist").get(url(group)).content.decode()
    back = reverse("delivery:group_detail", args=[group.pk])
    assert f'<a href="{back}" class="govuk-back-link">Back to {group.name}</a>' in page
    assert f"{group.name} – {group.intervention.name}" not in page


def test_a_score_typed_as_1e2_or_60_digits_gets_the_pupils_name_as_written_and_the_range(
    client_as, group_of_three, standardised
):
    """The tester typed "1e2" for one pupil and 60 nines for another on a 70-130 measure."""
    group, members = group_of_three
    first = members[0].placement.plan.pupil.full_name
    second = members[1].placement.plan.pupil.full_name
    data = {
        "measure": standardised.pk,
        "taken_on": str(TODAY()),
        f"member_{members[0].pk}": "1e2",
        f"member_{members[1].pk}": "9" * 60,
    }
    page = client_as("intervention_specialist").post(url(group), data).content.decode()
    assert (
        f"{first}: Enter the score as an ordinary number, like 100 or 12.5: a number with an e "
        "in it (such as 1e2) is not accepted"
    ) in page
    assert first.lower() not in page.replace(first, "")
    assert f"{second}: The score must be between 70 and 130 on {standardised.name}" in page
    assert "1,000,000" not in page
    assert not Score.objects.exists()
