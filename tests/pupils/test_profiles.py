"""Assess: SEN history, needs profile, skills, one-page profile and voice, as the SENCO uses them."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from sendwise.core.access import actor_for
from sendwise.core.models import AuditEntry
from sendwise.pupils import profile_services, services
from sendwise.pupils.models import SenNeed, SenProvisionRecord, Skill, SkillNeed, Voice
from sendwise.pupils.timeline import record_timeline


@pytest.fixture
def skills(db):
    profile_services.skills_seed()
    return {s.slug: s for s in Skill.objects.filter(school__isnull=True)}


def test_moving_a_pupil_to_an_ehc_plan_closes_sen_support_and_opens_the_plan(world):
    senco = actor_for(world.users["senco"])
    pupil = world.pupil_in_class  # at SEN support with SPLD
    services.sen_records_sync(pupil=pupil, on=date(2025, 9, 1))
    services.pupil_update(actor=senco, pupil=pupil, sen_provision="E", primary_need="SLCN")
    records = [
        (r.provision, r.start_date, r.end_date)
        for r in SenProvisionRecord.objects.filter(pupil=pupil).order_by("id")
    ]
    today = timezone.localdate()
    assert records == [("K", date(2025, 9, 1), today), ("E", today, None)]
    needs = [(n.need_type, n.end_date) for n in SenNeed.objects.filter(pupil=pupil).order_by("id")]
    assert needs == [("SPLD", today), ("SLCN", None)]


def test_coming_off_the_register_closes_every_open_record(world):
    senco = actor_for(world.users["senco"])
    pupil = world.pupil_in_class
    services.pupil_update(actor=senco, pupil=pupil, sen_provision="E")
    services.pupil_update(actor=senco, pupil=pupil, sen_provision="N", primary_need="")
    assert not SenProvisionRecord.objects.filter(pupil=pupil, end_date__isnull=True).exists()
    assert not SenNeed.objects.filter(pupil=pupil, end_date__isnull=True).exists()


def test_needs_profile_changes_keep_the_earlier_text_in_history(world):
    senco = actor_for(world.users["senco"])
    pupil = world.pupil_in_class
    profile_services.needs_profile_update(actor=senco, pupil=pupil, strengths="Loves lego")
    profile = profile_services.needs_profile_update(
        actor=senco, pupil=pupil, strengths="Loves lego and drawing"
    )
    assert [h.strengths for h in profile.history.order_by("history_date")] == [
        "Loves lego",
        "Loves lego and drawing",
    ]
    assert (
        AuditEntry.objects.filter(action="update", detail__startswith="Needs profile").count() == 2
    )


def test_attendance_outside_0_to_100_is_refused(world):
    senco = actor_for(world.users["senco"])
    with pytest.raises(ValidationError) as caught:
        profile_services.needs_profile_update(
            actor=senco, pupil=world.pupil_in_class, attendance_percent=140
        )
    assert caught.value.message_dict == {"attendance_percent": [profile_services.ATTENDANCE_RANGE]}


def test_a_skill_is_recorded_once_and_its_severity_can_change(world, skills):
    senco = actor_for(world.users["senco"])
    pupil = world.pupil_in_class
    profile_services.skill_need_set(
        actor=senco, pupil=pupil, skill_id=skills["decoding"].pk, severity=2
    )
    profile_services.skill_need_set(
        actor=senco, pupil=pupil, skill_id=skills["decoding"].pk, severity=3
    )
    need = SkillNeed.objects.get(pupil=pupil)
    assert need.severity == 3 and need.history.count() == 2


def test_another_schools_own_skill_cannot_be_used(world, skills):
    other = actor_for(world.users["other_school_senco"])
    own_skill = profile_services.skill_create(
        actor=other, name="Touch typing", area="sensory_physical"
    )
    senco = actor_for(world.users["senco"])
    with pytest.raises(ValidationError):
        profile_services.skill_need_set(
            actor=senco, pupil=world.pupil_in_class, skill_id=own_skill.pk, severity=1
        )


def test_a_school_skill_with_a_taken_name_is_refused(world, skills):
    senco = actor_for(world.users["senco"])
    with pytest.raises(ValidationError) as caught:
        profile_services.skill_create(actor=senco, name="decoding", area="cognition_learning")
    assert caught.value.message_dict == {"name": [profile_services.SKILL_NAME_TAKEN]}


def test_removed_skills_stay_in_history(world, skills):
    senco = actor_for(world.users["senco"])
    need = profile_services.skill_need_set(
        actor=senco, pupil=world.pupil_in_class, skill_id=skills["anxiety"].pk, severity=1
    )
    profile_services.skill_need_remove(
        actor=senco, pupil=world.pupil_in_class, skill_need_id=need.pk
    )
    assert not SkillNeed.objects.filter(pk=need.pk).exists()
    assert SkillNeed.history.filter(id=need.pk, history_type="-").exists()


def test_voice_needs_words_and_a_date_not_in_the_future(world):
    senco = actor_for(world.users["senco"])
    with pytest.raises(ValidationError) as caught:
        profile_services.voice_add(
            actor=senco,
            pupil=world.pupil_in_class,
            kind="pupil",
            text=" ",
            gathered_on=timezone.localdate() + timedelta(days=1),
        )
    assert set(caught.value.message_dict) == {"text", "gathered_on"}
    assert not Voice.objects.exists()


def test_the_senco_edits_the_needs_profile_through_the_page(world, client_as):
    client = client_as("senco")
    url = reverse("pupils:needs_profile", kwargs={"pupil_id": world.pupil_in_class.pk})
    bad = client.post(url, {"attendance_percent": "abc"})
    assert "Attendance must be a number" in bad.content.decode()
    good = client.post(
        url, {"strengths": "Great at maths puzzles", "what_helps": "Visual timetable"}
    )
    assert good.status_code == 302
    page = client.get(
        reverse("pupils:detail", kwargs={"pupil_id": world.pupil_in_class.pk})
    ).content.decode()
    assert "Great at maths puzzles" in page and "Visual timetable" in page


def test_teachers_see_the_profile_but_not_background_notes(world, client_as):
    senco = actor_for(world.users["senco"])
    profile_services.needs_profile_update(
        actor=senco,
        pupil=world.pupil_in_class,
        strengths="Kind",
        background="Family moved in 2025",
    )
    url = reverse("pupils:detail", kwargs={"pupil_id": world.pupil_in_class.pk})
    teacher_page = client_as("teacher").get(url).content.decode()
    assert "Kind" in teacher_page and "Family moved in 2025" not in teacher_page
    assert "Family moved in 2025" in client_as("senco").get(url).content.decode()


def test_the_one_page_profile_prints_and_a_parent_adds_their_view(world, client_as):
    senco = actor_for(world.users["senco"])
    profile_services.one_page_profile_update(
        actor=senco,
        pupil=world.pupil_in_class,
        appreciation="Always helps others",
        how_to_support="Give me time",
    )
    client = client_as("parent")
    url = reverse("pupils:one_page_profile", kwargs={"pupil_id": world.pupil_in_class.pk})
    html = client.get(url).content.decode()
    assert "Always helps others" in html and "Add your view" in html and "@page" not in html
    response = client.post(
        reverse("pupils:voice_add", kwargs={"pupil_id": world.pupil_in_class.pk}),
        {
            "kind": "pupil",
            "text": "She is happier at school this term",
            "gathered_on": date.today().isoformat(),
        },
    )
    assert response.status_code == 302
    voice = Voice.objects.get()
    assert voice.kind == "parent" and voice.gathered_by == world.users["parent"]


def test_background_notes_and_history_never_reach_a_teacher_or_parent_page(world, client_as):
    senco = actor_for(world.users["senco"])
    profile_services.needs_profile_update(
        actor=senco, pupil=world.pupil_in_class, background="Private note"
    )
    url = reverse("pupils:detail", kwargs={"pupil_id": world.pupil_in_class.pk})
    changes = reverse("pupils:changes", kwargs={"pupil_id": world.pupil_in_class.pk})
    for who in ("teacher", "parent"):
        client = client_as(who)
        page = client.get(url)
        assert page.context["needs_profile"].background == ""
        assert "Private note" not in page.content.decode() and changes not in page.content.decode()
        assert client.get(changes).status_code == 403
    assert client_as("senco").get(changes).context["history"]


def test_the_timeline_shows_who_changed_the_profile_skills_and_provision(world, skills, client_as):
    senco = actor_for(world.users["senco"])
    pupil = world.pupil_in_class
    profile_services.needs_profile_update(actor=senco, pupil=pupil, strengths="Loves lego")
    profile_services.needs_profile_update(
        actor=senco, pupil=pupil, strengths="Loves lego and drawing"
    )
    profile_services.skill_need_set(
        actor=senco, pupil=pupil, skill_id=skills["decoding"].pk, severity=2
    )
    services.pupil_update(actor=senco, pupil=pupil, sen_provision="E")
    history = (
        client_as("senco")
        .get(reverse("pupils:changes", kwargs={"pupil_id": pupil.pk}))
        .context["history"]
    )
    kinds = [(h["kind"], h["action"]) for h in history]
    assert ("Needs profile", "changed") in kinds and ("Skill that needs work", "added") in kinds
    assert ("SEN provision", "added") in kinds
    change = next(h for h in history if h["kind"] == "Needs profile" and h["action"] == "changed")
    assert change["fields"] == [("strengths", "Loves lego", "Loves lego and drawing")]
    assert change["user"] == world.users["senco"]


def test_the_newest_changes_are_the_first_of_the_whole_timeline(world):
    """The changes page lists the newest ones only; comparing fields only for those shown
    must give the same entries as the whole timeline cut short, saves that changed nothing
    worth showing still left out."""
    senco = actor_for(world.users["senco"])
    pupil = world.pupil_in_class
    for i in range(4):
        profile_services.needs_profile_update(actor=senco, pupil=pupil, strengths=f"Lego {i}")
        # The same text again: only the time of the save changes, which the timeline hides.
        profile_services.needs_profile_update(actor=senco, pupil=pupil, strengths=f"Lego {i}")
        services.pupil_update(actor=senco, pupil=pupil, pupil_premium=i % 2 == 0)
    whole = record_timeline(actor=senco, pupil=pupil, limit=1000)
    strengths = [e for e in whole if e["kind"] == "Needs profile"]
    assert [e["action"] for e in strengths] == ["changed", "changed", "changed", "added"]
    for limit in (1, 2, 5, len(whole) - 1):
        assert record_timeline(actor=senco, pupil=pupil, limit=limit) == whole[:limit]
