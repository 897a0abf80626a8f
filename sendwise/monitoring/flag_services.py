"""Writes for the decision rules: re-evaluate the flags of one outcome, some pupils or a whole
school, writing only the rows whose state changed (history keeps every earlier state).

Run when a score is saved (``services.score_add``), when a session is recorded (the
``delivery.signals.session_recorded`` receiver in ``monitoring.signals``), when what a plan's
checks read changes (an aimline, a dose, a review date: the ``planning.signals.plan_changed``
receiver, also in ``monitoring.signals``) and nightly for each school (the ``progress_check`` task). The judging is ``monitoring.rules`` (pure); the sentences
are ``monitoring.progress_text``; this module gathers the plain data and writes the results.

What is judged: every plan in place (active: not a draft, not yet reviewed) of a pupil on roll. Each outcome with an
aimline gets a ``progress`` row (always) and a ``no_score`` row (once raised); the plan a
``review_overdue`` row and each placement with a planned dose a ``low_dose`` row, once raised
(its reason says "not started: not in a group yet" for a placement never put in a group).
A raised concern that no longer holds, or a flag whose plan was reviewed (or put back to draft)
or whose outcome lost its aimline, is set back to clear (never deleted).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from sendwise.core.access import Actor
from sendwise.core.history import acting_user
from sendwise.core.services import service
from sendwise.delivery.session_selectors import dose_for_placements
from sendwise.maths.reliability import measure_change_reliability
from sendwise.monitoring import progress_text as text
from sendwise.monitoring import rules
from sendwise.monitoring.models import Flag
from sendwise.monitoring.selectors import scores_for_rules
from sendwise.planning.models import Outcome, Placement, Plan

CLEARED = "No longer applies."
CLEARED_REVIEWED = "The plan was reviewed, so this no longer applies."

#: Fields compared to decide whether a row changed (and written when it did).
STATE_FIELDS = ("verdict", "rule", "needs_decision", "reason", "reason_for_parent", "figures")
WRITE_FIELDS = (*STATE_FIELDS, "intervention", "evaluated_at", "decision_since")


def no_score_weeks(cadence: str) -> int:
    """Weeks without a score before it is flagged: settings.PROGRESS_NO_SCORE_WEEKS, a dict by
    cadence ("probe", "termly"), else the rules' defaults (6 and 16)."""
    chosen = getattr(settings, "PROGRESS_NO_SCORE_WEEKS", None) or {}
    return int(chosen.get(cadence, rules.NO_SCORE_WEEKS[cadence]))


@dataclass(frozen=True)
class FlagChanges:
    created: int
    updated: int
    unchanged: int


@service
def flags_evaluate_school(*, school_id: int, today: date | None = None) -> FlagChanges:
    """Re-judge every plan in place in the school (the nightly check)."""
    return _evaluate(school_id=school_id, pupil_ids=None, today=today)


@service
def flags_evaluate_pupils(
    *, school_id: int, pupil_ids: list[int], today: date | None = None, actor: Actor | None = None
) -> FlagChanges:
    """Re-judge the plans in place of these pupils (after a score or a session is saved); the
    history names ``actor`` (who saved it), or nobody for the system's own checks."""
    return _evaluate(school_id=school_id, pupil_ids=set(pupil_ids), today=today)


@service
def flags_evaluate_outcome(*, outcome: Outcome, today: date | None = None) -> FlagChanges:
    """Re-judge one outcome's progress and recent scores (nothing else of its plan)."""
    return _evaluate(
        school_id=outcome.school_id,
        pupil_ids={outcome.plan.pupil_id},
        today=today,
        outcome_id=outcome.pk,
    )


def _plans(school_id: int, pupil_ids: set[int] | None) -> list[Plan]:
    # Plans in place: a draft is still being written, so nothing in it is owed or judged yet.
    plans = Plan.objects.filter(
        school_id=school_id, status=Plan.Status.ACTIVE, pupil__archived_at__isnull=True
    )
    if pupil_ids is not None:
        plans = plans.filter(pupil_id__in=sorted(pupil_ids))
    return list(
        plans.prefetch_related(
            Prefetch(
                "outcomes",
                queryset=Outcome.objects.current().select_related("measure", "placement"),
            ),
            Prefetch(
                "placements",
                queryset=Placement.objects.standing().select_related("intervention"),
            ),
        )
    )


