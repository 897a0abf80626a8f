"""Local studies on an intervention's page: a finished group's figures, set aside by the SENCO
as not representative (kept, shown apart, left out of the school's figures, undone), and the
adaptations that helped in the trust's other schools."""

import html
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from sendwise.core.access import actor_for
from sendwise.delivery.models import Adaptation
from sendwise.impact import selectors as practice_selectors
from sendwise.impact import study_services
from sendwise.impact.models import LocalStudyNote
from sendwise.impact.study_models import REASON_MAX
from tests.evidence.factories import InterventionFactory
from tests.factories import SchoolFactory, TrustFactory, UserFactory
from tests.impact.localstudy_factories import finished_group, reading_test, words_probe
from tests.impact.test_selectors import WORKED, place

# Hand-worked: gains (92−85, 98−86, 95−80)/15 = 0.467, 0.8, 1.0 → mean 0.756 SD (+9 months).
SCORES = [(85, 92), (86, 98), (80, 95)]


@pytest.fixture
def programme(db):
    return InterventionFactory(slug="catch-up-reading", name="Catch-up Reading")


def page(client, slug):
    return client.get(reverse("evidence:detail", args=[slug]))


def mark_url(programme, group):
    return reverse("impact:local_study_mark", args=[programme.slug, group.pk])


def test_a_finished_group_is_a_local_study_with_n_and_interval(world, client_as, programme):
    finished_group(world.school, programme, SCORES + [(84, None)], name="Autumn 1")
    finished_group(world.school, programme, [(80, 90)], name="Still running", still_in=1)
    response = page(client_as("senco"), programme.slug)
    studies = response.context["local_studies"]
    assert [s.name for s in studies.counted] == ["Autumn 1"] and studies.running == 1
    (line,) = studies.counted[0].summary.lines
    assert (line.pupils, line.scored, line.missing) == (4, 3, 1)
    assert line.gain.mean == pytest.approx((7 + 12 + 15) / 15 / 3)
    text = response.content.decode()
    assert 'data-testid="local-studies"' in text and "Autumn 1" in text
    assert "n = 3 of 4" in text and "1 with no later score (missing, not zero)" in text
    figure = f"{line.gain.mean:.2f} ({line.gain.ci_low:.2f} to {line.gain.ci_high:.2f}), n = 3"
    assert figure in text
    assert "Still running" not in text


def test_a_teacher_sees_a_small_studys_counts_but_not_its_figures(world, client_as, programme):
    finished_group(world.school, programme, SCORES + [(84, None)], name="Three scored")
    finished_group(world.school, programme, SCORES + SCORES[:2], name="Five scored")
    response = page(client_as("teacher"), programme.slug)
    small, five = sorted(
        response.context["local_studies"].counted, key=lambda s: s.name != "Three scored"
    )
    (line,) = small.summary.lines
    assert line.suppressed and line.gain is None and line.mean_pre is None
    assert (line.pupils, line.scored) == (4, 3)
    assert small.summary.dose.mean_share is None
    assert not five.summary.lines[0].suppressed and five.summary.lines[0].gain.n == 5
    # The pool of 8 less the study of 5 would give the 3 back: the pooled line is withheld too.
    assert response.context["local_studies"].pooled.lines[0].suppressed
    text = html.unescape(response.content.decode())
    assert "Withheld: fewer than 5 pupils" in text
    assert "only the SENCO, the head and the school administrator" in text
    assert "Mark as not representative" not in text  # the teacher may not mark a study
    senco = page(client_as("senco"), programme.slug).context["local_studies"]
    assert not any(s.summary.lines[0].suppressed for s in senco.counted)


def test_pupils_judged_on_two_measures_give_two_lines_never_one_average(
    world, client_as, programme
):
    finished_group(world.school, programme, SCORES, name="Mixed")
    finished_group(
        world.school, programme, [(30, 41), (25, 33), (40, 45)], measure=words_probe(), name="B"
    )
    studies = page(client_as("senco"), programme.slug).context["local_studies"]
    pooled = [line.measure_name for line in studies.pooled.lines]
    assert pooled == ["Reading test", "Words read a minute"]


def test_with_no_finished_group_the_page_says_how_one_appears(world, client_as, programme):
    text = page(client_as("senco"), programme.slug).content.decode()
    assert "No group has finished yet" in text


