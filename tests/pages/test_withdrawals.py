"""Outcomes and placements entered by mistake are withdrawn with a reason: kept on record with
their history, counted nowhere after, and a withdrawn placement's pupil leaves its groups (the
delivery service's own "left the group") and is no longer seen through it."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from sendwise.core.access import actor_for
from sendwise.core.models import AuditEntry
from sendwise.delivery.models import GroupMember
from sendwise.pages import services as page_services
from sendwise.planning import selectors, withdraw_services
from sendwise.planning.models import Outcome, Placement
from sendwise.pupils.models import PupilAccess
from tests.delivery.factories import running_group
from tests.evidence.factories import InterventionFactory


@pytest.fixture
def senco(world):
    return actor_for(world.users["senco"])


@pytest.fixture
def standardised(db):
    from sendwise.evidence.models import Measure

    return Measure.objects.create(
        slug="reading-standardised",
        name="Reading comprehension (standardised)",
        kind="standardised",
        scale_min=70,
        scale_max=130,
        mean=100,
        sd=15,
        higher_is_better=True,
    )


@pytest.fixture
def grouped(world):
    """Amara's placement in the specialist's reading group, with a named deliverer."""
    group, members = running_group(world, pupils=1)
    placement = members[0].placement
    placement.deliverer = world.users["teacher"]
    placement.save()
    PupilAccess.objects.create(
        school=world.school,
        pupil=world.pupil_in_class,
        user=world.users["teacher"],
        basis=PupilAccess.Basis.NAMED_DELIVERER,
        source_id=placement.pk,
        starts_at=timezone.now(),
    )
    return group, members[0], placement


def test_a_withdrawn_placement_leaves_its_group_and_its_named_deliverer_loses_access(
    world, senco, grouped
):
    _group, member, placement = grouped
    page_services.placement_withdraw(actor=senco, placement=placement, reason="Wrong pupil")
    placement.refresh_from_db()
    assert placement.withdrawn_reason == "Wrong pupil"
    assert placement.withdrawn_by == world.users["senco"]
    assert GroupMember.objects.get(pk=member.pk).left_on == timezone.localdate()
    open_rows = PupilAccess.objects.filter(source_id__in=[placement.pk, member.pk], ends_at=None)
    assert not open_rows.filter(basis__in=["named_deliverer", "group_deliverer"]).exists()
    assert list(Placement.objects.current().filter(pk=placement.pk)) == []
    assert selectors.current_support(pupil=world.pupil_in_class)["interventions"] == []
    assert placement.history.first().history_change_reason == "Withdrawn: Wrong pupil"
    details = list(AuditEntry.objects.values_list("detail", flat=True))
    assert any(d.startswith("Withdrew Reading recovery from plan 1: Wrong pupil") for d in details)
    assert any(d.endswith("left") for d in details)


def test_a_withdrawn_placement_can_be_added_again_and_is_not_on_the_plans_page(
    world, senco, client_as, grouped
):
    _, _, placement = grouped
    page_services.placement_withdraw(actor=senco, placement=placement, reason="Wrong dose")
    again = Placement.objects.create(
        school=world.school, plan=placement.plan, intervention=placement.intervention
    )
    plans = selectors.plans_for_pupil(pupil=world.pupil_in_class)
    assert [p.pk for p in plans[0].placements.all()] == [again.pk]


@pytest.mark.parametrize(
    ("reason", "message"),
    [("", withdraw_services.REASON_REQUIRED), ("x" * 301, withdraw_services.REASON_TOO_LONG)],
)
def test_a_withdrawal_needs_a_short_reason_and_changes_nothing_without_one(
    senco, grouped, reason, message
):
    _, member, placement = grouped
    with pytest.raises(ValidationError) as caught:
        page_services.placement_withdraw(actor=senco, placement=placement, reason=reason)
    assert caught.value.message_dict == {"reason": [message]}
    assert Placement.objects.current().filter(pk=placement.pk).exists()
    assert GroupMember.objects.get(pk=member.pk).left_on is None


def test_an_outcome_is_withdrawn_once_and_then_counts_nowhere(world, senco, grouped):
    _, _, placement = grouped
    outcome = Outcome.objects.create(
        school=world.school, plan=placement.plan, text="Reads with confidence"
    )
    withdraw_services.outcome_withdraw(actor=senco, outcome=outcome, reason="Duplicate")
    assert list(Outcome.objects.current()) == []
    assert list(selectors.plans_for_pupil(pupil=world.pupil_in_class)[0].outcomes.all()) == []
    with pytest.raises(ValidationError) as caught:
        withdraw_services.outcome_withdraw(actor=senco, outcome=outcome, reason="Again")
    assert caught.value.messages[0].startswith("This was already withdrawn on")
    assert Outcome.objects.get(pk=outcome.pk).withdrawn_reason == "Duplicate"


def test_a_withdrawn_placement_cannot_be_an_outcomes_goal(world, senco, grouped):
    from sendwise.planning import services

    _, _, placement = grouped
    page_services.placement_withdraw(actor=senco, placement=placement, reason="Wrong pupil")
    with pytest.raises(ValidationError) as caught:
        services.outcome_add(
            actor=senco, plan=placement.plan, text="Reads more", placement=placement
        )
    assert "placement" in caught.value.message_dict


def test_the_senco_withdraws_an_outcome_and_a_placement_through_the_plans_page(
    world, client_as, grouped
):
    _, member, placement = grouped
    outcome = Outcome.objects.create(school=world.school, plan=placement.plan, text="Reads")
    client = client_as("senco")
    plans_url = reverse("planning:plans", args=[world.pupil_in_class.pk])
    page = client.get(plans_url).content.decode()
    outcome_url = reverse(
        "planning:outcome_withdraw", args=[world.pupil_in_class.pk, placement.plan_id, outcome.pk]
    )
    placement_url = reverse(
        "planning:placement_withdraw",
        args=[world.pupil_in_class.pk, placement.plan_id, placement.pk],
    )
    assert outcome_url in page and placement_url in page
    empty = client.post(placement_url, {"reason": ""}).content.decode()
    assert "<title>Error: " in empty and "Say why it is being withdrawn" in empty
    assert client.post(outcome_url, {"reason": "Typed twice"}).status_code == 302
    assert client.post(placement_url, {"reason": "Wrong pupil"}).status_code == 302
    assert GroupMember.objects.get(pk=member.pk).left_on is not None
    page = client.get(plans_url).content.decode()
    assert outcome_url not in page and placement_url not in page
    assert "Withdrawn from plan 1" in page
    assert "Typed twice" in page and "Wrong pupil" in page


def test_a_withdrawn_placement_no_longer_counts_in_the_schools_results(world, senco):
    from sendwise.impact.selectors import practice_records
    from tests.delivery.factories import add_member, make_group, on_plan

    intervention = InterventionFactory()
    placement = on_plan(world.pupil_in_class, intervention, start=date(2026, 1, 5))
    # Placed in a group for it (a pupil still waiting counts in no result).
    add_member(make_group(world.school, intervention), placement, joined_on=date(2026, 1, 5))
    assert len(practice_records(actor=senco, intervention=intervention)) == 1
    withdraw_services.placement_withdraw(actor=senco, placement=placement, reason="Not given")
    assert practice_records(actor=senco, intervention=intervention) == []


def test_a_withdrawn_score_no_longer_counts_in_the_schools_results(world, senco, standardised):
    from sendwise.impact.selectors import practice_records
    from sendwise.monitoring import correction_services, services
    from tests.delivery.factories import add_member, make_group, on_plan

    intervention = InterventionFactory()
    placement = on_plan(world.pupil_in_class, intervention, start=date(2026, 1, 5))
    add_member(make_group(world.school, intervention), placement, joined_on=date(2026, 1, 5))
    Outcome.objects.create(
        school=world.school,
        plan=placement.plan,
        placement=placement,
        text="Reads with understanding",
        measure=standardised,
        baseline=80,
        baseline_date=date(2026, 1, 5),
        target=95,
        target_date=date(2026, 7, 1),
    )
    score = services.score_add(
        actor=senco,
        pupil=world.pupil_in_class,
        measure=standardised,
        value=92,
        taken_on=timezone.localdate(),
    )
    (record,) = practice_records(actor=senco, intervention=intervention)
    assert (record.pre, record.post) == (80, 92)
    correction_services.score_withdraw(
        actor=senco, score=score, reason="Another pupil's", seen_version=1
    )
    (record,) = practice_records(actor=senco, intervention=intervention)
    assert (record.pre, record.post) == (80, None)
