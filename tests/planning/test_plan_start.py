"""Starting a plan: it begins as a draft (staff only), is put in place only with an outcome,
and is SEN support, so a pupil recorded as No SEN is added to the register first."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from sendwise.core.access import actor_for
from sendwise.planning import services
from sendwise.planning.models import Plan


@pytest.fixture
def senco(world):
    return actor_for(world.users["senco"])


def start_form():
    return {"start_date": "2026-09-07", "review_date": "2026-12-11"}


def plans_url(pupil):
    return reverse("planning:plans", kwargs={"pupil_id": pupil.pk})


def test_start_plan_makes_a_draft_the_parent_does_not_see(world, client_as):
    pupil = world.pupil_in_class
    response = client_as("senco").post(
        reverse("planning:plan_new", kwargs={"pupil_id": pupil.pk}), start_form(), follow=True
    )
    plan = Plan.objects.get(pupil=pupil)
    assert plan.status == Plan.Status.DRAFT
    assert "Plan 1 is started as a draft" in response.content.decode()
    assert "Put plan 1 in place" in response.content.decode()
    assert "Plan 1" not in client_as("parent").get(plans_url(pupil)).content.decode()


def test_a_plan_without_an_outcome_is_not_put_in_place(world, senco, client_as):
    pupil = world.pupil_in_class
    plan = services.plan_create(
        actor=senco, pupil=pupil, start_date=date(2026, 9, 7), review_date=date(2026, 12, 11)
    )
    with pytest.raises(ValidationError) as caught:
        services.plan_activate(actor=senco, plan=plan)
    assert caught.value.messages == [services.PLAN_NEEDS_OUTCOME]
    url = reverse("planning:plan_activate", kwargs={"pupil_id": pupil.pk, "plan_id": plan.pk})
    page = client_as("senco").post(url, follow=True).content.decode()
    assert services.PLAN_NEEDS_OUTCOME.split(":")[0] in page
    services.outcome_add(actor=senco, plan=plan, text="Reads 60 words a minute by March")
    client_as("senco").post(url)
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ACTIVE
    assert "Plan 1" in client_as("parent").get(plans_url(pupil)).content.decode()


def test_a_pupil_recorded_as_no_sen_is_added_to_the_register_first(world, senco, client_as):
    pupil = world.pupil_in_class
    pupil.sen_provision, pupil.primary_need, pupil.secondary_need = "N", "", ""
    pupil.save()
    url = reverse("planning:plan_new", kwargs={"pupil_id": pupil.pk})
    page = client_as("senco").get(url).content.decode()
    assert "recorded as having no special educational needs" in page
    assert reverse("pupils:edit", args=[pupil.pk]) in page
    response = client_as("senco").post(url, start_form())
    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in page
    assert services.NOT_ON_REGISTER.format(name=pupil.first_name) in page
    assert not Plan.objects.filter(pupil=pupil).exists()
