"""Changing and archiving a pupil's record: rules checked, history kept, audit written."""

import pytest
from django.core.exceptions import ValidationError

from sendwise.core.access import actor_for
from sendwise.core.models import AuditEntry
from sendwise.pupils import census_checks, services
from sendwise.pupils.models import Pupil


def test_a_change_is_saved_with_history_and_an_audit_entry(world):
    senco = actor_for(world.users["senco"])
    pupil = world.pupil_in_class
    services.pupil_update(actor=senco, pupil=pupil, sen_provision="E", primary_need="ASD")
    pupil.refresh_from_db()
    assert (pupil.sen_provision, pupil.primary_need) == ("E", "ASD")
    latest = pupil.history.order_by("-history_date").first()
    assert latest.history_change_reason == "Changed sen_provision, primary_need"
    assert pupil.history.count() == 2  # the original is still there
    entry = AuditEntry.objects.get(action="update", object_id=str(pupil.pk))
    assert entry.user == world.users["senco"] and entry.school == world.school


def test_bad_data_raises_a_clear_error_and_saves_nothing(world):
    senco = actor_for(world.users["senco"])
    pupil = world.pupil_in_class
    with pytest.raises(ValidationError) as caught:
        services.pupil_update(actor=senco, pupil=pupil, secondary_need="SPLD", upn="A123")
    assert census_checks.SECONDARY_SAME_AS_PRIMARY in caught.value.message_dict["secondary_need"]
    assert census_checks.UPN_INVALID_FORMAT in caught.value.message_dict["upn"]
    fresh = Pupil.unscoped.get(pk=pupil.pk)
    assert fresh.secondary_need == "" and fresh.history.count() == 1
    assert not AuditEntry.objects.filter(action="update").exists()


def test_a_upn_already_used_in_the_school_is_refused(world):
    senco = actor_for(world.users["senco"])
    with pytest.raises(ValidationError) as caught:
        services.pupil_update(
            actor=senco, pupil=world.pupil_in_class, upn=world.pupil_elsewhere.upn
        )
    assert caught.value.message_dict["upn"] == [services.UPN_TAKEN]


def test_archiving_keeps_the_record_and_needs_a_reason(world):
    senco = actor_for(world.users["senco"])
    pupil = world.pupil_in_class
    with pytest.raises(ValidationError):
        services.pupil_archive(actor=senco, pupil=pupil, reason="  ")
    services.pupil_archive(actor=senco, pupil=pupil, reason="Moved to another school")
    pupil.refresh_from_db()
    assert pupil.archived_at is not None
    assert Pupil.unscoped.filter(pk=pupil.pk).exists()
    assert pupil.history.first().history_change_reason == "Archived: Moved to another school"
    assert AuditEntry.objects.filter(action="archive", object_id=str(pupil.pk)).exists()


def test_saving_without_a_change_writes_no_history(world):
    senco = actor_for(world.users["senco"])
    pupil = world.pupil_in_class
    services.pupil_update(actor=senco, pupil=pupil, first_name=pupil.first_name)
    assert pupil.history.count() == 1


def test_a_field_that_cannot_be_changed_here_is_refused_and_nothing_changes(world):
    senco = actor_for(world.users["senco"])
    pupil = world.pupil_in_class
    with pytest.raises(TypeError, match="school"):
        services.pupil_update(actor=senco, pupil=pupil, first_name="Zed", school=None)
    pupil.refresh_from_db()
    assert pupil.first_name == "Amara"
