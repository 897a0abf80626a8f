"""Bounded input: the values the security review found accepted are refused with a message that
says why, and nothing is saved; the limits themselves (core.bounds) and the safety net every
form gets (core.bounded_forms)."""

from datetime import date

import pytest
from django import forms
from django.urls import reverse

from sendwise.concerns.models import Concern
from sendwise.core import bounds
from sendwise.core.bounds import BIRTH, HAPPENED, PLANNED
from sendwise.core.forms import BoundedForm
from sendwise.monitoring.models import Score
from sendwise.planning.models import Placement, Plan
from sendwise.pupils.models import OnePageProfile
from tests.evidence.factories import InterventionFactory
from tests.monitoring.factories import probe_measure

TODAY = date(2026, 12, 6)

# --- the limits, pure ------------------------------------------------------------------------


def test_a_planned_date_is_within_two_years_of_today():
    assert PLANNED.problem(date(2028, 12, 6), today=TODAY, what="the review date") == ""
    assert PLANNED.problem(date(2028, 12, 7), today=TODAY, what="the review date") == (
        "The review date must be within 2 years of today: check the year"
    )
    assert PLANNED.problem(date(9999, 12, 31), today=TODAY, what="the review date")


def test_no_record_is_older_than_the_records_of_anyone_still_at_school():
    assert HAPPENED.problem(date(1, 1, 1), today=TODAY, what="the date you noticed this") == (
        "The date you noticed this must be on or after 1 January 2000: check the year"
    )
    assert HAPPENED.problem(date(2000, 1, 1), today=TODAY, what="the date") == ""


def test_a_record_of_a_pupil_cannot_be_from_before_they_were_born():
    born = date(2016, 3, 12)
    assert HAPPENED.problem(date(2016, 3, 11), today=TODAY, what="the date taken", born=born) == (
        "The date taken cannot be before the pupil was born (12 March 2016)"
    )
    assert HAPPENED.problem(born, today=TODAY, what="the date taken", born=born) == ""


def test_a_date_of_birth_is_of_someone_aged_25_or_under():
    assert BIRTH.problem(date(2000, 12, 5), today=TODAY, what="the date of birth") == (
        "The date of birth must be on or after 6 December 2000: pupils are aged 25 or under"
    )
    assert BIRTH.problem(date(2000, 12, 6), today=TODAY, what="the date of birth") == ""


def test_a_leap_day_a_year_on_is_the_28th_of_february():
    assert bounds.years_later(date(2028, 2, 29), 1) == date(2029, 2, 28)


def test_too_long_text_says_how_long_it_is_like_a_character_count():
    assert bounds.text_problem("x" * 300, limit=300, what="the reason") == ""
    assert bounds.text_problem("x" * 300_000, limit=5000, what="the reason") == (
        "The reason must be 5,000 characters or fewer (you have 300,000)"
    )


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_a_number_that_is_not_finite_is_not_a_number(value):
    assert bounds.number_problem(value, low=0, high=10, what="the score") == (
        "The score must be a number, like 12 or 12.5"
    )


def test_a_number_out_of_range_says_the_range_and_why():
    assert bounds.number_problem(1e308, low=-1e6, high=1e6, what="x", why="a slip") == (
        "X must be between -1,000,000 and 1,000,000: a slip"
    )


# --- the safety net every form gets ----------------------------------------------------------


class Unbounded(BoundedForm):
    """A form written without limits, as a new form might be."""

    note = forms.CharField(required=False)
    story = forms.CharField(required=False, widget=forms.Textarea)
    count = forms.IntegerField(required=False)
    row = forms.IntegerField(required=False, widget=forms.HiddenInput)
    amount = forms.FloatField(required=False)
    on = forms.DateField(required=False)


def test_money_with_no_digit_limit_gets_the_money_bound_not_the_integer_one():
    """A DecimalField is an IntegerField underneath in Django: the money branch must be
    reached before the integer one (it was dead code)."""

    class Costs(BoundedForm):
        price = forms.DecimalField(required=False)

    assert Costs({"price": "5000000"}).is_valid()  # above the integer bound, within money's
    form = Costs({"price": "20000000"})
    assert not form.is_valid()
    assert form.errors["price"] == ["Price must be between -10,000,000 and 10,000,000"]


def test_a_form_written_without_limits_still_gets_them():
    form = Unbounded(
        {
            "note": "x" * 301,
            "story": "x" * 5001,
            "count": "99999999999999999999",
            "row": "99999999999999999999",
            "amount": "2000000.5",
            "on": "9999-12-31",
        }
    )
    assert not form.is_valid()
    assert form.errors["note"] == ["Note must be 300 characters or fewer (you have 301)"]
    assert form.errors["story"] == ["Story must be 5,000 characters or fewer (you have 5001)"]
    assert form.errors["count"] == ["Count must be between -1,000,000 and 1,000,000"]
    assert "between" in form.errors["row"][0]
    assert form.errors["amount"] == ["Amount must be between -1,000,000 and 1,000,000"]
    assert form.errors["on"] == ["On must be within 5 years of today: check the year"]


