"""Conditions of a programme (who is chosen, the dose and length of the block, who delivers and
their supervision) are not things one session can do: the register offers only what a session
delivers, and the SENCO finds the conditions on the group's page and on the pupil's plan. Ticks
saved before a condition left the checklist are kept and shown apart (evidence migration 0003)."""

import importlib

from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from sendwise.core.access import actor_for
from sendwise.delivery import session_services as services
from sendwise.delivery.models import Session
from sendwise.evidence.models import Intervention
from tests.delivery.factories import COMPONENTS, running_group

SUPERVISION = "The ELSA receives regular group supervision from an educational psychologist."
WEEKLY = "Regular one-to-one or small-group sessions, usually weekly for about six to twelve weeks."


def elsa_group(world, pupils=2):
    group, members = running_group(world, pupils=pupils)
    intervention = group.intervention
    intervention.programme_conditions = [WEEKLY, SUPERVISION]
    intervention.save()
    return group, members


def register_url(group):
    on = timezone.localdate().isoformat()
    return reverse("delivery:register", kwargs={"group_id": group.pk, "on": on})


def present(members):
    return [services.AttendanceInput(m.pk, "present") for m in members]


def test_the_register_offers_what_a_session_delivers_and_not_the_programmes_conditions(
    world, client_as
):
    group, _members = elsa_group(world)
    page = client_as("intervention_specialist").get(register_url(group)).content.decode()
    for component in COMPONENTS:
        assert f'value="{component}"' in page
    assert "educational psychologist" not in page
    assert "six to twelve weeks" not in page


def test_a_session_cannot_be_ticked_as_meeting_a_programme_condition(world):
    group, members = elsa_group(world)
    data = services.SessionInput(
        "delivered", minutes=30, components=[SUPERVISION], attendance=present(members)
    )
    try:
        services.session_record(
            actor=actor_for(world.users["intervention_specialist"]),
            group=group,
            on=timezone.localdate(),
            slot=group.slots.get(),
            data=data,
        )
    except services.ValidationError as error:
        assert services.COMPONENT_UNKNOWN in error.message_dict["components"]
    else:
        raise AssertionError("a programme condition was accepted as a session component")
    assert not Session.objects.exists()


def test_the_senco_sees_the_conditions_on_the_groups_page_and_on_the_pupils_plan(world, client_as):
    group, _members = elsa_group(world, pupils=1)
    senco = client_as("senco")
    group_page = senco.get(reverse("delivery:group_detail", args=[group.pk])).content.decode()
    assert 'data-testid="programme-conditions"' in group_page
    assert SUPERVISION in group_page
    plans = reverse("planning:plans", kwargs={"pupil_id": world.pupil_in_class.pk})
    assert SUPERVISION in senco.get(plans).content.decode()
    # A parent reads the plan, not the checklist the SENCO runs the programme by.
    assert SUPERVISION not in client_as("parent").get(plans).content.decode()


def test_a_tick_saved_before_a_condition_left_the_checklist_is_kept_and_shown_apart(
    world, client_as
):
    group, members = elsa_group(world)
    intervention = group.intervention
    intervention.core_components = [*COMPONENTS, SUPERVISION]
    intervention.programme_conditions = [WEEKLY]
    intervention.save()
    actor = actor_for(world.users["intervention_specialist"])
    slot, today = group.slots.get(), timezone.localdate()
    session = services.session_record(
        actor=actor,
        group=group,
        on=today,
        slot=slot,
        data=services.SessionInput(
            "delivered",
            minutes=30,
            components=[COMPONENTS[0], SUPERVISION],
            attendance=present(members),
        ),
    )
    # The catalogue moves supervision off the session checklist (as evidence 0003 does).
    intervention.core_components = COMPONENTS
    intervention.programme_conditions = [WEEKLY, SUPERVISION]
    intervention.save()

    page = client_as("head").get(register_url(group)).content.decode()
    ticked = page.split('data-testid="components-ticked">')[1].split("</dd>")[0]
    assert COMPONENTS[0] in ticked and SUPERVISION not in ticked
    apart = page.split('data-testid="ticks-off-checklist">')[1].split("</dd>")[0]
    assert SUPERVISION in apart and "Kept as it was recorded" in apart

    # Correcting the session on the form (which no longer offers that tick) does not drop it.
    services.session_record(
        actor=actor,
        group=group,
        on=today,
        slot=group.slots.get(),
        data=services.SessionInput(
            "delivered", minutes=25, components=COMPONENTS[:2], attendance=present(members)
        ),
        editing=session,
        seen_at=session.recorded_at,
    )
    session.refresh_from_db()
    assert session.components_delivered == [*COMPONENTS[:2], SUPERVISION]


def test_the_migration_moves_the_elsa_conditions_off_the_checklist_and_keeps_history(world):
    """Evidence migration 0003 on a catalogue loaded before it: ELSA's supervision, dose and
    trained-ELSA items become conditions; what a session does stays on the checklist."""
    migration = importlib.import_module("sendwise.evidence.migrations.0003_programme_conditions")
    content = (
        "Sessions work on emotional literacy: recognising and naming feelings, managing them, "
        "friendships or self-esteem."
    )
    trained = (
        "A trained ELSA (usually a TA) plans sessions with agreed goals for the individual pupil."
    )
    elsa = Intervention.objects.create(
        slug="elsa",
        name="ELSA",
        kind="targeted_intervention",
        nc_year_min=0,
        nc_year_max=13,
        core_components=[trained, WEEKLY, content, SUPERVISION],
    )
    own = Intervention.objects.create(  # a school's own entry with the same slug is its own
        school=world.school,
        slug="elsa",
        name="Our ELSA",
        kind="targeted_intervention",
        nc_year_min=0,
        nc_year_max=13,
        core_components=[SUPERVISION],
    )
    before = elsa.history.count()
    migration.move_conditions(apps, None)
    elsa.refresh_from_db()
    assert elsa.core_components == [content]
    assert elsa.programme_conditions == [trained, WEEKLY, SUPERVISION]
    assert elsa.history.count() == before + 1
    assert elsa.history.first().history_change_reason == migration.REASON
    own.refresh_from_db()
    assert (own.core_components, own.programme_conditions) == ([SUPERVISION], [])
    migration.move_conditions(apps, None)  # a second run changes nothing
    elsa.refresh_from_db()
    assert elsa.core_components == [content]
    assert elsa.history.count() == before + 1
