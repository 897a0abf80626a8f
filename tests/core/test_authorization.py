"""Every URL of the project × every role: allowed or refused.

A new URL pattern without a row here fails `test_every_url_has_a_row`, so no page ships without
deciding who may open it. Refusals are 403 (signed in, wrong role), 302 to sign-in (anonymous),
404 (a record the person may not see, so its existence is not revealed) or 405 (wrong method).

The school world and the records the URLs point at are made once for the module (see
tests/shared_data.py): every case runs in its own savepoint inside that module's transaction,
so a POST by one role is undone before the next case, and each case gets fresh copies.
"""

import copy
from dataclasses import dataclass

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.concerns.factories import answered_request, concern_url
from tests.conftest import World, make_world
from tests.core.account_helpers import ACCOUNT_URL_NAMES, account_url
from tests.delivery.factories import delivery_url
from tests.evidence.factories import intervention_url, own_intervention
from tests.impact.localstudy_factories import local_study_url
from tests.shared_data import rows_for_module
from tests.table_regions import region_problems, tables_on

LOGIN = "login"
WHO = [
    "anonymous",
    "senco",
    "intervention_specialist",
    "teacher",
    "head",
    "parent",
    "la_adviser",
    "admin",
    "other_school_senco",
]


def row(anonymous, senco, assistant, teacher, head, parent, adviser, admin, other_senco):
    return dict(
        zip(
            WHO,
            [anonymous, senco, assistant, teacher, head, parent, adviser, admin, other_senco],
            strict=True,
        )
    )