def test_the_senco_sets_a_study_aside_with_a_reason_and_counts_it_again(
    world, client_as, programme
):
    finished_group(world.school, programme, SCORES, name="Autumn 1")
    odd, _ = finished_group(world.school, programme, [(70, 100), (72, 101), (75, 99)], name="Odd")
    client = client_as("senco")
    response = client.post(mark_url(programme, odd), {"reason": "A supply teacher ran it"})
    assert response.status_code == 302
    note = LocalStudyNote.objects.get(group=odd)
    assert note.not_representative and note.reason == "A supply teacher ran it"
    assert note.noted_by == world.users["senco"]

    response = page(client, programme.slug)
    studies = response.context["local_studies"]
    assert [s.name for s in studies.counted] == ["Autumn 1"]
    assert [s.name for s in studies.set_aside] == ["Odd"]
    assert studies.pooled.lines[0].scored == 3  # Odd's three pupils are left out of the pool
    text = response.content.decode()
    assert "Set aside as not representative" in text and "A supply teacher ran it" in text

    response = client.post(mark_url(programme, odd), {"reason": "Checked: it was run as usual"})
    assert response.status_code == 302
    note.refresh_from_db()
    assert not note.not_representative
    assert [h.not_representative for h in note.history.order_by("history_id")] == [True, False]
    assert page(client, programme.slug).context["local_studies"].pooled.lines[0].scored == 6


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", study_services.ERR_REASON_NEEDED),
        ("   ", study_services.ERR_REASON_NEEDED),
        ("x" * (REASON_MAX + 1), "Keep the reason to 1,000 characters or fewer"),
    ],
)
def test_a_bad_reason_is_refused_and_changes_nothing(world, client_as, programme, reason, message):
    group, _ = finished_group(world.school, programme, SCORES)
    response = client_as("senco").post(mark_url(programme, group), {"reason": reason})
    assert response.status_code == 200
    assert message in html.unescape(response.content.decode())
    assert response.content.decode().count("<title>Error: ") == 1
    assert not LocalStudyNote.objects.exists()


def test_a_running_group_or_another_schools_group_has_no_study_page(world, client_as, programme):
    running, _ = finished_group(world.school, programme, SCORES, still_in=1)
    theirs, _ = finished_group(world.other_school, programme, SCORES)
    client = client_as("senco")
    assert client.get(mark_url(programme, running)).status_code == 404
    assert client.get(mark_url(programme, theirs)).status_code == 404
    assert client.post(mark_url(programme, theirs), {"reason": "No"}).status_code == 404
    assert not LocalStudyNote.objects.exists()


def test_the_head_may_mark_but_a_teacher_is_refused_by_the_service_too(world, programme):
    group, _ = finished_group(world.school, programme, SCORES)
    from sendwise.impact.study_selectors import local_study_get

    teacher = actor_for(world.users["teacher"], world.school.pk)
    study = local_study_get(actor=teacher, intervention=programme, group_id=group.pk)
    with pytest.raises(PermissionDenied):
        study_services.local_study_set_aside(
            actor=teacher, study=study, intervention=programme, reason="No"
        )
    head = actor_for(world.users["head"], world.school.pk)
    note = study_services.local_study_set_aside(
        actor=head, study=study, intervention=programme, reason="Unusual"
    )
    assert note.not_representative


def test_a_set_aside_study_leaves_the_schools_practice_figure(world, client_as):
    programme = InterventionFactory(slug="practice-loop", name="Practice loop")
    for pre, post in WORKED:
        place(world.school, programme, reading_test(), pre, post)
    actor = actor_for(world.users["senco"], world.school.pk)
    assert len(practice_selectors.practice_records(actor=actor, intervention=programme)) == 5
    # Two of those placements were in a group the SENCO sets aside.
    from sendwise.planning.models import Placement
    from tests.delivery.factories import add_member, make_group

    group = make_group(world.school, programme, name="Set aside")
    for placement in Placement.objects.filter(intervention=programme)[:2]:
        member = add_member(group, placement, joined_on=date(2025, 9, 8))
        member.left_on = date(2025, 12, 1)
        member.save()
    LocalStudyNote.objects.create(
        school=world.school, group=group, intervention=programme, not_representative=True,
        reason="Chosen unusually", noted_on=date(2025, 12, 2),
    )  # fmt: skip
    assert len(practice_selectors.practice_records(actor=actor, intervention=programme)) == 3


