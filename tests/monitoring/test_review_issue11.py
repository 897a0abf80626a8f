"""Issue 11, the review meeting: two people saving the same review from two tabs (the second is
shown what the first saved and keeps what it typed; nothing is overwritten silently), and a
changed dose whose boxes are all wrong gets a message on each box."""

import re

import pytest
from django.core.exceptions import ValidationError

from sendwise.core.access import actor_for
from sendwise.monitoring import review_services as services
from sendwise.monitoring.models import Review
from sendwise.planning.models import Plan
from tests.monitoring.factories import TODAY, plan_to_review
from tests.monitoring.test_review_views import complete_form, review_url


@pytest.fixture
def senco(world):
    return actor_for(world.users["senco"])


@pytest.fixture
def reviewed(world, senco):
    return plan_to_review(senco, world.pupil_in_class)


def _version_on(page: str) -> str:
    found = re.search(r'<input type="hidden" name="version" value="(\d+)"', page)
    assert found, "the review form carries the version it shows"
    return found.group(1)


def _tab_a_draft(plan, first, second, outcome):
    """What tab A saves as a draft: its own summary, and Mum at the meeting."""
    data = complete_form(plan, first, second, outcome, action="draft")
    data.update(
        summary="Tab A: reading is coming on; keep going",
        attendee_name_0="Mum",
        attendee_role_0="parent",
        attendee_name_1="",
        attendee_role_1="",
    )
    return data


def test_a_review_saved_in_another_tab_is_not_overwritten_and_the_second_keeps_its_typing(
    senco, reviewed, client_as
):
    plan, first, second, outcome = reviewed
    url = review_url("planning:review", plan)
    tab_b = client_as("senco")
    seen_by_b = _version_on(tab_b.get(url).content.decode())  # B opens the form first
    assert seen_by_b == "0"
    tab_a = client_as("senco")
    data_a = _tab_a_draft(plan, first, second, outcome)
    data_a["version"] = _version_on(tab_a.get(url).content.decode())
    assert tab_a.post(url, data_a).status_code == 302
    saved = Review.objects.get(plan=plan)
    history_before = saved.history.count()

    data_b = complete_form(plan, first, second, outcome, version=seen_by_b)
    data_b["summary"] = "Tab B: completing with Pat"
    answer = tab_b.post(url, data_b)

    assert answer.status_code == 200
    page = answer.content.decode()
    # A clear message, and what the first tab saved, shown beside the form.
    assert "saved this review at" in page and "after you opened it" in page
    assert 'data-testid="saved-review"' in page
    saved_panel = page.split('data-testid="saved-review"')[1].split("</section>")[0]
    assert "Mum, parent" in saved_panel and "Tab A: reading is coming on" in saved_panel
    # What B typed is still in the form.
    assert "Tab B: completing with Pat" in page and 'value="Pat Ng"' in page
    # Nothing B sent was written: the draft is A's, the plan is still in place, no new cycle.
    saved.refresh_from_db()
    assert saved.is_draft and saved.summary == "Tab A: reading is coming on; keep going"
    assert saved.attendees == [{"name": "Mum", "role": "parent"}]
    assert saved.history.count() == history_before
    plan.refresh_from_db()
    assert plan.status == Plan.Status.ACTIVE
    assert Plan.objects.filter(pupil=plan.pupil).count() == 1

    # Saving again from the page B now sees is a choice made knowingly: it goes through, and
    # the history still holds A's draft.
    data_b["version"] = _version_on(page)
    assert data_b["version"] == str(saved.version)
    again = tab_b.post(url, data_b)
    assert again.status_code == 302
    saved.refresh_from_db()
    assert not saved.is_draft and saved.summary == "Tab B: completing with Pat"
    summaries = list(saved.history.values_list("summary", flat=True))
    assert "Tab A: reading is coming on; keep going" in summaries