def _evaluate(
    *, school_id: int, pupil_ids: set[int] | None, today: date | None, outcome_id: int | None = None
) -> FlagChanges:
    today = today or timezone.localdate()
    plans = _plans(school_id, pupil_ids)
    outcomes = [
        (plan, o)
        for plan in plans
        for o in plan.outcomes.all()
        if o.has_aimline and (outcome_id is None or o.pk == outcome_id)
    ]
    scores = scores_for_rules(
        school_id=school_id,
        pupil_ids={plan.pupil_id for plan, _ in outcomes},
        measure_ids={o.measure_id for _, o in outcomes},
    )
    wanted: dict[tuple[str, str], dict] = {}
    for plan, outcome in outcomes:
        points = scores.get((plan.pupil_id, outcome.measure_id), [])
        wanted.update(_outcome_states(plan, outcome, points, today))
    if outcome_id is None:
        placements = [p for plan in plans for p in plan.placements.all()]
        doses = dose_for_placements(school_id=school_id, placements=placements, today=today)
        for plan in plans:
            wanted.update(_plan_states(plan, today, doses))
    return _write(school_id, pupil_ids, outcome_id, wanted, today)


def _state(plan, kind, subject, verdict, reason, parent, **extra) -> dict:
    """The values of one flag row (the fields ``_write`` compares and writes), and
    ``became_true``: the day the reason became true where the rule knows it (``_write`` dates
    the wait for a decision from it)."""
    return {
        "became_true": None,
        "school_id": plan.school_id,
        "pupil_id": plan.pupil_id,
        "plan_id": plan.pk,
        "kind": kind,
        "subject": subject,
        "verdict": verdict,
        "needs_decision": verdict
        in (Flag.Verdict.NOT_RESPONDING, Flag.Verdict.AHEAD, Flag.Verdict.RAISED),
        "reason": reason[:300],
        "reason_for_parent": parent[:300],
        "rule": "",
        "figures": {},
        "outcome_id": None,
        "placement_id": None,
        "intervention_id": None,
        **extra,
    }


def _outcome_states(plan: Plan, outcome: Outcome, points, today: date) -> dict:
    measure = outcome.measure
    coefficient = measure_change_reliability(measure)  # the same coefficient as impact's
    facts = rules.OutcomeFacts(
        kind=measure.kind,
        baseline=outcome.baseline,
        baseline_date=outcome.baseline_date,
        target=outcome.target,
        target_date=outcome.target_date,
        points=tuple(points),
        today=today,
        higher_is_better=measure.higher_is_better is not False,
        reliability=coefficient.value if coefficient else None,
        reliability_label=coefficient.label if coefficient else "",
        sd=measure.sd,
    )
    verdict = rules.progress_verdict(facts)
    reason = text.progress_sentence(verdict, today=today)
    parent = text.progress_sentence(verdict, audience=text.PARENT, today=today)
    if measure.kind in rules.TERMLY_KINDS:
        gain = text.gain_sentence(verdict, kind=measure.kind)
        parent_gain = text.gain_sentence(verdict, kind=measure.kind, audience=text.PARENT)
        reason, parent = f"{reason} {gain}".strip(), f"{parent} {parent_gain}".strip()
    figures = {**verdict.figures, "n_points": verdict.n_points}
    if verdict.rule == "gap" and verdict.verdict != rules.ON_TRACK:
        figures["not_judged_reliable"] = True
    if verdict.by:
        figures.update(more_needed=verdict.more_needed, by=verdict.by.isoformat())
    subject = f"outcome:{outcome.pk}"
    intervention_id = outcome.placement.intervention_id if outcome.placement_id else None
    common = {"outcome_id": outcome.pk, "intervention_id": intervention_id}
    found = {
        (subject, Flag.Kind.PROGRESS): _state(
            plan,
            Flag.Kind.PROGRESS,
            subject,
            verdict.verdict,
            reason,
            parent,
            rule=verdict.rule,
            figures=figures,
            needs_decision=verdict.needs_decision,
            became_true=verdict.since,
            **common,
        )
    }
    cadence = rules.cadence(measure.kind)
    last = max((d for d, _ in points if d >= outcome.baseline_date), default=None)
    stale = rules.no_recent_score(
        kind=measure.kind,
        last_score_on=last,
        since=outcome.baseline_date,
        today=today,
        weeks=no_score_weeks(cadence),
    )
    since = date.fromisoformat(stale.figures["last_score_on"])
    found[(subject, Flag.Kind.NO_SCORE)] = _concern(
        plan,
        Flag.Kind.NO_SCORE,
        subject,
        stale,
        text.no_score_sentence(last_score_on=since, today=today),
        text.no_score_sentence(last_score_on=since, today=today, audience=text.PARENT),
        **common,
    )
    return found


def _concern(plan, kind, subject, concern, reason, parent, **extra) -> dict:
    """The state of a concern: raised with its sentence, or clear."""
    if concern.raised:
        state = _state(
            plan, kind, subject, Flag.Verdict.RAISED, reason, parent, rule=kind,
            became_true=concern.since, **extra,
        )  # fmt: skip
    else:
        state = _state(plan, kind, subject, Flag.Verdict.CLEAR, CLEARED, "", rule=kind, **extra)
    state["figures"] = concern.figures
    return state