# GET of each URL name. Pupil URLs use the pupil in the teacher's and assistant's class, whose
# parent is the `parent` user.
MATRIX = {
    "home": row(LOGIN, 200, 200, 200, 200, 200, 200, 200, 200),
    "login": row(200, 302, 302, 302, 302, 302, 302, 302, 302),
    "logout": row(405, 405, 405, 405, 405, 405, 405, 405, 405),
    "healthz": row(200, 200, 200, 200, 200, 200, 200, 200, 200),
    "audit_log": row(LOGIN, 200, 403, 403, 200, 403, 403, 403, 200),
    "staff": row(LOGIN, 200, 403, 403, 200, 403, 403, 200, 200),
    "classes": row(LOGIN, 200, 200, 200, 200, 403, 403, 200, 200),
    "switch_school": row(405, 405, 405, 405, 405, 405, 405, 405, 405),
    # Accounts (issue 13): your own account and sessions; the second factor for staff and
    # advisers (no one here has one yet: the code page sends them to set one up, the recovery
    # codes page to their account); password reset for anyone (a made-up link says it does not
    # work); invitations sent by the school's administrator, accepted by anyone with the link
    # (someone signed in as another person is told to sign out first).
    "account": row(LOGIN, 200, 200, 200, 200, 200, 200, 200, 200),
    "session_end": row(405, 405, 405, 405, 405, 405, 405, 405, 405),
    "second_factor_verify": row(LOGIN, 302, 302, 302, 302, 302, 302, 302, 302),
    "second_factor_setup": row(LOGIN, 200, 200, 200, 200, 403, 200, 200, 200),
    "recovery_codes": row(LOGIN, 302, 302, 302, 302, 403, 302, 302, 302),
    "second_factor_remove": row(405, 405, 405, 405, 405, 405, 405, 405, 405),
    "password_reset": row(200, 200, 200, 200, 200, 200, 200, 200, 200),
    "password_reset_done": row(200, 200, 200, 200, 200, 200, 200, 200, 200),
    "password_reset_confirm": row(200, 200, 200, 200, 200, 200, 200, 200, 200),
    "password_reset_complete": row(200, 200, 200, 200, 200, 200, 200, 200, 200),
    "invitation_accept": row(200, 200, 200, 200, 200, 200, 200, 200, 200),
    "invitations": row(LOGIN, 403, 403, 403, 403, 403, 403, 200, 403),
    "invitation_new": row(LOGIN, 403, 403, 403, 403, 403, 403, 200, 403),
    "invitation_revoke": row(405, 405, 405, 405, 405, 405, 405, 405, 405),
    "pupils:register": row(LOGIN, 200, 200, 200, 200, 403, 403, 200, 200),
    "pupils:detail": row(LOGIN, 200, 200, 200, 200, 200, 403, 200, 404),
    "pupils:edit": row(LOGIN, 200, 403, 403, 403, 403, 403, 403, 404),
    # Who changed the record, and when: for those who plan support (the background notes'
    # rule), not class teachers, parents or administrators.
    "pupils:changes": row(LOGIN, 200, 200, 403, 200, 403, 403, 403, 404),
    "pupils:archive": row(LOGIN, 200, 403, 403, 403, 403, 403, 403, 404),
    # Assess: register export and census checks are whole-school tools; the profile is edited by
    # the SENCO; the one-page profile is for everyone who works with the pupil and their parent.
    "pupils:export": row(LOGIN, 200, 403, 403, 200, 403, 403, 200, 200),
    "pupils:census_checks": row(LOGIN, 200, 403, 403, 200, 403, 403, 200, 200),
    "pupils:skills": row(LOGIN, 200, 403, 403, 403, 403, 403, 403, 200),
    "pupils:needs_profile": row(LOGIN, 200, 403, 403, 403, 403, 403, 403, 404),
    "pupils:skill_add": row(LOGIN, 200, 403, 403, 403, 403, 403, 403, 404),
    "pupils:skill_remove": row(405, 405, 405, 405, 405, 405, 405, 405, 405),
    "pupils:one_page_profile": row(LOGIN, 200, 200, 200, 200, 200, 403, 200, 404),
    "pupils:one_page_profile_edit": row(LOGIN, 200, 403, 403, 403, 403, 403, 403, 404),
    "pupils:voice_add": row(LOGIN, 200, 200, 200, 403, 200, 403, 403, 404),
    # Import: the SENCO and the school administrator; the batch belongs to the first school.
    "exchange:start": row(LOGIN, 200, 403, 403, 403, 403, 403, 200, 200),
    "exchange:preview": row(LOGIN, 200, 403, 403, 403, 403, 403, 200, 404),
    "exchange:confirm": row(405, 405, 405, 405, 405, 405, 405, 405, 405),
    "exchange:progress": row(LOGIN, 200, 403, 403, 403, 403, 403, 200, 404),
    "exchange:retry": row(405, 405, 405, 405, 405, 405, 405, 405, 405),
    # Concerns: the concern is about the pupil in the teacher's class, raised by the teacher; the
    # observation request is addressed to the teacher, so the assistant in that class gets 404.
    "concerns:list": row(LOGIN, 200, 403, 403, 200, 403, 403, 403, 200),
    "concerns:raise": row(LOGIN, 200, 200, 200, 200, 403, 403, 200, 404),
    "concerns:raised": row(LOGIN, 200, 404, 200, 200, 403, 403, 404, 404),
    "concerns:detail": row(LOGIN, 200, 403, 403, 200, 403, 403, 403, 404),
    "concerns:ask": row(LOGIN, 200, 403, 403, 403, 403, 403, 403, 404),
    "concerns:parents": row(LOGIN, 200, 403, 403, 403, 403, 403, 403, 404),
    "concerns:close": row(LOGIN, 200, 403, 403, 403, 403, 403, 403, 404),
    "concerns:observe": row(LOGIN, 403, 404, 200, 403, 403, 403, 403, 403),
    # Evidence catalogue: a staff tool (parents and advisers refused). Detail and messages use the
    # first school's own practice-based intervention, so another school's SENCO gets 404.
    "evidence:catalogue": row(LOGIN, 200, 200, 200, 200, 403, 403, 200, 200),
    "evidence:detail": row(LOGIN, 200, 200, 200, 200, 403, 403, 200, 404),
    "evidence:new": row(LOGIN, 200, 403, 403, 403, 403, 403, 403, 200),
    "evidence:messages": row(LOGIN, 200, 403, 403, 403, 403, 403, 403, 404),
    "evidence:themes": row(LOGIN, 200, 200, 200, 200, 403, 403, 200, 200),
    # Local studies: the SENCO and the head set one aside as not representative (or count it
    # again); the study is a finished group of the first school's own intervention.
    "impact:local_study_mark": row(LOGIN, 200, 403, 403, 200, 403, 403, 403, 404),
    # Plan: everyone who works with the pupil, and the parent, sees the plans; the SENCO writes
    # them; recommendations are for those who plan support (SENCO, head, intervention specialist).
    "planning:plans": row(LOGIN, 200, 200, 200, 200, 200, 403, 200, 404),
    "planning:plan_new": row(LOGIN, 200, 403, 403, 403, 403, 403, 403, 404),
    "planning:recommendations": row(LOGIN, 200, 200, 403, 200, 403, 403, 403, 404),
    "planning:outcome_add": row(LOGIN, 200, 403, 403, 403, 403, 403, 403, 404),
    "planning:placement_add": row(LOGIN, 200, 403, 403, 403, 403, 403, 403, 404),
    "planning:review": row(LOGIN, 200, 403, 403, 403, 403, 403, 403, 404),
    "planning:plan_activate": row(405, 405, 405, 405, 405, 405, 405, 405, 405),
    # Review meetings: the SENCO holds and shares them; staff who see the pupil read them; the
    # parents only once shared (this one is complete, not shared: 404 for the parent).
    "planning:review_record": row(LOGIN, 200, 200, 200, 200, 404, 403, 200, 404),
    "planning:review_share": row(405, 405, 405, 405, 405, 405, 405, 405, 405),
    # Marking an escalation agreed at a review as done: the SENCO only.
    "planning:escalation_done": row(LOGIN, 200, 403, 403, 403, 403, 403, 403, 404),
    # Reviews due: the SENCO and the head (every pupil's), specialists (their groups' pupils).
    "reviews_due": row(LOGIN, 200, 200, 403, 200, 403, 403, 403, 200),
    # Monitoring: those who teach or support the pupil record scores.
    "monitoring:score_add": row(LOGIN, 200, 200, 200, 403, 403, 403, 403, 404),
    # Progress: staff who may see the pupil read an outcome's full chart (the parent reads the
    # goals in plain words on the progress page, which staff may open to see what parents see).
    "pupils:outcome_progress": row(LOGIN, 200, 200, 200, 200, 403, 403, 200, 404),
    "pupils:progress": row(LOGIN, 200, 200, 200, 200, 200, 403, 200, 404),
    # Pupils who need a decision: the SENCO and the head (every pupil), specialists and teachers
    # (the pupils they may see); never parents, advisers or administrators.
    "decisions": row(LOGIN, 200, 200, 200, 200, 403, 403, 403, 200),
    "planning:outcome_withdraw": row(LOGIN, 200, 403, 403, 403, 403, 403, 403, 404),
    "planning:placement_withdraw": row(LOGIN, 200, 403, 403, 403, 403, 403, 403, 404),
    # Corrections (issue 11 item 5): whoever withdraws, corrects (the SENCO); staff who may see
    # the pupil read what was corrected in a plan, parents do not.
    "planning:outcome_correct": row(LOGIN, 200, 403, 403, 403, 403, 403, 403, 404),
    "planning:placement_correct": row(LOGIN, 200, 403, 403, 403, 403, 403, 403, 404),
    "planning:review_date_change": row(LOGIN, 200, 403, 403, 403, 403, 403, 403, 404),
    "planning:plan_changes": row(LOGIN, 200, 200, 200, 200, 403, 403, 200, 404),
    # A pupil's scores page is for staff who may see the pupil; a score (entered by the teacher)
    # is corrected or withdrawn by whoever entered it or the SENCO. A group's scores are entered
    # by whoever runs the group (the specialist) or the SENCO; a teacher who does not run it
    # gets 404; the head reads registers but does not enter scores.
    "monitoring:scores": row(LOGIN, 200, 200, 200, 200, 403, 403, 200, 404),
    "monitoring:score_correct": row(LOGIN, 200, 403, 200, 403, 403, 403, 403, 404),
    "monitoring:score_withdraw": row(LOGIN, 200, 403, 200, 403, 403, 403, 403, 404),
    "group_scores:enter": row(LOGIN, 200, 200, 404, 403, 403, 403, 403, 404),
    # Delivery: those who plan support see groups, staff time and the budget; the SENCO changes
    # groups, training and time; the SENCO and the head set the budget; whoever delivers or
    # teaches records an adaptation. The group is the first school's, so another school's SENCO
    # gets 404; so does the teacher's training page and an adaptation of the school's own entry.
    "delivery:overview": row(LOGIN, 200, 200, 403, 200, 403, 403, 200, 200),
    "delivery:group_new": row(LOGIN, 200, 403, 403, 403, 403, 403, 403, 200),
    "delivery:group_detail": row(LOGIN, 200, 200, 403, 200, 403, 403, 200, 404),
    "delivery:group_edit": row(LOGIN, 200, 403, 403, 403, 403, 403, 403, 404),
    "delivery:group_end": row(LOGIN, 200, 403, 403, 403, 403, 403, 403, 404),
    "delivery:member_add": row(405, 405, 405, 405, 405, 405, 405, 405, 405),
    "delivery:member_leave": row(405, 405, 405, 405, 405, 405, 405, 405, 405),
    "delivery:staff_choose": row(LOGIN, 200, 403, 403, 403, 403, 403, 403, 200),
    "delivery:staff_edit": row(LOGIN, 200, 403, 403, 403, 403, 403, 403, 404),
    "delivery:budget": row(LOGIN, 200, 403, 403, 200, 403, 403, 403, 200),
    "delivery:adaptations": row(LOGIN, 200, 200, 403, 200, 403, 403, 200, 200),
    "delivery:adaptation_new": row(LOGIN, 200, 200, 200, 403, 403, 403, 403, 404),
    # Sessions: those who run groups (specialists, teachers), the SENCO and the head. A group's
    # register (run by the specialist) is seen by its runner, the SENCO and, read-only, the head;
    # a teacher who does not run it gets 404; parents, advisers and administrators never.
    "delivery:sessions": row(LOGIN, 200, 200, 200, 200, 403, 403, 403, 200),
    "delivery:register": row(LOGIN, 200, 200, 404, 200, 403, 403, 403, 404),
    # A class's week of support: its teacher and assistant (the class is theirs), the SENCO and
    # the head; another school's SENCO gets 404 for the first school's class.
    "delivery:class_week": row(LOGIN, 200, 200, 200, 200, 403, 403, 403, 404),
    # Lessons protected: the SENCO, the head and the administrator keep classes' lesson
    # timetables (and import them); a class teacher reads their own class's (the class is the
    # teacher's); the SENCO and the head set the lesson rules; the withdrawal list is for those
    # who plan support (a specialist sees their own groups' pupils).
    "delivery:lesson_classes": row(LOGIN, 200, 403, 200, 200, 403, 403, 200, 200),
    "delivery:class_lessons": row(LOGIN, 200, 403, 200, 200, 403, 403, 200, 404),
    "delivery:lesson_edit": row(LOGIN, 200, 403, 403, 200, 403, 403, 200, 404),
    "delivery:lesson_remove": row(405, 405, 405, 405, 405, 405, 405, 405, 405),
    "delivery:lesson_rules": row(LOGIN, 200, 403, 403, 200, 403, 403, 403, 200),
    # The school calendar: read by everyone who sees the school's delivery (another school's
    # SENCO sees their own school's); kept by the SENCO, the head and the administrator.
    "delivery:calendar": row(LOGIN, 200, 200, 403, 200, 403, 403, 200, 200),
    "delivery:closure_edit": row(LOGIN, 200, 403, 403, 200, 403, 403, 200, 404),
    "delivery:closure_remove": row(405, 405, 405, 405, 405, 405, 405, 405, 405),
    "delivery:withdrawals": row(LOGIN, 200, 200, 403, 200, 403, 403, 403, 200),
    # The costs of provision and the costed provision map (the school's and each pupil's, on
    # the page and downloaded): money and every pupil's support at once, so the SENCO, the head
    # and the administrator; another school's SENCO sees their own school's map and gets 404
    # for the first school's pupil.
    "delivery:costs": row(LOGIN, 200, 403, 403, 200, 403, 403, 200, 200),
    "delivery:provision_map": row(LOGIN, 200, 403, 403, 200, 403, 403, 200, 200),
    "delivery:pupil_provision": row(LOGIN, 200, 403, 403, 200, 403, 403, 200, 404),
    "provision_reports:school_pdf": row(LOGIN, 200, 403, 403, 200, 403, 403, 200, 200),
    "provision_reports:school_xlsx": row(LOGIN, 200, 403, 403, 200, 403, 403, 200, 200),
    "provision_reports:pupil_pdf": row(LOGIN, 200, 403, 403, 200, 403, 403, 200, 404),
    "provision_reports:pupil_xlsx": row(LOGIN, 200, 403, 403, 200, 403, 403, 200, 404),
    "exchange:lessons_start": row(LOGIN, 200, 403, 403, 200, 403, 403, 200, 200),
    "exchange:lessons_preview": row(LOGIN, 200, 403, 403, 200, 403, 403, 200, 404),
    "exchange:lessons_confirm": row(405, 405, 405, 405, 405, 405, 405, 405, 405),
    # Reports: the parents' plan record for whoever may read the plans (and the parents); the
    # EHC evidence pack, the governors' summary and whole-school packs for the SENCO and the head
    # (another school's SENCO gets their own school's summary, and 404 for this school's pack).
    "reports:plan_report": row(LOGIN, 200, 200, 200, 200, 200, 403, 200, 404),
    "reports:ehc_preview": row(LOGIN, 200, 403, 403, 200, 403, 403, 403, 404),
    "reports:ehc_pdf": row(LOGIN, 200, 403, 403, 200, 403, 403, 403, 404),
    "reports:governors": row(LOGIN, 200, 403, 403, 200, 403, 403, 403, 200),
    "reports:governors_pdf": row(LOGIN, 200, 403, 403, 200, 403, 403, 403, 200),
    "reports:governors_xlsx": row(LOGIN, 200, 403, 403, 200, 403, 403, 403, 200),
    "reports:packs": row(LOGIN, 200, 403, 403, 200, 403, 403, 403, 200),
    "reports:pack": row(LOGIN, 200, 403, 403, 200, 403, 403, 403, 404),
    "reports:pack_download": row(LOGIN, 200, 403, 403, 200, 403, 403, 403, 404),
    # Impact: a pupil's results for staff who may see the pupil; the school's impact pages for
    # the SENCO, the head and the administrator (another school's SENCO sees their own school's
    # page, and 404 for the first school's own intervention).
    "pupils:impact": row(LOGIN, 200, 200, 200, 200, 403, 403, 200, 404),
    "impact:school": row(LOGIN, 200, 403, 403, 200, 403, 403, 200, 200),
    "reports:impact_pdf": row(LOGIN, 200, 403, 403, 200, 403, 403, 200, 200),
    "reports:impact_xlsx": row(LOGIN, 200, 403, 403, 200, 403, 403, 200, 200),
    "impact:intervention": row(LOGIN, 200, 403, 403, 200, 403, 403, 200, 404),
    # Subject access (issue 13): the SENCO and the head export a pupil's whole file; another
    # school's SENCO gets 404. The retention report is for the SENCO and the administrator.
    "records:subject_access": row(LOGIN, 200, 403, 403, 200, 403, 403, 403, 404),
    "records:retention": row(LOGIN, 200, 403, 403, 403, 403, 403, 200, 200),
    "records:export_progress": row(LOGIN, 200, 403, 403, 200, 403, 403, 403, 404),
    "records:export_download": row(LOGIN, 200, 403, 403, 200, 403, 403, 403, 404),
    # Impact across schools, from aggregates only: heads of a trust's schools compare the trust's
    # schools; the adviser sees the authority's (and downloads it). Nobody else.
    "across:trust": row(LOGIN, 403, 403, 403, 200, 403, 403, 403, 403),
    "across:authority": row(LOGIN, 403, 403, 403, 403, 403, 200, 403, 403),
    "across:authority_xlsx": row(LOGIN, 403, 403, 403, 403, 403, 200, 403, 403),
}


