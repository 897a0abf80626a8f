"""Who sees which pupils: the selectors every page reads through."""

import pytest
from django.http import Http404

from sendwise.core.access import actor_for
from sendwise.pupils import selectors
from sendwise.pupils.selectors import RegisterFilters
from tests.factories import PupilFactory


def visible_names(world, who, **filters):
    actor = actor_for(world.users[who])
    pupils = selectors.pupil_list(actor=actor, filters=RegisterFilters(**filters))
    return {p.first_name for p in pupils}


def test_senco_sees_every_sen_pupil_of_their_school_and_none_of_another(world):
    assert visible_names(world, "senco") == {"Amara", "Ben"}


def test_teacher_and_assistant_see_only_pupils_in_their_classes(world):
    assert visible_names(world, "teacher") == {"Amara"}
    assert visible_names(world, "intervention_specialist") == {"Amara"}


def test_adviser_sees_no_individual_pupil(world):
    assert visible_names(world, "la_adviser") == set()


def test_archived_pupils_leave_the_register_and_their_page_is_404(world):
    from django.utils import timezone

    world.pupil_elsewhere.archived_at = timezone.now()
    world.pupil_elsewhere.save()
    assert visible_names(world, "senco") == {"Amara"}
    with pytest.raises(Http404):
        selectors.pupil_for(
            actor=actor_for(world.users["senco"]), pupil_id=world.pupil_elsewhere.pk, purpose="t"
        )


def test_register_shows_sen_pupils_by_default_and_all_pupils_on_request(world):
    PupilFactory(school=world.school, first_name="Dev", sen_provision="N", primary_need="")
    assert "Dev" not in visible_names(world, "senco")
    assert "Dev" in visible_names(world, "senco", provision="all")
    assert visible_names(world, "senco", provision="N") == {"Dev"}


def test_register_search_by_name_part_or_exact_upn(world):
    assert visible_names(world, "senco", q="ama") == {"Amara"}
    assert visible_names(world, "senco", q="amara ng") == {"Amara"}
    assert visible_names(world, "senco", q=world.pupil_elsewhere.upn.lower()) == {"Ben"}
    assert visible_names(world, "senco", q="nobody") == set()


def test_register_filters_by_year_and_need(world):
    PupilFactory(
        school=world.school, first_name="Eve", nc_year=2, primary_need="ASD", secondary_need="SLCN"
    )
    assert visible_names(world, "senco", year=2) == {"Eve"}
    assert visible_names(world, "senco", need="SLCN") == {"Eve"}  # secondary need counts too
    assert visible_names(world, "senco", need="SPLD") == {"Amara", "Ben"}


def test_parent_sees_only_their_own_child(world):
    actor = actor_for(world.users["parent"])
    assert [p.first_name for p in selectors.children_of(actor=actor)] == ["Amara"]
    with pytest.raises(Http404):
        selectors.pupil_for(actor=actor, pupil_id=world.pupil_elsewhere.pk, purpose="t")


def test_a_parent_sees_only_themself_among_the_contacts(world):
    from tests.factories import ContactFactory

    ContactFactory(pupil=world.pupil_in_class, name="Other carer")
    parent = actor_for(world.users["parent"])
    senco = actor_for(world.users["senco"])
    pupil = world.pupil_in_class
    assert [c.name for c in selectors.pupil_contacts(actor=parent, pupil=pupil)] == [
        "Parent person"
    ]
    assert len(selectors.pupil_contacts(actor=senco, pupil=pupil)) == 2
