"""Writes to support plans. Each checks the school's rules, keeps history and is audited."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Max

from sendwise.core.access import Actor
from sendwise.core.codes import Provision
from sendwise.core.models import AuditEntry, Membership
from sendwise.core.roles import Role
from sendwise.core.services import service
from sendwise.evidence import measure_range
from sendwise.evidence.models import Intervention, Measure
from sendwise.planning import goals
from sendwise.planning.models import Outcome, Placement, Plan, Response
from sendwise.planning.signals import plan_changed_on_commit
from sendwise.pupils.access_services import pupil_access_end, pupil_access_grant
from sendwise.pupils.models import Pupil, PupilAccess
from sendwise.pupils.services import pupil_audit

REVIEW_BEFORE_START = "The review date must be after the start date"
PLAN_ALREADY_OPEN = (
    "This pupil already has a plan in place: review it before starting the next cycle"
)
TARGET_DATE_ORDER = "The target date must be after the baseline date"
MEASURE_REQUIRED = "Choose the measure the baseline and target are on"
AIMLINE_INCOMPLETE = "For a goal on a measure, give the baseline, the target and both dates"
TARGET_NOT_BETTER = "The target should be better than the baseline on {measure} ({direction})"
DOSE_ZERO = "Enter a number greater than 0"
OUTSIDE_AGE_REASON = (
    "{name} was evaluated for {years}: record why it is right for this pupil in {pupil_year}"
)
ALREADY_PLACED = "This intervention is already in the plan"
INTERVENTION_UNKNOWN = "Choose an intervention from the catalogue"
DELIVERER_NOT_STAFF = "Choose a member of staff at this school"
PLAN_CLOSED = "This plan has been reviewed and can no longer be changed"
REVIEW_SUMMARY_REQUIRED = "Write what happened and what happens next"
UNKNOWN_RESPONSE = "Choose how the pupil responded from the list"


def _open(plan: Plan) -> None:
    if plan.status == Plan.Status.REVIEWED:
        raise ValidationError(PLAN_CLOSED)


NOT_ON_REGISTER = (
    "{name} is recorded as having no special educational needs (No SEN). A support plan is SEN "
    "support: record {name} as on SEN support on their record first, then start the plan"
)


@service
def plan_create(
    *,
    actor: Actor,
    pupil: Pupil,
    start_date: date,
    review_date: date,
    pupil_contribution: str = "",
    parent_contribution: str = "",
    continuing: bool = False,
    request=None,
) -> Plan:
    """Open the pupil's next APDR cycle as a draft, seen by staff only, which the SENCO fills
    in and then puts in place (``plan_activate``, once it has an outcome). A plan is SEN
    support, so a pupil recorded as No SEN is added to the register first; ``continuing``: the
    cycle a review opens, for support already under way (the register is not checked again)."""
    # Lock the pupil's row so two SENCOs pressing "Start plan" at once cannot both pass the
    # check below (the database's one-open-plan constraint would then give a 500).
    Pupil.unscoped.select_for_update().filter(pk=pupil.pk).first()
    if not continuing and pupil.sen_provision == Provision.NONE:
        raise ValidationError(NOT_ON_REGISTER.format(name=pupil.first_name))
    if Plan.objects.filter(pupil=pupil).current().exists():
        raise ValidationError(PLAN_ALREADY_OPEN)
    if review_date <= start_date:
        raise ValidationError({"review_date": [REVIEW_BEFORE_START]})
    cycle = (Plan.objects.filter(pupil=pupil).aggregate(m=Max("cycle"))["m"] or 0) + 1
    plan = Plan(
        school_id=pupil.school_id,
        pupil=pupil,
        cycle=cycle,
        status=Plan.Status.DRAFT,
        start_date=start_date,
        review_date=review_date,
        pupil_contribution=pupil_contribution,
        parent_contribution=parent_contribution,
        created_by=actor.user,
    )
    plan.full_clean()
    plan.save()
    pupil_audit(actor, pupil, AuditEntry.Action.CREATE, f"Support plan {cycle} started", request)
    return plan


def aimline_problems(measure: Measure | None, baseline, target, baseline_date, target_date) -> dict:
    """Every rule an aimline must meet, by field (an outcome's, added or corrected)."""
    errors: dict[str, list[str]] = {}
    given = [baseline, target, baseline_date, target_date]
    if measure is None:
        if any(value is not None for value in given):
            errors["measure"] = [MEASURE_REQUIRED]
        return errors
    if any(value is None for value in given):
        errors["measure"] = [AIMLINE_INCOMPLETE]
        return errors
    # The same range rule as a score's (evidence.measure_range), each end on its own.
    for name, value in (("target", target), ("baseline", baseline)):
        problem = measure.value_problem(value, what=name)
        if problem:
            errors[name] = [problem]
    if "target" not in errors:
        problem = goals.target_problem(target, kind=measure.kind, measure=measure.name)
        if problem:
            errors["target"] = [problem]
    if "baseline" not in errors:
        # The starting score is a score: whole on a measure reported in whole numbers.
        problem = measure_range.whole_problem(
            baseline, what="baseline", measure=measure.name, kind=measure.kind
        )
        if problem:
            errors["baseline"] = [problem]
    if target_date <= baseline_date:
        errors["target_date"] = [TARGET_DATE_ORDER]
    if measure.higher_is_better is not None and "target" not in errors and target != baseline:
        better = target > baseline if measure.higher_is_better else target < baseline
        if not better:
            direction = "higher is better" if measure.higher_is_better else "lower is better"
            errors["target"] = [TARGET_NOT_BETTER.format(measure=measure.name, direction=direction)]
    return errors


OUTCOME_PLACEMENT_OTHER_PLAN = "Choose an intervention of this plan, or the plan as a whole"


@service
def outcome_add(
    *,
    actor: Actor,
    plan: Plan,
    text: str,
    measure: Measure | None = None,
    baseline=None,
    baseline_date=None,
    target=None,
    target_date=None,
    placement: Placement | None = None,
    request=None,
) -> Outcome:
    """Add a SMART outcome; with a measure it needs a full aimline within the measure's range.
    ``placement``: the intervention of this plan it is the goal of (None: the whole plan)."""
    _open(plan)
    errors = aimline_problems(measure, baseline, target, baseline_date, target_date)
    if not (text or "").strip():
        errors["text"] = ["Write the outcome"]
    if (
        placement is not None
        and not Placement.objects.standing().filter(pk=placement.pk, plan=plan).exists()
    ):
        errors["placement"] = [OUTCOME_PLACEMENT_OTHER_PLAN]
    if errors:
        raise ValidationError(errors)
    outcome = Outcome(
        school_id=plan.school_id,
        plan=plan,
        text=text.strip(),
        measure=measure,
        baseline=baseline,
        baseline_date=baseline_date,
        target=target,
        target_date=target_date,
        placement=placement,
    )
    outcome.full_clean()
    outcome.save()
    pupil_audit(
        actor, plan.pupil, AuditEntry.Action.UPDATE, f"Outcome added to plan {plan.cycle}", request
    )
    plan_changed_on_commit(sender=Outcome, school_id=plan.school_id, pupil_ids=[plan.pupil_id])
    return outcome


def outside_age(intervention: Intervention, pupil: Pupil) -> bool:
    """Is the pupil's year outside the intervention's evaluated range?"""
    return not intervention.nc_year_min <= pupil.nc_year <= intervention.nc_year_max


def placement_problems(
    *, school_id, intervention, pupil, dose, deliverer, outside_age_reason
) -> dict[str, list[str]]:
    """What is wrong with a placement's dose, age range and deliverer, by field: one rule for
    adding a placement and for correcting one. ``dose`` is (sessions a week, minutes, weeks),
    each None for the intervention's own; outside its evaluated years a reason is required."""
    errors: dict[str, list[str]] = {}
    for name, value in zip(
        ("sessions_per_week", "minutes_per_session", "weeks"), dose, strict=True
    ):
        if value is not None and value <= 0:
            errors[name] = [DOSE_ZERO]
    if outside_age(intervention, pupil) and not (outside_age_reason or "").strip():
        errors["outside_age_reason"] = [
            OUTSIDE_AGE_REASON.format(
                name=intervention.name,
                years=intervention.years_label.lower(),
                pupil_year=pupil.nc_year_label,
            )
        ]
    if (
        deliverer is not None
        and not Membership.objects.filter(user=deliverer, school_id=school_id)
        .exclude(role=Role.PARENT)
        .exists()
    ):
        errors["deliverer"] = [DELIVERER_NOT_STAFF]
    return errors


@service
def placement_add(
    *,
    actor: Actor,
    plan: Plan,
    intervention: Intervention,
    sessions_per_week=None,
    minutes_per_session=None,
    weeks=None,
    deliverer=None,
    why_chosen: str = "",
    outside_age_reason: str = "",
    recommendation_rank=None,
    request=None,
) -> Placement:
    """Put an intervention or strategy into the plan with its dose and deliverer.

    Outside the intervention's evaluated age range it is allowed only with a recorded reason.
    """
    _open(plan)
    pupil = plan.pupil
    errors: dict[str, list[str]] = {}
    if intervention.school_id not in (None, plan.school_id) or intervention.archived:
        errors["intervention"] = [INTERVENTION_UNKNOWN]
    elif Placement.objects.standing().filter(plan=plan, intervention=intervention).exists():
        errors["intervention"] = [ALREADY_PLACED]
    errors.update(
        placement_problems(
            school_id=plan.school_id,
            intervention=intervention,
            pupil=pupil,
            dose=(sessions_per_week, minutes_per_session, weeks),
            deliverer=deliverer,
            outside_age_reason=outside_age_reason,
        )
    )
    if errors:
        raise ValidationError(errors)
    placement = Placement(
        school_id=plan.school_id,
        plan=plan,
        intervention=intervention,
        sessions_per_week=sessions_per_week or intervention.sessions_per_week,
        minutes_per_session=minutes_per_session or intervention.minutes_per_session,
        weeks=weeks or intervention.weeks,
        deliverer=deliverer,
        why_chosen=why_chosen.strip(),
        outside_age_reason=outside_age_reason.strip() if outside_age(intervention, pupil) else "",
        recommendation_rank=recommendation_rank,
    )
    placement.full_clean()
    placement.save()
    # The person named to deliver it may see the pupil while the plan is open.
    pupil_access_grant(
        school_id=plan.school_id,
        basis=PupilAccess.Basis.NAMED_DELIVERER,
        source_id=placement.pk,
        user_id=placement.deliverer_id,
        pupil_ids=[pupil.pk],
    )
    pupil_audit(
        actor,
        pupil,
        AuditEntry.Action.UPDATE,
        f"{intervention.name} added to plan {plan.cycle}",
        request,
    )
    plan_changed_on_commit(sender=Placement, school_id=plan.school_id, pupil_ids=[pupil.pk])
    return placement


@service
def plan_review(
    *,
    actor: Actor,
    plan: Plan,
    reviewed_on: date,
    summary: str,
    responses: dict[int, str] | None = None,
    request=None,
) -> Plan:
    """Close the cycle with what happened and how the pupil responded to each placement.

    The responses feed the next cycle's recommendations (`pages.recommend`). Freeing the
    pupil's group places is delivery's part: the review meeting
    (`monitoring.review_services.review_save`) does both, and opens the next cycle, at once."""
    _open(plan)
    if not (summary or "").strip():
        raise ValidationError({"summary": [REVIEW_SUMMARY_REQUIRED]})
    if reviewed_on < plan.start_date:
        raise ValidationError(
            {"reviewed_on": ["The review date cannot be before the plan started"]}
        )
    placements = {p.pk: p for p in plan.placements.standing()}
    for placement_id, response in (responses or {}).items():
        if placement_id not in placements or response not in [*Response.values, ""]:
            raise ValidationError({"responses": [UNKNOWN_RESPONSE]})
        placement = placements[placement_id]
        if placement.response != response:
            placement.response = response
            placement._change_reason = "Response recorded at review"
            placement.save(update_fields=["response"])
    plan.status, plan.reviewed_on, plan.review_summary = (
        Plan.Status.REVIEWED,
        reviewed_on,
        summary.strip(),
    )
    plan._change_reason = "Reviewed"
    plan.save()
    # A reviewed plan's named deliverers no longer see the pupil through it.
    pupil_access_end(basis=PupilAccess.Basis.NAMED_DELIVERER, source_ids=list(placements))
    pupil_audit(
        actor, plan.pupil, AuditEntry.Action.UPDATE, f"Support plan {plan.cycle} reviewed", request
    )
    # A reviewed plan is judged no more: its flags are set back to clear.
    plan_changed_on_commit(sender=Plan, school_id=plan.school_id, pupil_ids=[plan.pupil_id])
    return plan


PLAN_NOT_DRAFT = "Only a draft plan can be put in place"
PLAN_NEEDS_OUTCOME = (
    "Add at least one outcome before putting the plan in place: its review judges the plan "
    "against its outcomes"
)


@service
def plan_activate(*, actor: Actor, plan: Plan, request=None) -> Plan:
    """Put a draft plan with at least one outcome in place: from now its interventions count
    as support given, and parents see it."""
    _open(plan)
    if plan.status != Plan.Status.DRAFT:
        raise ValidationError(PLAN_NOT_DRAFT)
    if not plan.outcomes.current().exists():
        raise ValidationError(PLAN_NEEDS_OUTCOME)
    plan.status = Plan.Status.ACTIVE
    plan._change_reason = "Put in place"
    plan.save(update_fields=["status"])
    pupil_audit(
        actor,
        plan.pupil,
        AuditEntry.Action.UPDATE,
        f"Support plan {plan.cycle} put in place",
        request,
    )
    plan_changed_on_commit(sender=Plan, school_id=plan.school_id, pupil_ids=[plan.pupil_id])
    return plan
