"""Review meeting pages: holding the review (the SENCO), reading it (staff, and the parents
once shared), sharing it, and the reviews due. Thin: selectors read, services write."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from sendwise.core.decorators import permission_required
from sendwise.core.forms import errors_onto
from sendwise.core.permissions import actor_can
from sendwise.core.roles import WHOLE_SCHOOL_ROLES
from sendwise.monitoring import review_selectors as selectors
from sendwise.monitoring import review_services as services
from sendwise.monitoring.review_forms import ATTENDEE_ROWS, DueFilterForm, ReviewForm
from sendwise.planning.models import Plan
from sendwise.planning.selectors import plan_get
from sendwise.pupils.selectors import pupil_for

ALREADY_COMPLETE = (
    "This review was already completed on {on}: nothing was changed. This is what was saved."
)


#: The form's fields for each intervention, in the order the page shows them.
PLACEMENT_FIELDS = (
    "response",
    "decision",
    "sessions_per_week",
    "minutes_per_session",
    "weeks",
    "note",
)


#: The review's rules on a whole dose, which read a part the form refused as missing: they are
#: left out when the form already says what is wrong with one part of that dose.
WHOLE_DOSE_RULES = (services.DOSE_REQUIRED, services.DOSE_UNCHANGED)


def _rules_onto(form, problems: dict[str, list[str]]) -> None:
    """Put the service's problems on the form, each on its field, and none where the form
    already says what is wrong: a field the form refused, or a rule on the whole dose when one
    part of it was refused (a box's own range, such as sessions a week below 1, still shows
    on that box: each wrong box gets its message)."""
    refused = set(form.errors)
    for key, messages_ in problems.items():
        if key == "attendees":
            _attendees_onto(form, messages_, refused)
            continue
        if key in refused:
            continue
        if _dose_part_refused(key, refused):
            messages_ = [m for m in messages_ if m not in WHOLE_DOSE_RULES]
        for message in messages_:
            form.add_error(key if key in form.fields else None, message)


def _attendees_onto(form, messages_: list[str], refused: set[str]) -> None:
    """A name missing goes on that person's name box (in the order of the rows); the other
    problems with the people at the meeting on the first name box."""
    missing = [
        f"attendee_name_{i}"
        for i in range(ATTENDEE_ROWS)
        if str(form.data.get(f"attendee_role_{i}", "")).strip()
        and not str(form.data.get(f"attendee_name_{i}", "")).strip()
    ]
    for message in messages_:
        field = "attendee_name_0"
        if message == services.ATTENDEE_NAME_MISSING and missing:
            field = missing.pop(0)
        if field not in refused:
            form.add_error(field, message)


DOSE_PARTS = ("sessions_per_week_", "minutes_per_session_", "weeks_")


def _dose_part_refused(field: str, refused: set[str]) -> bool:
    for part in DOSE_PARTS:
        if field.startswith(part):
            pk = field.removeprefix(part)
            return any(f"{other}{pk}" in refused for other in DOSE_PARTS)
    return False


def _day(review) -> str:
    return f"{review.completed_at or review.held_on:%-d %B %Y}"


def _record(pupil, plan):
    return redirect("planning:review_record", pupil_id=pupil.pk, plan_id=plan.pk)


@require_http_methods(["GET", "POST"])
@permission_required("monitoring.hold_review")
def review_hold(request, pupil_id: int, plan_id: int):
    """The review meeting, outcome by outcome with the evidence beside it, a decision for each
    intervention; saved as a draft or completed (which opens the next cycle)."""
    actor = request.actor
    pupil = pupil_for(actor=actor, pupil_id=pupil_id, purpose="review meeting")
    plan = plan_get(pupil=pupil, plan_id=plan_id)
    review = selectors.plan_review_get(plan=plan)
    if review is not None and not review.is_draft:
        # A second submit of a completed review (or a late one by someone else) changes
        # nothing and shows what was saved.
        if request.method == "POST":
            messages.info(request, ALREADY_COMPLETE.format(on=_day(review)))
        return _record(pupil, plan)
    if review is None and plan.status == Plan.Status.REVIEWED:
        messages.info(request, services.PLAN_CLOSED_WITHOUT_REVIEW)
        return redirect("planning:plans", pupil_id=pupil.pk)
    evidence = selectors.review_evidence(plan=plan)

    def review_form(data):
        return ReviewForm(
            data,
            initial=ReviewForm.initial_from(review),
            outcomes=[e.outcome for e in evidence.outcomes],
            placements=[e.placement for e in evidence.placements],
            born=pupil.date_of_birth,
        )

    form = review_form(request.POST if request.method == "POST" else None)
    complete = request.POST.get("action") == "complete"
    conflict = ""
    if request.method == "POST" and not form.is_valid():
        # The rules too, on what could be read, so every problem shows in one round.
        problems = services.review_problems(plan=plan, complete=complete, **form.usable_arguments())
        _rules_onto(form, problems)
    elif request.method == "POST":
        try:
            saved = services.review_save(
                actor=actor,
                plan=plan,
                complete=complete,
                # A form sent without the version it showed (a tab opened before versions
                # were kept) counts as one that saw no draft: if a draft was saved since, it
                # is a conflict, never a silent overwrite.
                seen_version=form.cleaned_data["version"] or 0,
                request=request,
                **form.service_arguments(),
            )
        except services.ReviewAlreadyComplete as done:
            messages.info(request, ALREADY_COMPLETE.format(on=_day(done.review)))
            return _record(pupil, plan)
        except services.ReviewChanged as changed:
            # What they saved is shown beside the form; the form keeps what this person typed,
            # now carrying the version they have seen, so saving again is a choice made
            # knowingly, never a silent overwrite.
            conflict = changed.messages[0]
            review = selectors.plan_review_get(plan=plan)
            typed = request.POST.copy()
            typed["version"] = str(review.version)
            form = review_form(typed)
            form.is_valid()
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                _rules_onto(form, error.message_dict)
            else:
                errors_onto(form, error)
        else:
            if complete:
                messages.success(
                    request,
                    f"Review completed. Plan {saved.next_plan.cycle} is open as a draft, "
                    "pre-filled from the decisions.",
                )
                return _record(pupil, plan)
            messages.success(request, "Draft saved. You can come back and finish it.")
            return redirect("planning:review", pupil_id=pupil.pk, plan_id=plan.pk)
    context = {
        "pupil": pupil,
        "plan": plan,
        "review": review,
        "form": form,
        "conflict": conflict,
        "evidence": evidence,
        "outcome_rows": [
            (e, form[f"result_{e.outcome.pk}"], form[f"outcome_note_{e.outcome.pk}"])
            for e in evidence.outcomes
        ],
        "placement_rows": [
            (e, *(form[f"{name}_{e.placement.pk}"] for name in PLACEMENT_FIELDS))
            for e in evidence.placements
        ],
    }
    return render(request, "monitoring/review_form.html", context)


@permission_required("monitoring.view_review")
def review_record(request, pupil_id: int, plan_id: int):
    """The review as recorded: in full for staff; in plain English, without staff notes, for
    the parents once the SENCO has shared it (404 before)."""
    actor = request.actor
    pupil = pupil_for(actor=actor, pupil_id=pupil_id, purpose="review record")
    plan = plan_get(pupil=pupil, plan_id=plan_id)
    if actor.is_staff_member:
        review = selectors.plan_review_get(plan=plan)
        may_hold = actor_can(actor, "monitoring.hold_review")
        if (review is None or review.is_draft) and may_hold and plan.status != Plan.Status.REVIEWED:
            return redirect("planning:review", pupil_id=pupil.pk, plan_id=plan.pk)
    else:
        review = selectors.review_for_reader(actor=actor, plan=plan)
    context = {
        "pupil": pupil,
        "plan": plan,
        "review": review,
        "can_share": actor_can(actor, "monitoring.hold_review"),
    }
    template = (
        "monitoring/review_record.html"
        if actor.is_staff_member
        else ("monitoring/review_parent.html")
    )
    return render(request, template, context)


@require_http_methods(["POST"])
@permission_required("monitoring.hold_review")
def review_share(request, pupil_id: int, plan_id: int):
    actor = request.actor
    pupil = pupil_for(actor=actor, pupil_id=pupil_id, purpose="share review")
    plan = plan_get(pupil=pupil, plan_id=plan_id)
    review = selectors.plan_review_get(plan=plan)
    if review is None:
        messages.info(request, services.NOT_COMPLETE)
        return redirect("planning:plans", pupil_id=pupil.pk)
    try:
        services.review_share(actor=actor, review=review, request=request)
    except ValidationError as error:
        messages.info(request, error.messages[0])
    else:
        messages.success(request, "Shared: the parents can now read this review.")
    return _record(pupil, plan)


@permission_required("monitoring.view_reviews_due")
def reviews_due(request):
    """Reviews overdue and due in the next two weeks, with filters; escalations for the SENCO."""
    actor = request.actor
    form = DueFilterForm(request.GET or None)
    filters = (
        selectors.DueFilters(**form.cleaned_data) if form.is_valid() else selectors.DueFilters()
    )
    context = {
        "form": form,
        "plans": list(selectors.reviews_due(actor=actor, filters=filters)),
        "escalations": selectors.escalations(actor=actor),
        "can_hold": actor_can(actor, "monitoring.hold_review"),
        "whole_school": bool(actor.roles & WHOLE_SCHOOL_ROLES),
        "today": timezone.localdate(),
    }
    return render(request, "monitoring/reviews_due.html", context)