@dataclass
class Shared:
    world: World
    urls: dict[str, str]  # URL name → the address each case opens


def build_shared() -> Shared:
    world = make_world()
    shared = Shared(world, {name: url_for(name, world) for name in sorted(MATRIX)})
    answered_request(world)  # the concern's page then shows its observations as a table
    return shared


@pytest.fixture(scope="module", autouse=True)
def shared(django_db_setup, django_db_blocker):
    yield from rows_for_module(django_db_blocker, build_shared)


@pytest.fixture
def world(shared, db) -> World:
    return copy.deepcopy(shared.world)


def all_url_names(patterns=None, namespace=""):
    names = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= all_url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            if pattern.name is None:
                names.add(f"{namespace}<unnamed {pattern.pattern}>")
            else:
                names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_has_a_row():
    assert all_url_names() == set(MATRIX)


def url_for(name, world):
    if name in ACCOUNT_URL_NAMES:
        return account_url(name, world)
    if name.startswith("concerns:"):
        return concern_url(name, world)
    if name == "impact:local_study_mark":
        return local_study_url(name, world)
    if name.startswith("evidence:"):
        return intervention_url(name, world)
    if name == "impact:intervention":
        return reverse(name, kwargs={"intervention_id": own_intervention(world).pk})
    if name.startswith("delivery:"):
        return delivery_url(name, world)
    if name == "pupils:outcome_progress":
        return reverse(
            name,
            kwargs={
                "pupil_id": world.pupil_in_class.pk,
                "outcome_id": outcome_for_chart(world).pk,
            },
        )
    if name in ("monitoring:score_add", "monitoring:scores"):
        return reverse(name, kwargs={"pupil_id": world.pupil_in_class.pk})
    if name in ("monitoring:score_correct", "monitoring:score_withdraw"):
        score = teachers_score(world)
        return reverse(name, kwargs={"pupil_id": score.pupil_id, "score_id": score.pk})
    if name == "group_scores:enter":
        group_url = delivery_url("delivery:group_detail", world)
        return group_url + "scores/"
    if name.startswith("planning:"):
        return planning_url(name, world)
    if name in ("provision_reports:pupil_pdf", "provision_reports:pupil_xlsx"):
        return reverse(name, kwargs={"pupil_id": world.pupil_in_class.pk})
    if name in ("exchange:lessons_preview", "exchange:lessons_confirm"):
        return reverse(name, kwargs={"batch_id": lesson_import(world).pk})
    if name in ("exchange:preview", "exchange:confirm", "exchange:progress", "exchange:retry"):
        return reverse(name, kwargs={"batch_id": import_batch(world).pk})
    if name in ("reports:pack", "reports:pack_download"):
        return reverse(name, kwargs={"pack_id": finished_pack(world).pk})
    if name.startswith("reports:") and "ehc" not in name and "plan" not in name:
        return reverse(name)
    if name.startswith("reports:"):
        return reverse(name, kwargs={"pupil_id": world.pupil_in_class.pk})
    if name in SCHOOL_WIDE_PUPIL_URLS:
        return reverse(name)
    if name == "records:subject_access":
        return reverse(name, kwargs={"pupil_id": world.pupil_in_class.pk})
    if name in ("records:export_progress", "records:export_download"):
        return reverse(name, kwargs={"export_id": ready_export(world).pk})
    if name == "pupils:skill_remove":
        return reverse(name, kwargs={"pupil_id": world.pupil_in_class.pk, "skill_need_id": 1})
    if name.startswith("pupils:"):
        return reverse(name, kwargs={"pupil_id": world.pupil_in_class.pk})
    return reverse(name)


