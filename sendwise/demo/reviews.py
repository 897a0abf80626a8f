"""Demo review meetings, recorded through `monitoring.review_services` (so the history, the
audit trail and the next cycle are written as they would be from the review page), with the
demo SENCO as the actor. Four meetings, each showing one part of the Review half of the cycle:

* SHARED: the demo parent's child. Their outcome was partly achieved (where a termly test
  had no score since the baseline, the school retested before the meeting: half way to the
  goal) and the review agreed one more session a week; the SENCO shared the record with the parents and put the next plan
  (with the new dose) in place, so the parent can read the review and see the plan it opened.
* DRAFT: a plan whose review date has passed, with its review half written (who came, what
  the pupil said, the first outcome judged; no decisions or summary yet), so the SENCO has a
  draft to finish and the plan stays on the overdue list.
* ESCALATED: a pupil at SEN support who is not responding (their scores follow the demo's
  "not responding" pattern); the review requested an EHC needs assessment and kept the
  intervention going while it is sought, so the SENCO's list of escalations has an entry.
* CHANGED: another pupil who is not responding; the review decided to change the intervention,
  so the next (draft) plan shows "Still to choose" with a link to the recommendations.

Meetings are held on the last school day before today (or on the review date, if that came
first), never before the plan started. Which plans are used follows from the seeded demo,
so the same seed gives the same meetings. The words are made up for the demo.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sendwise.core.access import actor_for
from sendwise.core.models import School, User
from sendwise.demo import term_dates
from sendwise.demo.scores import NOT_RESPONDING
from sendwise.monitoring import cycle_services
from sendwise.monitoring import review_services as rs
from sendwise.monitoring.models import OutcomeReview, PlacementDecision, Score
from sendwise.monitoring.services import score_add
from sendwise.planning.models import Plan, Response
from sendwise.pupils.models import ClassStaff, Contact

D = PlacementDecision.Decision
R = OutcomeReview.Result
#: The demo's published sign-ins who attend reviews (generate.DEMO_DOMAIN; not imported from
#: generate, which imports this module).
PARENT_EMAIL = "parent@demo.sendwise.test"
SPECIALIST_EMAIL = "ta@demo.sendwise.test"


@dataclass(frozen=True)
class DemoReviews:
    """The plans reviewed, by scenario (None where the seeded demo had no plan that fits)."""

    shared: Plan | None
    draft: Plan | None
    escalated: Plan | None
    changed: Plan | None


def _held_on(plan: Plan, today: date) -> date | None:
    """The last school day before today, or the review date if that came first; None if that
    would be before the plan started."""
    day = term_dates.school_day_on_or_before(min(plan.review_date, today - timedelta(days=1)))
    return day if day > plan.start_date else None


def _attendees(plan: Plan, senco: User, *extra: rs.Attendee) -> list[rs.Attendee]:
    people = [rs.Attendee(senco.full_name, "SENCO")]
    teacher = (
        ClassStaff.objects.filter(
            class_group_id=plan.pupil.class_group_id, kind=ClassStaff.Kind.TEACHER
        )
        .select_related("user")
        .order_by("id")
        .first()
    )
    if teacher is not None:
        people.append(rs.Attendee(teacher.user.full_name, "Class teacher"))
    people += extra
    if not any(a.role.startswith(("Mother", "Father", "Carer")) for a in extra):
        contact = Contact.objects.filter(pupil=plan.pupil).order_by("id").first()
        if contact is not None:
            people.append(rs.Attendee(contact.name, contact.relationship.capitalize()))
    return people


def _results(plan: Plan, result: str, note: str) -> list[rs.OutcomeResult]:
    return [rs.OutcomeResult(o.pk, result, note) for o in plan.outcomes.current().order_by("id")]


def _decisions(plan: Plan, decision: str, response: str, note: str) -> list[rs.Decision]:
    decisions = []
    for p in plan.placements.standing().order_by("id"):
        dose = {}
        if decision == D.CHANGE_DOSE:
            dose = {
                "sessions_per_week": min(p.sessions_per_week + 1, 10),
                "minutes_per_session": p.minutes_per_session,
                "weeks": p.weeks,
            }
        decisions.append(rs.Decision(p.pk, decision, response, note, **dose))
    return decisions


def _score_before_meeting(actor, plan: Plan, held_on: date) -> None:
    """Where an outcome has no score since its baseline (a termly test), the score the school
    took for the review: half way from the baseline to the goal (so "partly achieved" shows in
    the evidence), a few school days before the meeting."""
    taken_on = term_dates.school_day_on_or_before(held_on - timedelta(days=3))
    for outcome in plan.outcomes.current().select_related("measure").order_by("id"):
        if not outcome.has_aimline or taken_on <= outcome.baseline_date:
            continue
        later = Score.objects.current().filter(
            pupil_id=plan.pupil_id,
            measure_id=outcome.measure_id,
            taken_on__gt=outcome.baseline_date,
            taken_on__lte=held_on,
        )
        if not later.exists():
            halfway = round((outcome.baseline + outcome.target) / 2)
            score_add(
                actor=actor,
                pupil=plan.pupil,
                measure=outcome.measure,
                value=float(halfway),
                taken_on=taken_on,
                note="Retested for the review",
            )


def _shared(actor, senco: User, plan: Plan, held_on: date) -> None:
    """The parent's child: partly achieved, one more session a week; shared, next plan in place."""
    _score_before_meeting(actor, plan, held_on)
    parent = Contact.objects.filter(pupil=plan.pupil, user__email=PARENT_EMAIL).first()
    specialist = User.objects.filter(email=SPECIALIST_EMAIL).first()
    extra = [rs.Attendee(parent.name, parent.relationship.capitalize())] if parent else []
    if specialist is not None:
        extra.append(rs.Attendee(specialist.full_name, "Intervention specialist"))
    name = plan.pupil.first_name
    review = rs.review_save(
        actor=actor,
        plan=plan,
        held_on=held_on,
        attendees=_attendees(plan, senco, *extra),
        pupil_views=f"{name} likes the group and says the picture cards help. {name} would "
        "like more turns to tell the story.",
        parent_views="At home we have noticed more talk about the school day. We would like "
        "ideas for practising at bedtime.",
        summary=f"{name} has made a good start and is getting closer to the goal. The group will meet one "
        "more time each week so that the new skills become secure. Home will practise with "
        "the story cards sent home each Friday.",
        outcomes=_results(
            plan, R.PARTLY, f"{name} now does this with a little help, not yet on their own."
        ),
        decisions=_decisions(
            plan, D.CHANGE_DOSE, Response.RESPONDED, "More practice each week to build on it."
        ),
        complete=True,
    )
    rs.review_share(actor=actor, review=review)
    cycle_services.plan_put_in_place(actor=actor, plan=review.next_plan)