def test_the_page_runs_the_same_queries_for_one_study_or_four(
    world, client_as, programme, django_assert_num_queries
):
    from tests.queries import capture_queries

    finished_group(world.school, programme, SCORES, name="G1")
    client = client_as("senco")
    page(client, programme.slug)
    with capture_queries() as one:
        page(client, programme.slug)
    for n in range(2, 5):
        finished_group(world.school, programme, SCORES, name=f"G{n}")
    with django_assert_num_queries(one):
        response = page(client, programme.slug)
    assert len(response.context["local_studies"].counted) == 4


# --- Across the trust ---------------------------------------------------------------------
def adaptation(school, intervention, group, *, result="helped", what="Shorter sessions"):
    recorder = UserFactory(full_name="Priya Recorder")
    return Adaptation.objects.create(
        school=school, intervention=intervention, group=group, kind="dose", what=what,
        why="Pupils tired after 20 minutes", result=result, recorded_by=recorder,
        recorded_on=date(2026, 1, 10),
    )  # fmt: skip


def test_adaptations_that_helped_in_the_trusts_other_schools_from_5_pupils(
    world, client_as, programme
):
    five, _ = finished_group(world.other_school, programme, SCORES + [(80, 85), (81, 88)],
                             name="Beta Tuesday group")  # fmt: skip
    four, _ = finished_group(world.other_school, programme, SCORES + [(80, 85)], name="Four")
    adaptation(world.other_school, programme, five, what="Shorter sessions, twice as often")
    adaptation(world.other_school, programme, four, what="Tried with four pupils")
    adaptation(world.other_school, programme, five, result="worse", what="Made it worse")
    adaptation(world.other_school, programme, None, what="No group behind it")
    adaptation(world.school, programme, five, what="Our own")  # shown in our own list instead
    elsewhere = SchoolFactory(name="Gamma", trust=TrustFactory())
    adaptation(elsewhere, programme, five, what="Another trust")

    response = page(client_as("teacher"), programme.slug)
    shared = response.context["trust_adaptations"]
    assert [a.what for a in shared] == ["Shorter sessions, twice as often"]
    assert shared[0].school == "Beta Primary" and shared[0].pupils == 5
    text = response.content.decode()
    section = text[text.index('data-testid="trust-adaptations"') :]
    section = section[: section.index("</ul>")]
    assert "Shorter sessions, twice as often" in section and "a group of 5 pupils" in section
    assert "Priya Recorder" not in section and "Beta Tuesday group" not in section


def test_a_school_outside_any_trust_sees_no_trust_section(world, client_as, programme):
    world.school.trust = None
    world.school.save()
    response = page(client_as("senco"), programme.slug)
    assert response.context["trust_adaptations"] is None
    assert "What helped in other schools in our trust" not in response.content.decode()


def test_a_set_aside_study_leaves_the_pooled_aggregates_and_counting_it_again_brings_it_back(
    world, programme
):
    """The school's impact pages, the trust's and the authority's read ImpactAggregate: a study
    set aside as not representative leaves those sums as well, at once, and comes back."""
    from sendwise.impact.bulk_services import aggregates_rebuild
    from sendwise.impact.models import ImpactAggregate
    from sendwise.impact.study_selectors import local_study_get

    group, _ = finished_group(world.school, programme, SCORES, name="Unusual")
    finished_group(world.school, programme, [(80, 90), (82, 91)], name="Usual")
    aggregates_rebuild(school_ids=[world.school.pk])

    def pupils():
        return sum(
            ImpactAggregate.objects.filter(school=world.school, intervention=programme).values_list(
                "placements", flat=True
            )
        )

    assert pupils() == len(SCORES) + 2
    senco = actor_for(world.users["senco"], world.school.pk)
    study = local_study_get(actor=senco, intervention=programme, group_id=group.pk)
    study_services.local_study_set_aside(
        actor=senco, study=study, intervention=programme, reason="Chosen unusually"
    )
    assert pupils() == 2
    aggregates_rebuild(school_ids=[world.school.pk])  # a full rebuild agrees
    assert pupils() == 2
    study = local_study_get(actor=senco, intervention=programme, group_id=group.pk)
    study_services.local_study_count_again(actor=senco, study=study, intervention=programme)
    assert pupils() == len(SCORES) + 2