def test_a_form_within_the_limits_cleans_as_before():
    form = Unbounded({"note": "Fine", "count": "12", "amount": "12.5", "on": "2026-01-05"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["count"] == 12 and form.cleaned_data["amount"] == 12.5


# --- what the security review found accepted -------------------------------------------------


def error_page(response) -> str:
    html = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in html and "There is a problem" in html
    return html


def test_a_plan_reviewed_on_9999_12_31_is_refused(world, client_as):
    url = reverse("planning:plan_new", kwargs={"pupil_id": world.pupil_in_class.pk})
    response = client_as("senco").post(
        url, {"start_date": date.today().isoformat(), "review_date": "9999-12-31"}
    )
    assert "The review date must be within 2 years of today: check the year" in error_page(response)
    assert not Plan.objects.exists()


def test_a_concern_raised_on_0001_01_01_is_refused(world, client_as):
    url = reverse("concerns:raise", kwargs={"pupil_id": world.pupil_in_class.pk})
    response = client_as("teacher").post(
        url,
        {
            "areas": ["cognition_learning"],
            "what_seen": "Reverses b and d",
            "raised_on": "0001-01-01",
        },
    )
    html = error_page(response)
    assert "The date you noticed this must be on or after 1 January 2000: check the year" in html
    assert not Concern.objects.exists()


def test_a_one_page_profile_of_300000_characters_is_refused(world, client_as):
    url = reverse("pupils:one_page_profile_edit", kwargs={"pupil_id": world.pupil_in_class.pk})
    response = client_as("senco").post(
        url, {"appreciation": "x" * 300_000, "important_to_me": "", "how_to_support": ""}
    )
    assert "characters or fewer (you have 300000)" in error_page(response)
    assert not OnePageProfile.objects.filter(appreciation__startswith="xxx").exists()


def test_a_dose_of_1000_sessions_a_week_is_refused(world, client_as):
    senco = client_as("senco")
    plan = Plan.objects.create(
        school=world.school,
        pupil=world.pupil_in_class,
        cycle=1,
        status="draft",
        start_date=date(2026, 9, 1),
        review_date=date(2026, 12, 1),
    )
    intervention = InterventionFactory(nc_year_min=0, nc_year_max=13)
    url = reverse(
        "planning:placement_add",
        kwargs={"pupil_id": plan.pupil_id, "plan_id": plan.pk, "slug": intervention.slug},
    )
    response = senco.post(url, {"sessions_per_week": "1000", "minutes_per_session": "30"})
    assert (
        "Sessions a week must be 10 or fewer: two sessions each school day at most"
        in error_page(response)
    )
    assert not Placement.objects.exists()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        # The measure's own range (here the widest a score may have), not the field's.
        ("2000000", "The score must be between 0 and 100,000 on"),
        ("500000", "no measure reports a number that large, so check for a typing slip"),
        ("NaN", "Enter the score as a number, like 85 or 12.5"),
        # Python reads "1e2" as 100: a slip, never how a score is written.
        ("1e2", "Enter the score as an ordinary number, like 100 or 12.5: a number with an e in"),
        ("4E1", "a number with an e in it (such as 1e2) is not accepted"),
    ],
)
def test_a_score_no_measure_reports_is_refused_on_a_measure_without_a_range(
    world, client_as, value, message
):
    measure = probe_measure("open-probe", scale_min=None, scale_max=None)
    url = reverse("monitoring:score_add", kwargs={"pupil_id": world.pupil_in_class.pk})
    response = client_as("teacher").post(
        url, {"measure": measure.pk, "value": value, "taken_on": date.today().isoformat()}
    )
    assert message in error_page(response)
    assert not Score.objects.exists()


def test_a_score_dated_before_the_pupil_was_born_is_refused_by_the_form(world, client_as):
    pupil = world.pupil_in_class
    measure = probe_measure()
    url = reverse("monitoring:score_add", kwargs={"pupil_id": pupil.pk})
    response = client_as("teacher").post(
        url, {"measure": measure.pk, "value": "40", "taken_on": "2000-01-01"}
    )
    assert "The date taken cannot be before the pupil was born" in error_page(response)


@pytest.mark.parametrize(
    "said",
    [
        "x" * 4000,  # the longest view allowed
        "Il est content \u202eà l'école\u200b \U0001f60a",  # controls and emoji are kept as typed
    ],
)
def test_a_view_within_the_limits_reads_back_exactly_as_typed(world, client_as, said):
    from sendwise.pupils.models import Voice

    response = client_as("teacher").post(
        reverse("pupils:voice_add", kwargs={"pupil_id": world.pupil_in_class.pk}),
        {"kind": "pupil", "text": said, "gathered_on": date.today().isoformat()},
    )
    assert response.status_code == 302
    assert Voice.objects.get().text == said


def test_every_form_in_the_project_is_bounded():
    """A form a later branch adds without BoundedForm fails here, even one no page shows."""
    import importlib
    import inspect
    import pkgutil

    import sendwise
    from sendwise.core.bounded_forms import BoundsMixin

    unbounded = []
    for info in pkgutil.walk_packages(sendwise.__path__, "sendwise."):
        if any(part in info.name for part in (".migrations", ".management", "settings")):
            continue
        module = importlib.import_module(info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if (
                cls.__module__ == module.__name__
                and issubclass(cls, forms.BaseForm)
                and not issubclass(cls, BoundsMixin)
            ):
                unbounded.append(f"{module.__name__}.{name}")
    assert unbounded == [], "make these forms BoundedForm or BoundedModelForm (core.forms)"


class SdqForm(BoundedForm):
    total = forms.FloatField(label="SDQ total difficulties", required=False)
    baseline = forms.FloatField(label="Starting score", required=False)


def test_a_number_typed_with_an_e_is_refused_naming_the_box_as_its_label_is_written():
    """An acronym in a label keeps its capitals ("SDQ", not "sdq") in the message."""
    form = SdqForm({"total": "1e2", "baseline": "4E1"})
    assert not form.is_valid()
    assert form.errors["total"] == [
        "SDQ total difficulties must be an ordinary number, like 100 or 12.5: a number with an "
        "e in it (such as 1e2) is not accepted"
    ]
    assert form.errors["baseline"][0].startswith("Starting score must be an ordinary number")