def teachers_score(world):
    """A score of the pupil in the teacher's class, entered by the teacher."""
    from datetime import date

    from sendwise.evidence.models import Measure
    from sendwise.monitoring.models import Score

    measure, _ = Measure.objects.get_or_create(
        slug="matrix-measure", defaults={"name": "Matrix measure", "kind": "standardised"}
    )
    score, _ = Score.objects.get_or_create(
        school=world.school,
        pupil=world.pupil_in_class,
        measure=measure,
        defaults={"value": 90, "taken_on": date(2026, 1, 5), "entered_by": world.users["teacher"]},
    )
    return score


def planning_url(name, world):
    from datetime import date

    from sendwise.planning.models import Outcome, Placement, Plan
    from tests.evidence.factories import InterventionFactory

    pupil = world.pupil_in_class
    kwargs = {"pupil_id": pupil.pk}
    if name in (
        "planning:outcome_add",
        "planning:placement_add",
        "planning:review",
        "planning:outcome_withdraw",
        "planning:placement_withdraw",
        "planning:outcome_correct",
        "planning:placement_correct",
        "planning:review_date_change",
        "planning:plan_changes",
    ):
        plan, _ = Plan.objects.get_or_create(
            school=world.school,
            pupil=pupil,
            cycle=1,
            defaults={
                "status": "active",
                "start_date": date(2026, 9, 1),
                "review_date": date(2026, 12, 1),
            },
        )
        kwargs["plan_id"] = plan.pk
    if name == "planning:placement_add":
        kwargs["slug"] = InterventionFactory().slug
    if name in ("planning:plan_activate", "planning:review_record", "planning:review_share"):
        kwargs["plan_id"] = reviewed_plan(world).pk
    if name == "planning:escalation_done":
        plan = reviewed_plan(world)
        kwargs["plan_id"] = plan.pk
        kwargs["decision_id"] = escalation(world, plan).pk
    if name in ("planning:outcome_withdraw", "planning:outcome_correct"):
        kwargs["outcome_id"] = Outcome.objects.create(
            school=world.school, plan=plan, text="Reads with confidence"
        ).pk
    if name in ("planning:placement_withdraw", "planning:placement_correct"):
        kwargs["placement_id"] = Placement.objects.create(
            school=world.school, plan=plan, intervention=InterventionFactory()
        ).pk
    return reverse(name, kwargs=kwargs)