def _draft(actor, senco: User, plan: Plan, held_on: date) -> None:
    """An overdue review, half written: who came, the pupil's view, the first outcome judged."""
    first = plan.outcomes.current().order_by("id").first()
    rs.review_save(
        actor=actor,
        plan=plan,
        held_on=held_on,
        attendees=_attendees(plan, senco),
        pupil_views=f"{plan.pupil.first_name} says the sessions are fun but sometimes hard.",
        outcomes=[rs.OutcomeResult(first.pk, R.PARTLY, "")] if first else [],
        complete=False,
    )


def _closed(actor, senco: User, plan: Plan, held_on: date, decision: str, summary: str) -> None:
    """A not-responding pupil's review, completed with ``decision`` for every intervention."""
    name = plan.pupil.first_name
    rs.review_save(
        actor=actor,
        plan=plan,
        held_on=held_on,
        attendees=_attendees(plan, senco),
        pupil_views=f"{name} finds the work hard and would like more help in class.",
        parent_views=f"We are worried that {name} is not catching up.",
        summary=summary.format(name=name),
        outcomes=_results(plan, R.NOT, "Scores have stayed flat below the aimline."),
        decisions=_decisions(plan, decision, Response.NO_RESPONSE, "Little change over the term."),
        complete=True,
    )


def reviews_build(
    rng: random.Random, school: School, senco: User, patterns: dict[int, str], today: date
) -> DemoReviews:
    """Record the four demo review meetings (see the module notes); returns the plans used."""
    actor = actor_for(senco, school.id)
    active = list(
        Plan.objects.filter(school=school, status=Plan.Status.ACTIVE)
        .select_related("pupil")
        .order_by("review_date", "id")
    )
    child = Contact.objects.filter(school=school, user__email=PARENT_EMAIL).values("pupil_id")
    children = {c["pupil_id"] for c in child}
    used: set[int] = set()

    def pick(candidates: list[Plan]) -> tuple[Plan, date] | tuple[None, None]:
        fits = [(p, _held_on(p, today)) for p in candidates if p.pupil_id not in used]
        fits = [(p, day) for p, day in fits if day is not None and p.outcomes.exists()]
        if not fits:
            return None, None
        plan, day = fits[0] if len(fits) == 1 else rng.choice(fits[:3])
        used.add(plan.pupil_id)
        return plan, day

    shared, day = pick([p for p in active if p.pupil_id in children])
    if shared:
        _shared(actor, senco, shared, day)
    used |= children  # the parent's other child keeps their plan as it is
    draft, day = pick([p for p in active if p.review_date < today])
    if draft:
        _draft(actor, senco, draft, day)
    stuck = [p for p in active if patterns.get(p.pupil_id) == NOT_RESPONDING]
    soon = [p for p in stuck if p.review_date <= today + timedelta(days=14)] or stuck
    # Due soon where there are such plans, else any not responding: the four meetings are
    # there on any day and seed (with one not-responding plan due soon, the second meeting
    # takes a later one).
    escalated, day = pick([p for p in soon if p.pupil.sen_provision == "K"])
    if escalated is None:
        escalated, day = pick([p for p in stuck if p.pupil.sen_provision == "K"])
    if escalated:
        _closed(actor, senco, escalated, day, D.ESCALATE_EHC,
                "{name} has not responded to this support over the term despite good "
                "attendance. The school will request an EHC needs assessment from the local "
                "authority; the current support carries on while it is considered.")  # fmt: skip
    changed, day = pick(soon)
    if changed is None:
        changed, day = pick(stuck)
    if changed:
        _closed(actor, senco, changed, day, D.CHANGE_INTERVENTION,
                "{name} has not responded to this intervention. We will choose a different "
                "one that fits {name}'s needs before the next plan starts.")  # fmt: skip
    return DemoReviews(shared, draft, escalated, changed)