def _plan_states(plan: Plan, today: date, doses) -> dict:
    found = {}
    subject = f"plan:{plan.pk}"
    overdue = rules.review_overdue(review_date=plan.review_date, today=today)
    found[(subject, Flag.Kind.REVIEW_OVERDUE)] = _concern(
        plan,
        Flag.Kind.REVIEW_OVERDUE,
        subject,
        overdue,
        text.review_overdue_sentence(review_date=plan.review_date, today=today),
        text.review_overdue_sentence(
            review_date=plan.review_date, today=today, audience=text.PARENT
        ),
    )
    for placement in plan.placements.all():
        dose = doses.get(placement.pk)
        if dose is None:
            continue
        low = rules.low_dose(
            percent=dose.percent,
            reason=dose.reason,
            placed=dose.placed,
            owed=dose.planned_sessions,
            since=dose.since,
        )
        name = placement.intervention.name
        subject = f"placement:{placement.pk}"
        if not dose.placed:  # never in a group: not started, not a dose that fell short
            staff = text.not_started_sentence(intervention=name, owed=dose.planned_sessions)
            parent = text.not_started_sentence(intervention=name, owed=0, audience=text.PARENT)
        else:
            staff = text.low_dose_sentence(
                intervention=name, percent=dose.percent or 0, reason=dose.reason
            )
            parent = text.low_dose_sentence(intervention=name, percent=0, audience=text.PARENT)
        found[(subject, Flag.Kind.LOW_DOSE)] = _concern(
            plan,
            Flag.Kind.LOW_DOSE,
            subject,
            low,
            staff if low.raised else "",
            parent,
            placement_id=placement.pk,
            intervention_id=placement.intervention_id,
        )
    return found


def _write(school_id, pupil_ids, outcome_id, wanted: dict, today: date) -> FlagChanges:
    existing = Flag.objects.filter(school_id=school_id)
    if outcome_id is not None:
        existing = existing.filter(outcome_id=outcome_id)
    elif pupil_ids is not None:
        existing = existing.filter(pupil_id__in=sorted(pupil_ids))
    now = timezone.now()
    current = {(f.subject, f.kind): f for f in existing}
    created, changed, unchanged = [], [], 0
    for key, state in wanted.items():
        flag = current.get(key)
        # Waiting since the day the reason became true (a review date passed, a gap in scores
        # grew too long, the score that triggered a rule), not the day a check first ran.
        since = _waiting_since(state.pop("became_true"), now)
        if flag is None:
            if state["verdict"] != Flag.Verdict.CLEAR:  # a concern gets a row once raised
                waiting = since if state["needs_decision"] else None
                created.append(Flag(**state, evaluated_at=now, decision_since=waiting))
        elif _differs(flag, state) or _earlier(flag, state, since):
            if not state["needs_decision"]:
                flag.decision_since = None
            elif not flag.needs_decision or _earlier(flag, state, since):
                flag.decision_since = since
            for name in STATE_FIELDS:
                setattr(flag, name, state[name])
            flag.intervention_id = state["intervention_id"]
            flag.evaluated_at = now
            changed.append(flag)
        else:
            unchanged += 1
    for key, flag in current.items():
        # Judged no more (the plan was reviewed, the outcome lost its aimline): set to clear.
        if key not in wanted and flag.verdict != Flag.Verdict.CLEAR:
            flag.verdict, flag.needs_decision = Flag.Verdict.CLEAR, False
            flag.decision_since = None
            flag.reason, flag.reason_for_parent = CLEARED_REVIEWED, ""
            flag.evaluated_at = now
            changed.append(flag)
    user = acting_user()
    if created:
        bulk_create_with_history(created, Flag, default_user=user, batch_size=500)
    if changed:
        bulk_update_with_history(
            changed, Flag, fields=list(WRITE_FIELDS), default_user=user, batch_size=500
        )
    return FlagChanges(len(created), len(changed), unchanged)


def _waiting_since(became_true: date | None, now: datetime) -> datetime:
    """The start of the day the reason became true (never after now), else now."""
    if became_true is None:
        return now
    return min(now, timezone.make_aware(datetime.combine(became_true, time.min)))


def _earlier(flag: Flag, state: dict, since: datetime) -> bool:
    """A flag already waiting, whose reason is now known to have held from an earlier day
    (rows written before each reason carried its date said "today")."""
    return bool(
        state["needs_decision"]
        and flag.needs_decision
        and flag.decision_since is not None
        and since < flag.decision_since
    )


def _differs(flag: Flag, state: dict) -> bool:
    return any(getattr(flag, name) != state[name] for name in STATE_FIELDS) or (
        flag.intervention_id != state["intervention_id"]
    )