def reviewed_plan(world):
    """An earlier cycle of the pupil's, closed by a completed review not shared with parents."""
    from datetime import date

    from sendwise.monitoring.models import Review
    from sendwise.planning.models import Plan

    plan, created = Plan.objects.get_or_create(
        school=world.school,
        pupil=world.pupil_in_class,
        cycle=9,
        defaults={
            "status": "reviewed",
            "start_date": date(2026, 1, 5),
            "review_date": date(2026, 3, 27),
            "reviewed_on": date(2026, 3, 27),
        },
    )
    if created:
        Review.objects.create(
            school=world.school, plan=plan, held_on=date(2026, 3, 27), status="complete"
        )
    return plan


def escalation(world, plan):
    """The completed review of ``plan`` agreed to request an EHC needs assessment."""
    from sendwise.monitoring.models import PlacementDecision
    from sendwise.planning.models import Placement
    from tests.evidence.factories import InterventionFactory

    placement = Placement.objects.create(
        school=world.school, plan=plan, intervention=InterventionFactory()
    )
    return PlacementDecision.objects.create(
        school=world.school,
        review=plan.reviews.get(),
        placement=placement,
        decision=PlacementDecision.Decision.ESCALATE_EHC,
    )


def outcome_for_chart(world):
    from tests.monitoring.factories import outcome_on_measure

    return outcome_on_measure(world.pupil_in_class)  # no scores: the matrix shares its world


