"""Loading the demo trust into an empty database: the same seed gives the same demo, and the
command loads it once. (What the loaded demo holds is checked in test_generate.py.)"""

from sendwise.core.models import Membership, School
from sendwise.demo import generate as demo
from sendwise.pupils.models import Contact, Pupil


def year_of_records():
    """The demo's sessions, registers, scores and review meetings, by what they say (not by id)."""
    from sendwise.delivery.models import Attendance, Session
    from sendwise.monitoring.models import Review, Score

    return (
        sorted(Session.objects.values_list("group__name", "date", "status", "cancel_reason")),
        sorted(Attendance.objects.values_list("session__date", "status", "engagement")),
        sorted(Score.objects.values_list("pupil__upn", "measure__slug", "taken_on", "value")),
        sorted(Review.objects.values_list("plan__pupil__upn", "held_on", "status", "summary")),
    )


def test_the_same_seed_gives_the_same_demo(db):
    from sendwise.evidence.services import catalogue_seed

    catalogue_seed()
    demo.demo_load(seed=11)
    first = list(
        Pupil.unscoped.order_by("id").values_list(
            "upn", "first_name", "sen_provision", "primary_need"
        )
    )
    first_year = year_of_records()
    assert all(first_year)
    Pupil.unscoped.all().delete()
    Contact.objects.all().delete()
    Membership.objects.all().delete()
    from sendwise.core.models import Trust, User
    from sendwise.pupils.models import ClassGroup

    ClassGroup.objects.all().delete()
    School.objects.all().delete()
    Trust.objects.all().delete()
    User.objects.all().delete()
    demo.demo_load(seed=11)
    second = list(
        Pupil.unscoped.order_by("id").values_list(
            "upn", "first_name", "sen_provision", "primary_need"
        )
    )
    assert first == second
    assert first_year == year_of_records()


def test_load_demo_command_is_idempotent(db, capsys):
    from django.core.management import call_command

    call_command("load_demo", "--if-empty")
    call_command("load_demo", "--if-empty")
    assert School.objects.filter(urn=demo.MAIN_URN).count() == 1
    assert "already has schools" in capsys.readouterr().out
