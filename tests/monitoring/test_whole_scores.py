"""A score on a measure reported in whole numbers (a standardised test, a curriculum probe) is a
whole number, however it is entered: the single score page, the group scores page, and the
services behind them and behind a correction. The tester's examples: a CELF scaled score of 5.5
and a TOWRE standard score of 95.5 were saved. Nothing is saved when a row is refused; a rating
scale still takes decimals. A standardised test with no recorded range or norms (BPVS3 in the
catalogue) refuses 9999."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from sendwise.core.access import actor_for
from sendwise.evidence.models import Measure
from sendwise.monitoring import correction_services, group_services, services
from sendwise.monitoring.group_services import RowInput
from sendwise.monitoring.models import Score
from tests.delivery.factories import running_group

TODAY = timezone.localdate

CELF_WHOLE = (
    "The score must be a whole number: CELF-5UK test scaled score is reported in whole numbers, "
    "so enter 5 or 6"
)
TOWRE_WHOLE = (
    "The score must be a whole number: TOWRE-2 is reported in whole numbers, so enter 95 or 96"
)


@pytest.fixture
def celf(db):
    """A test scaled score, 1 to 19, mean 10, SD 3 (as the catalogue records CELF-5UK)."""
    return Measure.objects.create(
        slug="celf-scaled",
        name="CELF-5UK test scaled score",
        kind="standardised",
        scale_min=1,
        scale_max=19,
        mean=10,
        sd=3,
        higher_is_better=True,
    )


@pytest.fixture
def towre(db):
    """A standard score with norms (mean 100, SD 15) but no recorded range, as TOWRE."""
    return Measure.objects.create(
        slug="towre-2", name="TOWRE-2", kind="standardised", mean=100, sd=15, higher_is_better=True
    )


@pytest.fixture
def unnormed(db):
    """A standardised test with neither range nor norms recorded, as BPVS3 in the catalogue."""
    return Measure.objects.create(slug="bpvs", name="BPVS3", kind="standardised")


@pytest.fixture
def senco(world):
    return actor_for(world.users["senco"])


def add(actor, pupil, measure, value):
    return services.score_add(
        actor=actor, pupil=pupil, measure=measure, value=value, taken_on=TODAY()
    )


# The service every single score goes through.


def test_score_add_refuses_a_decimal_scaled_score_and_saves_nothing(world, senco, celf):
    with pytest.raises(ValidationError) as caught:
        add(senco, world.pupil_in_class, celf, 5.5)
    assert caught.value.message_dict == {"value": [CELF_WHOLE]}
    assert not Score.objects.exists()


def test_score_add_refuses_a_decimal_standard_score_on_a_measure_known_only_by_its_norms(
    world, senco, towre
):
    with pytest.raises(ValidationError) as caught:
        add(senco, world.pupil_in_class, towre, 95.5)
    assert caught.value.message_dict == {"value": [TOWRE_WHOLE]}
    assert not Score.objects.exists()


def test_whole_numbers_are_saved_and_a_rating_scale_keeps_its_decimals(
    world, senco, celf, towre, open_ended
):
    add(senco, world.pupil_in_class, celf, 5)
    add(senco, world.pupil_in_class, towre, 95.0)  # 95.0 is the whole number 95
    add(senco, world.pupil_in_class, open_ended, 2.5)
    assert sorted(Score.objects.values_list("value", flat=True)) == [2.5, 5, 95]


def test_out_of_range_is_said_before_not_whole(world, senco, celf):
    with pytest.raises(ValidationError) as caught:
        add(senco, world.pupil_in_class, celf, 25.5)
    assert caught.value.message_dict == {
        "value": ["The score must be between 1 and 19 on CELF-5UK test scaled score"]
    }


def test_a_correction_to_a_decimal_is_refused_and_the_score_kept(world, senco, celf):
    score = add(senco, world.pupil_in_class, celf, 5)
    with pytest.raises(ValidationError) as caught:
        correction_services.score_correct(
            actor=senco,
            score=score,
            value=5.5,
            taken_on=score.taken_on,
            reason="Typed 5 for 5.5",
            seen_version=1,
        )
    assert caught.value.message_dict == {"value": [CELF_WHOLE]}
    assert Score.objects.get(pk=score.pk).value == 5


def test_a_standardised_score_of_9999_is_refused_where_nothing_but_the_kind_is_known(
    world, senco, unnormed
):
    with pytest.raises(ValidationError) as caught:
        add(senco, world.pupil_in_class, unnormed, 9999)
    assert caught.value.message_dict == {
        "value": [
            "The score must be between 0 and 175 on BPVS3: its norms are not recorded, and a "
            "standard score on any usual scale is never above 175, so check for a typing slip"
        ]
    }
    add(senco, world.pupil_in_class, unnormed, 131)
    assert list(Score.objects.values_list("value", flat=True)) == [131]


# The single score page: /pupils/<id>/scores/add/.


def add_url(pupil):
    return reverse("monitoring:score_add", kwargs={"pupil_id": pupil.pk})


@pytest.mark.parametrize(
    ("fixture", "typed", "message"), [("celf", "5.5", CELF_WHOLE), ("towre", "95.5", TOWRE_WHOLE)]
)
def test_the_score_page_refuses_a_decimal_and_says_why(
    request, world, client_as, fixture, typed, message
):
    measure = request.getfixturevalue(fixture)
    response = client_as("senco").post(
        add_url(world.pupil_in_class),
        {"measure": measure.pk, "value": typed, "taken_on": str(TODAY())},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: " in page
    assert message in page
    assert 'href="#id_value"' in page
    assert not Score.objects.exists()


def test_the_score_page_refuses_9999_on_a_test_with_no_recorded_range(world, client_as, unnormed):
    page = (
        client_as("senco")
        .post(
            add_url(world.pupil_in_class),
            {"measure": unnormed.pk, "value": "9999", "taken_on": str(TODAY())},
        )
        .content.decode()
    )
    assert "The score must be between 0 and 175 on BPVS3" in page
    assert "BPVS3 (from 0 to 175)" in page  # the list of measures says so before it is typed
    assert not Score.objects.exists()


def test_the_correction_page_refuses_a_decimal_and_keeps_the_score(world, client_as, senco, celf):
    score = add(senco, world.pupil_in_class, celf, 5)
    address = reverse(
        "monitoring:score_correct", kwargs={"pupil_id": score.pupil_id, "score_id": score.pk}
    )
    data = {"value": "5.5", "taken_on": str(score.taken_on), "reason": "Typo", "version": "1"}
    page = client_as("senco").post(address, data).content.decode()
    assert "<title>Error: " in page
    assert CELF_WHOLE in page
    assert Score.objects.get(pk=score.pk).value == 5


# The group scores page: /delivery/groups/<id>/scores/.


def group_url(group):
    return reverse("group_scores:enter", kwargs={"group_id": group.pk})


def test_the_group_page_names_the_row_with_a_decimal_and_saves_no_row(world, client_as, towre):
    group, members = running_group(world, pupils=3)
    data = {
        "measure": towre.pk,
        "taken_on": str(TODAY()),
        f"member_{members[0].pk}": "84",
        f"member_{members[1].pk}": "95.5",
        f"member_{members[2].pk}": "",
    }
    response = client_as("intervention_specialist").post(group_url(group), data)
    assert response.status_code == 200
    page = response.content.decode()
    second = members[1].placement.plan.pupil.full_name
    assert f"{second}: {TOWRE_WHOLE}" in page
    assert f'href="#id_member_{members[1].pk}"' in page
    assert not Score.objects.exists()
    data[f"member_{members[1].pk}"] = "95"
    assert client_as("intervention_specialist").post(group_url(group), data).status_code == 302
    assert sorted(Score.objects.values_list("value", flat=True)) == [84, 95]


def test_the_group_service_refuses_a_decimal_row_and_saves_none(world, celf):
    group, members = running_group(world, pupils=2)
    specialist = actor_for(world.users["intervention_specialist"])
    with pytest.raises(ValidationError) as caught:
        group_services.group_scores_add(
            actor=specialist,
            group=group,
            measure=celf,
            taken_on=TODAY() - timedelta(days=1),
            rows=[RowInput(members[0].pk, 7), RowInput(members[1].pk, 5.5)],
        )
    assert caught.value.message_dict == {f"member_{members[1].pk}": [CELF_WHOLE]}
    assert not Score.objects.exists()