def ready_export(world):
    """A subject-access export of the pupil in the teacher's class, made by the SENCO."""
    from django.utils import timezone

    from sendwise.reports.models import SubjectAccessExport

    export, _ = SubjectAccessExport.objects.get_or_create(
        school=world.school,
        pupil=world.pupil_in_class,
        defaults={
            "requested_by": world.users["senco"],
            "status": "ready",
            "finished_at": timezone.now(),
            "filename": "subject-access.zip",
            "content": b"PK",
        },
    )
    return export


def import_batch(world):
    from sendwise.exchange.models import ImportBatch
    from sendwise.exchange.samples import make_csv

    return ImportBatch.objects.create(
        school=world.school,
        uploaded_by=world.users["senco"],
        source="csv",
        filename="pupils.csv",
        content=make_csv(3, seed=1),
        sha256="-",
    )


def lesson_import(world):
    from sendwise.exchange.models import LessonImport

    return LessonImport.objects.create(
        school=world.school,
        uploaded_by=world.users["senco"],
        filename="lessons.csv",
        content=b"Class,Day,Start,End,Subject\n4 Ash,Monday,09:00,10:00,Maths\n",
        sha256="-",
    )


def finished_pack(world):
    """A finished pack of the first school's parent reports (its ZIP is a stand-in)."""
    from sendwise.reports.models import ReportPack

    pack, _ = ReportPack.objects.get_or_create(
        school=world.school,
        label="4 Ash",
        defaults={
            "class_group": world.pupil_in_class.class_group,
            "requested_by": world.users["senco"],
            "status": "done",
            "pupils": 1,
            "content": b"PK\x05\x06" + b"\x00" * 18,
            "filename": "parent-reports-4-ash.zip",
        },
    )
    return pack