def test_two_drafts_from_stale_forms_the_second_is_refused(senco, reviewed, client_as):
    """Both tabs save drafts: the second, opened before the first was saved, is refused too
    (a draft overwriting a draft is as silent as completing over one)."""
    plan, first, second, outcome = reviewed
    url = review_url("planning:review", plan)
    tab_a, tab_b = client_as("senco"), client_as("senco")
    stale = _version_on(tab_b.get(url).content.decode())
    first_save = _tab_a_draft(plan, first, second, outcome)
    first_save["version"] = _version_on(tab_a.get(url).content.decode())
    assert tab_a.post(url, first_save).status_code == 302
    # Tab A carries on from the page it was sent back to: its own next save is not refused.
    first_save["version"] = _version_on(tab_a.get(url).content.decode())
    first_save["parent_views"] = "Mum: more reading at home"
    assert tab_a.post(url, first_save).status_code == 302

    late = complete_form(plan, first, second, outcome, action="draft", version=stale)
    late["summary"] = "Tab B's draft"
    page = tab_b.post(url, late).content.decode()
    assert "after you opened it" in page and "Tab B&#x27;s draft" in page
    review = Review.objects.get(plan=plan)
    assert review.summary == "Tab A: reading is coming on; keep going"
    assert review.parent_views == "Mum: more reading at home"


def test_a_form_sent_without_a_version_does_not_overwrite_a_saved_draft(senco, reviewed, client_as):
    """A tab opened before versions were kept sends none: it counts as having seen no draft,
    so the draft saved since is kept and the sender sees it (a reviewer's finding)."""
    plan, first, second, outcome = reviewed
    url = review_url("planning:review", plan)
    tab_a, tab_b = client_as("senco"), client_as("senco")
    saved = _tab_a_draft(plan, first, second, outcome)
    saved["version"] = _version_on(tab_a.get(url).content.decode())
    assert tab_a.post(url, saved).status_code == 302
    late = complete_form(plan, first, second, outcome, action="draft")
    late.pop("version", None)
    late["summary"] = "An old tab's draft"
    page = tab_b.post(url, late).content.decode()
    assert "after you opened it" in page and "An old tab&#x27;s draft" in page
    assert Review.objects.get(plan=plan).summary == "Tab A: reading is coming on; keep going"


def test_the_service_refuses_a_stale_version_and_writes_nothing(senco, reviewed):
    plan = reviewed[0]
    args = {
        "actor": senco,
        "plan": plan,
        "held_on": TODAY(),
        "attendees": [services.Attendee("Mum", "parent")],
        "summary": "First",
    }
    review = services.review_save(**args, seen_version=0)
    assert review.version == 1
    with pytest.raises(services.ReviewChanged) as refused:
        services.review_save(**{**args, "summary": "Second"}, seen_version=0)
    assert refused.value.review.summary == "First"
    assert isinstance(refused.value, ValidationError)
    again = services.review_save(**{**args, "summary": "Second"}, seen_version=1)
    assert again.summary == "Second" and again.version == 2
    # Callers that do not carry a version (the demo data) are not checked.
    assert services.review_save(**{**args, "summary": "Third"}).version == 3


def test_each_wrong_box_of_a_new_dose_has_its_own_message(senco, reviewed, client_as):
    """Sessions a week -1 (the review's rule) beside minutes and weeks the form cannot read:
    each of the three boxes says what is wrong with it."""
    plan, first, second, outcome = reviewed
    data = complete_form(
        plan, first, second, outcome,
        **{f"decision_{first.pk}": "change_dose", f"sessions_per_week_{first.pk}": "-1",
           f"minutes_per_session_{first.pk}": "lots", f"weeks_{first.pk}": "9999"},
    )  # fmt: skip
    page = client_as("senco").post(review_url("planning:review", plan), data).content.decode()
    name = first.intervention.name
    for box, message in [
        (f"sessions_per_week_{first.pk}", services.DOSE_BOUNDS["sessions_per_week"][2]),
        (
            f"minutes_per_session_{first.pk}",
            f"Minutes a session for {name} must be a whole number",
        ),
        (f"weeks_{first.pk}", f"Weeks for {name} must be"),
    ]:
        assert f'<a href="#id_{box}">{message}' in page, box
    # A part the form could not read is not also reported as missing.
    assert services.DOSE_REQUIRED not in page
    assert not Review.objects.exists()
