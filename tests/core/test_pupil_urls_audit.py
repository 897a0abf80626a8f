"""Every page that takes a pupil in its URL reaches the pupil through `pupil_for`: a permitted
read writes exactly one audit entry for that pupil, and a refused one (another school's pupil,
or an id that does not exist) answers 404 and writes exactly one "refused" entry.

The URLs are found in the URLconf, so a new page that takes a pupil is walked without anyone
adding it here; a page with an argument this test cannot fill fails until it can."""

from datetime import timedelta

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from sendwise.core.models import AuditEntry
from sendwise.evidence.models import Measure
from sendwise.monitoring.models import PlacementDecision, Review, Score
from sendwise.planning.models import Outcome, Placement, Plan
from sendwise.pupils.models import Pupil, Skill, SkillNeed
from tests.evidence.factories import InterventionFactory
from tests.monitoring.factories import outcome_on_measure


def pupil_urls(patterns=None, namespace="", params=frozenset()) -> dict[str, frozenset[str]]:
    """URL name -> the names of its arguments, for every pattern that takes a ``pupil_id``."""
    found = {}
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        names = params | set(getattr(pattern.pattern, "converters", {}))
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found |= pupil_urls(pattern.url_patterns, inner, frozenset(names))
        elif isinstance(pattern, URLPattern) and "pupil_id" in names:
            found[f"{namespace}{pattern.name}"] = frozenset(names)
    return found


PUPIL_URLS = pupil_urls()


def test_the_pupil_pages_are_found_in_the_urlconf():
    assert {
        "pupils:detail",
        "pupils:edit",
        "pupils:voice_add",
        "planning:plans",
        "planning:review",
        "planning:review_record",
        "planning:review_share",
        "monitoring:score_add",
        "concerns:raise",
    } <= set(PUPIL_URLS)


def url_for(name: str, pupil_id: int, world) -> str:
    """The URL with every argument filled: the pupil's plan, a catalogue entry, a skill."""
    pupil = world.pupil_in_class
    values = {"pupil_id": pupil_id}
    for param in sorted(PUPIL_URLS[name] - {"pupil_id"}, key=lambda p: (p != "plan_id", p)):
        if param == "plan_id":
            start = timezone.localdate() - timedelta(days=7)
            values[param] = Plan.objects.create(
                school=world.school, pupil=pupil, cycle=1, status="active",
                start_date=start, review_date=start + timedelta(weeks=12),
            ).pk  # fmt: skip
        elif param == "outcome_id":
            values[param] = outcome_on_measure(pupil, scores=2).pk
        elif param == "slug":
            values[param] = InterventionFactory().slug
        elif param == "skill_need_id":
            skill = Skill.objects.create(slug="x", name="X", area="semh")
            values[param] = SkillNeed.objects.create(
                school=world.school, pupil=pupil, skill=skill, severity=2
            ).pk
        elif param == "score_id":
            measure = Measure.objects.create(slug="audit-m", name="M", kind="standardised")
            values[param] = Score.objects.create(
                school=world.school, pupil=pupil, measure=measure, value=90,
                taken_on=timezone.localdate(), entered_by=world.users["senco"],
            ).pk  # fmt: skip
        elif param in ("outcome_id", "placement_id"):
            plan = Plan.objects.get(pupil=pupil, pk=values["plan_id"])
            values[param] = (
                Outcome.objects.create(school=world.school, plan=plan, text="Reads").pk
                if param == "outcome_id"
                else Placement.objects.create(
                    school=world.school, plan=plan, intervention=InterventionFactory()
                ).pk
            )
        elif param == "decision_id":  # an escalation agreed at the plan's completed review
            plan = Plan.objects.get(pupil=pupil, pk=values["plan_id"])
            review = Review.objects.create(
                school=world.school, plan=plan, held_on=timezone.localdate(), status="complete"
            )
            values[param] = PlacementDecision.objects.create(
                school=world.school, review=review, decision="escalate_ehc",
                placement=Placement.objects.create(
                    school=world.school, plan=plan, intervention=InterventionFactory()
                ),
            ).pk  # fmt: skip
        else:
            pytest.fail(f"{name}: say how to fill the URL argument {param!r} in this test")
    return reverse(name, kwargs=values)


def open_page(client, url):
    """GET the page; a page that only takes POST (405 to a GET) is posted to, empty."""
    response = client.get(url)
    return client.post(url, {}) if response.status_code == 405 else response


@pytest.mark.parametrize("name", sorted(PUPIL_URLS))
def test_a_permitted_read_writes_exactly_one_audit_entry_for_the_pupil(name, world, client_as):
    pupil = world.pupil_in_class
    url = url_for(name, pupil.pk, world)
    client = client_as("senco")
    before = AuditEntry.objects.count()
    response = open_page(client, url)
    assert response.status_code in (200, 302), response.content[:300]
    reads = AuditEntry.objects.filter(action="view")
    assert list(reads.values_list("object_type", "object_id")) == [("pupil", str(pupil.pk))]
    if response.request["REQUEST_METHOD"] == "GET":
        assert AuditEntry.objects.count() == before + 1  # the read, and nothing else


@pytest.mark.parametrize("name", sorted(PUPIL_URLS))
@pytest.mark.parametrize("whose", ["another school's", "a missing"])
def test_a_refused_read_answers_404_and_writes_exactly_one_refused_entry(
    name, whose, world, client_as
):
    last = Pupil.unscoped.order_by("-pk").values_list("pk", flat=True).first()
    asked = world.pupil_other_school.pk if whose == "another school's" else last + 1000
    url = url_for(name, world.pupil_in_class.pk, world).replace(
        f"/{world.pupil_in_class.pk}/", f"/{asked}/", 1
    )
    response = open_page(client_as("senco"), url)
    assert response.status_code == 404
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.object_type, entry.object_id) == ("refused", "pupil", str(asked))
    assert (entry.user, entry.school) == (world.users["senco"], world.school)
    assert world.pupil_other_school.first_name not in entry.object_repr + entry.detail