SCHOOL_WIDE_PUPIL_URLS = {
    "pupils:register",
    "pupils:export",
    "pupils:census_checks",
    "pupils:skills",
}


# The pages a tester found with tables outside a region: each must show at least one table to
# the first of READERS the matrix lets open it (the world above gives each the records it needs:
# a plan, a concern with observations, a group with members, a class's lessons, an invitation,
# imports, a report pack, the pupil's EHC evidence), so the region check means something there.
READERS = ["senco", "admin", "head", "teacher", "intervention_specialist", "parent", "la_adviser"]
SHOW_A_TABLE = {
    "planning:plans",
    "concerns:list",
    "concerns:detail",
    "delivery:group_detail",
    "delivery:class_lessons",
    "invitations",
    "exchange:start",
    "exchange:lessons_start",
    "exchange:preview",
    "reports:packs",
    "reports:governors",
    "reports:ehc_preview",
}


def first_reader(name: str) -> str | None:
    return next((who for who in READERS if MATRIX[name][who] == 200), None)


def check_tables(name: str, who: str, response) -> None:
    """Every table of an HTML page scrolls in a region of its own (tests/table_regions.py), at
    phone width (WCAG 1.4.10 Reflow) only the table moving sideways, never the page."""
    if not response["Content-Type"].startswith("text/html"):
        return  # a download (PDF, spreadsheet): nothing scrolls on a screen
    html = response.content.decode()
    problems = region_problems(html)
    assert not problems, f"{name} as {who}: {problems}"
    if name in SHOW_A_TABLE and who == first_reader(name):
        assert tables_on(html), f"{name} showed {who} no table: the check would mean nothing"


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_who_may_open_each_page(name, who, shared, client_as):
    response = client_as(who).get(shared.urls[name])
    expected = MATRIX[name][who]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected, response.content[:300]
    if response.status_code == 200:
        check_tables(name, who, response)


def test_every_page_that_must_show_a_table_is_in_the_matrix_and_someone_may_open_it():
    assert {name for name in SHOW_A_TABLE if first_reader(name)} == SHOW_A_TABLE


@pytest.mark.parametrize("who", ["teacher", "intervention_specialist", "parent"])
def test_staff_and_parents_get_404_for_a_pupil_they_do_not_work_with(who, world, client_as):
    url = reverse("pupils:detail", kwargs={"pupil_id": world.pupil_elsewhere.pk})
    response = client_as(who).get(url)
    assert response.status_code == 404
    assert world.pupil_elsewhere.first_name.encode() not in response.content


def test_parent_reaching_another_childs_page_gets_404_not_the_record(world, client_as):
    response = client_as("parent").get(
        reverse("pupils:detail", kwargs={"pupil_id": world.pupil_elsewhere.pk})
    )
    assert response.status_code == 404
    assert b"Ben" not in response.content


def test_senco_cannot_open_a_pupil_of_another_school(world, client_as):
    url = reverse("pupils:detail", kwargs={"pupil_id": world.pupil_other_school.pk})
    assert client_as("senco").get(url).status_code == 404


def test_post_to_edit_is_refused_for_a_teacher_and_changes_nothing(world, client_as):
    url = reverse("pupils:edit", kwargs={"pupil_id": world.pupil_in_class.pk})
    response = client_as("teacher").post(url, {"first_name": "Changed"})
    assert response.status_code == 403
    world.pupil_in_class.refresh_from_db()
    assert world.pupil_in_class.first_name == "Amara"


def test_post_to_archive_is_refused_for_a_head(world, client_as):
    url = reverse("pupils:archive", kwargs={"pupil_id": world.pupil_in_class.pk})
    assert client_as("head").post(url, {"reason": "left"}).status_code == 403
    world.pupil_in_class.refresh_from_db()
    assert world.pupil_in_class.archived_at is None


def test_anonymous_post_to_switch_school_goes_to_sign_in(world, client):
    response = client.post(reverse("switch_school"), {"school": world.school.pk})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_removing_a_skill_is_refused_to_a_teacher_and_hidden_from_another_school(world, client_as):
    from sendwise.pupils.models import Skill, SkillNeed

    need = SkillNeed.objects.create(
        school=world.school,
        pupil=world.pupil_in_class,
        skill=Skill.objects.create(slug="x", name="X", area="semh"),
        severity=2,
    )
    url = reverse(
        "pupils:skill_remove",
        kwargs={"pupil_id": world.pupil_in_class.pk, "skill_need_id": need.pk},
    )
    assert client_as("teacher").post(url).status_code == 403
    assert client_as("other_school_senco").post(url).status_code == 404
    assert SkillNeed.objects.filter(pk=need.pk).exists()


def test_a_teacher_cannot_add_a_score_for_a_pupil_in_another_class(world, client_as):
    from sendwise.evidence.models import Measure
    from sendwise.monitoring.models import Score

    measure = Measure.objects.create(slug="m", name="M", kind="standardised")
    url = reverse("monitoring:score_add", kwargs={"pupil_id": world.pupil_elsewhere.pk})
    data = {"measure": measure.pk, "value": "90", "taken_on": "2026-01-05"}
    assert client_as("teacher").post(url, data).status_code == 404
    assert not Score.objects.filter(pupil=world.pupil_elsewhere).exists()


def test_a_parent_adds_a_view_to_their_own_child_only(world, client_as):
    client = client_as("parent")
    own = reverse("pupils:voice_add", kwargs={"pupil_id": world.pupil_in_class.pk})
    other = reverse("pupils:voice_add", kwargs={"pupil_id": world.pupil_elsewhere.pk})
    data = {"kind": "parent", "text": "Reads with me at bedtime", "gathered_on": "2026-01-05"}
    assert client.post(other, data).status_code == 404
    assert client.post(own, data).status_code == 302


# POST-only URLs (their GET row above is 405 for everyone): an empty POST by each role. The
# allowed roles get past the permission check (a redirect, or 400/404 for the empty body or the
# made-up id); refused roles get 403 or 404 and nothing changes.
POST_MATRIX = {
    "logout": row(302, 302, 302, 302, 302, 302, 302, 302, 302),
    "switch_school": row(LOGIN, 302, 302, 302, 302, 302, 302, 302, 302),
    # Ending a session that is not yours (this id is no one's) is a 404; only the school's
    # administrator revokes an invitation (another school's SENCO is refused first).
    "session_end": row(LOGIN, 404, 404, 404, 404, 404, 404, 404, 404),
    "invitation_revoke": row(LOGIN, 403, 403, 403, 403, 403, 403, 302, 403),
    # Turning the second factor off: no one here has one, so staff are sent back to their
    # account; parents are not offered one.
    "second_factor_remove": row(LOGIN, 302, 302, 302, 302, 403, 302, 302, 302),
    "pupils:skill_remove": row(LOGIN, 404, 403, 403, 403, 403, 403, 403, 404),
    "exchange:confirm": row(LOGIN, 400, 403, 403, 403, 403, 403, 400, 404),
    # The batch waits for confirmation, so "try again" is refused with a message (a redirect).
    "exchange:retry": row(LOGIN, 302, 403, 403, 403, 403, 403, 302, 404),
    # An empty "add a pupil" shows the group page with its errors; "left the group" needs no
    # fields, so the SENCO's POST takes the pupil out of the group.
    "delivery:member_add": row(LOGIN, 200, 403, 403, 403, 403, 403, 403, 404),
    "delivery:member_leave": row(LOGIN, 302, 403, 403, 403, 403, 403, 403, 404),
    # The SENCO shares a completed review, or puts a draft plan in place (this one is
    # reviewed: refused with a message); both answer with a redirect.
    "planning:review_share": row(LOGIN, 302, 403, 403, 403, 403, 403, 403, 404),
    "planning:plan_activate": row(LOGIN, 302, 403, 403, 403, 403, 403, 403, 404),
    # Removing a lesson needs no fields; another school's SENCO cannot find the class.
    "delivery:lesson_remove": row(LOGIN, 302, 403, 403, 302, 403, 403, 302, 404),
    # Removing a closure needs no fields; another school's SENCO cannot find it.
    "delivery:closure_remove": row(LOGIN, 302, 403, 403, 302, 403, 403, 302, 404),
    # Neither "apply" nor "cancel" chosen: a bad request, past the permission check.
    "exchange:lessons_confirm": row(LOGIN, 400, 403, 403, 400, 403, 403, 400, 404),
}


def test_every_post_only_url_has_a_post_row():
    post_only = {name for name, expected in MATRIX.items() if set(expected.values()) == {405}}
    assert post_only == set(POST_MATRIX)


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("name", sorted(POST_MATRIX))
def test_who_may_post_to_each_post_only_url(name, who, shared, client_as):
    response = client_as(who).post(shared.urls[name], {})
    expected = POST_MATRIX[name][who]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected, response.content[:300]
