"""Writes for concerns: raise, ask for observations, answer, record parents told, close.

Each runs in one transaction, checks the school's rules before writing anything, keeps history
(django-simple-history) and leaves an audit entry. Nothing is deleted.
"""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from sendwise.concerns.models import (
    RATINGS_NEEDING_EXAMPLE,
    Area,
    Concern,
    Observation,
    ObservationRequest,
    Rating,
)
from sendwise.core.access import Actor
from sendwise.core.codes import Need, Provision
from sendwise.core.models import AuditEntry, Membership, User
from sendwise.core.roles import OBSERVER_ROLES
from sendwise.core.services import audit_record, service
from sendwise.pupils.models import Pupil
from sendwise.pupils.services import pupil_update

AREAS_REQUIRED = "Choose at least one area you are worried about"
AREA_UNKNOWN = "Choose areas from the list"
WHAT_SEEN_REQUIRED = "Describe what you have seen"
RAISED_ON_REQUIRED = "Enter the date you noticed this"
RAISED_ON_FUTURE = "The date you noticed this must be today or in the past"
PUPIL_NOT_IN_SCHOOL = "Choose a pupil on roll in this school"
CONCERN_CLOSED = "This concern has been closed, so it cannot be changed"
TEACHERS_REQUIRED = "Choose at least one member of staff to ask"
TEACHER_NOT_ALLOWED = "Choose teachers or intervention specialists of this school"
ALREADY_ASKED = "{name} has already been asked about this concern"
NOT_YOUR_REQUEST = "Only the person asked can add these observations"
ALREADY_SUBMITTED = "These observations have already been sent"
RATING_REQUIRED = "Choose a rating for {area}"
RATING_UNKNOWN = "Choose a rating from the list for {area}"
EXAMPLE_REQUIRED = "Give an example of what you saw for {area}"
INFORMED_ON_REQUIRED = "Enter the date the parents were told"
INFORMED_ON_FUTURE = "The date the parents were told must be today or in the past"
INFORMED_ON_BEFORE_RAISED = (
    "The date the parents were told cannot be before the concern was noticed"
)
INFORMED_HOW_REQUIRED = "Choose how the parents were told"
RESPONSE_REQUIRED = "Enter what the parents said, or that they have not replied yet"
OUTCOME_REQUIRED = "Choose an outcome"
REASONS_REQUIRED = "Enter the reasons for this decision"
PRIMARY_NEED_REQUIRED = "Choose the pupil's primary type of need"
NEED_UNKNOWN = "Choose a type of need from the list"
PARENTS_NOT_INFORMED = (
    "Record that the parents were told before adding the pupil to the SEND register"
)
PUPIL_HAS_EHC_PLAN = (
    "This pupil has an EHC plan: change their needs on their record, not by closing a concern"
)
REVIEW_DATE_REQUIRED = "Enter the date to review this concern"
REVIEW_DATE_FUTURE = "The review date must be in the future"


def _check_open(concern: Concern) -> None:
    if not concern.is_open:
        raise ValidationError(CONCERN_CLOSED)


def _check_school(actor: Actor, school_id: int) -> None:
    # Selectors already scope reads; this keeps a service from writing across schools if a
    # caller ever hands it the wrong object.
    if actor.school is None or actor.school.pk != school_id:
        raise PermissionDenied


def _audit(actor: Actor, concern: Concern, action: str, detail: str, request) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type="concern",
        object_id=concern.pk,
        object_repr=f"Concern about {concern.pupil.full_name}",
        detail=detail,
        request=request,
    )


@service
def concern_raise(
    *,
    actor: Actor,
    pupil: Pupil,
    areas: list[str],
    what_seen: str,
    raised_on: date | None,
    request=None,
) -> Concern:
    """Any member of staff records a worry about a pupil of their school, for the SENCO."""
    _check_school(actor, pupil.school_id)
    errors: dict[str, list[str]] = {}
    if pupil.is_archived:
        errors.setdefault("pupil", []).append(PUPIL_NOT_IN_SCHOOL)
    areas = list(dict.fromkeys(areas or []))
    if not areas:
        errors.setdefault("areas", []).append(AREAS_REQUIRED)
    elif any(area not in Area.values for area in areas):
        errors.setdefault("areas", []).append(AREA_UNKNOWN)
    what_seen = (what_seen or "").strip()
    if not what_seen:
        errors.setdefault("what_seen", []).append(WHAT_SEEN_REQUIRED)
    if raised_on is None:
        errors.setdefault("raised_on", []).append(RAISED_ON_REQUIRED)
    elif raised_on > timezone.localdate():
        errors.setdefault("raised_on", []).append(RAISED_ON_FUTURE)
    if errors:
        raise ValidationError(errors)
    concern = Concern(
        school=pupil.school,
        pupil=pupil,
        raised_by=actor.user,
        raised_on=raised_on,
        areas=[area.value for area in Area if area.value in areas],
        what_seen=what_seen,
    )
    concern.full_clean()
    concern.save()
    _audit(actor, concern, AuditEntry.Action.CREATE, "Raised a concern", request)
    return concern


@service
def observation_request(
    *,
    actor: Actor,
    concern: Concern,
    teachers: list[User],
    message: str = "",
    request=None,
) -> list[ObservationRequest]:
    """The SENCO asks teachers and intervention specialists of the school for observations."""
    _check_school(actor, concern.school_id)
    _check_open(concern)
    teachers = list({teacher.pk: teacher for teacher in teachers or []}.values())
    if not teachers:
        raise ValidationError({"teachers": [TEACHERS_REQUIRED]})
    allowed = set(
        Membership.objects.filter(
            school=concern.school_id,
            role__in=OBSERVER_ROLES,
            user__in=[teacher.pk for teacher in teachers],
            user__is_active=True,
        ).values_list("user_id", flat=True)
    )
    asked = set(
        ObservationRequest.objects.filter(
            school=concern.school_id, concern=concern, teacher__in=teachers
        ).values_list("teacher_id", flat=True)
    )
    errors = []
    for teacher in teachers:
        if teacher.pk not in allowed:
            errors.append(TEACHER_NOT_ALLOWED)
        elif teacher.pk in asked:
            errors.append(ALREADY_ASKED.format(name=teacher.full_name))
    if errors:
        raise ValidationError({"teachers": list(dict.fromkeys(errors))})
    made = []
    for teacher in teachers:
        obs_request = ObservationRequest(
            school=concern.school,
            concern=concern,
            teacher=teacher,
            requested_by=actor.user,
            message=(message or "").strip(),
        )
        obs_request.full_clean()
        obs_request.save()
        made.append(obs_request)
    names = ", ".join(teacher.full_name for teacher in teachers)
    _audit(actor, concern, AuditEntry.Action.UPDATE, f"Asked for observations: {names}", request)
    return made


@service
def observation_submit(
    *,
    actor: Actor,
    obs_request: ObservationRequest,
    answers: dict[str, tuple[str, str]],
    request=None,
) -> ObservationRequest:
    """The person asked rates every area, with an example wherever there is some concern.

    `answers` maps each area to (rating, example). Form field names are `<area>_rating` and
    `<area>_example`, which the error keys follow.
    """
    _check_school(actor, obs_request.school_id)
    if actor.user is None or obs_request.teacher_id != actor.user.pk:
        raise PermissionDenied(NOT_YOUR_REQUEST)
    # Lock and re-read, so that a double submission finds the first one already saved.
    list(ObservationRequest.objects.select_for_update().filter(pk=obs_request.pk).values_list("pk"))
    obs_request.refresh_from_db()
    obs_request.concern.refresh_from_db()
    concern = obs_request.concern
    _check_open(concern)
    if obs_request.is_submitted:
        raise ValidationError(ALREADY_SUBMITTED)
    errors: dict[str, list[str]] = {}
    cleaned = []
    for area in Area:
        rating, example = answers.get(area.value, ("", ""))
        example = (example or "").strip()
        label = area.label.lower()
        if not rating:
            errors[f"{area.value}_rating"] = [RATING_REQUIRED.format(area=label)]
        elif rating not in Rating.values:
            errors[f"{area.value}_rating"] = [RATING_UNKNOWN.format(area=label)]
        elif rating in RATINGS_NEEDING_EXAMPLE and not example:
            errors[f"{area.value}_example"] = [EXAMPLE_REQUIRED.format(area=label)]
        cleaned.append((area.value, rating, example))
    if errors:
        raise ValidationError(errors)
    for area, rating, example in cleaned:
        observation = Observation(
            school=obs_request.school,
            request=obs_request,
            area=area,
            rating=rating,
            example=example,
        )
        observation.full_clean()
        observation.save()
    obs_request.submitted_at = timezone.now()
    obs_request.full_clean()
    obs_request.save(update_fields=["submitted_at"])
    _audit(actor, concern, AuditEntry.Action.UPDATE, "Added observations", request)
    return obs_request


@service
def concern_parents_informed(
    *,
    actor: Actor,
    concern: Concern,
    informed_on: date | None,
    how: str,
    response: str,
    request=None,
) -> Concern:
    """The SENCO records when and how the parents were told, and what they said."""
    _check_school(actor, concern.school_id)
    _check_open(concern)
    errors: dict[str, list[str]] = {}
    if informed_on is None:
        errors["informed_on"] = [INFORMED_ON_REQUIRED]
    elif informed_on > timezone.localdate():
        errors["informed_on"] = [INFORMED_ON_FUTURE]
    elif informed_on < concern.raised_on:
        errors["informed_on"] = [INFORMED_ON_BEFORE_RAISED]
    if how not in Concern.ParentContact.values:
        errors["how"] = [INFORMED_HOW_REQUIRED]
    response = (response or "").strip()
    if not response:
        errors["response"] = [RESPONSE_REQUIRED]
    if errors:
        raise ValidationError(errors)
    concern.parents_informed_on = informed_on
    concern.parents_informed_how = how
    concern.parents_response = response
    concern.full_clean()
    concern._change_reason = "Parents told"
    concern.save()
    _audit(actor, concern, AuditEntry.Action.UPDATE, "Recorded that parents were told", request)
    return concern


def _close_errors(
    concern: Concern,
    outcome: str,
    reasons: str,
    primary: str,
    secondary: str,
    review_on: date | None,
) -> dict[str, list[str]]:
    """Every rule the chosen outcome breaks, by form field, before anything is written."""
    errors: dict[str, list[str]] = {}
    if outcome not in Concern.Outcome.values:
        errors["outcome"] = [OUTCOME_REQUIRED]
    if not reasons:
        errors["reasons"] = [REASONS_REQUIRED]
    if outcome == Concern.Outcome.SEN_SUPPORT:
        if not primary:
            errors["primary_need"] = [PRIMARY_NEED_REQUIRED]
        elif primary not in Need.values:
            errors["primary_need"] = [NEED_UNKNOWN]
        if secondary and secondary not in Need.values:
            errors["secondary_need"] = [NEED_UNKNOWN]
        if concern.pupil.sen_provision == Provision.EHC_PLAN:
            errors.setdefault("outcome", []).append(PUPIL_HAS_EHC_PLAN)
        # Parents must be told when the school makes special educational provision (Children
        # and Families Act 2014, s.68; SEND Code of Practice 2015, 6.39).
        if not concern.parents_informed:
            errors.setdefault("outcome", []).append(PARENTS_NOT_INFORMED)
    if outcome == Concern.Outcome.MONITOR:
        if review_on is None:
            errors["review_on"] = [REVIEW_DATE_REQUIRED]
        elif review_on <= timezone.localdate():
            errors["review_on"] = [REVIEW_DATE_FUTURE]
    return errors


@service
def concern_close(
    *,
    actor: Actor,
    concern: Concern,
    outcome: str,
    reasons: str,
    primary_need: str = "",
    secondary_need: str = "",
    review_on: date | None = None,
    request=None,
) -> Concern:
    """The SENCO closes a concern: SEN support (needs recorded), monitor until a date, or no action.

    Adding to the register goes through `pupil_update`, so the pupil's census rules and history
    apply; if it refuses, nothing here is saved either.
    """
    _check_school(actor, concern.school_id)
    # Lock and re-read: a second "close" (double click, two SENCOs) then sees it closed.
    list(Concern.objects.select_for_update().filter(pk=concern.pk).values_list("pk"))
    concern.refresh_from_db()
    _check_open(concern)
    reasons = (reasons or "").strip()
    primary_need = primary_need or ""
    secondary_need = secondary_need or ""
    errors = _close_errors(concern, outcome, reasons, primary_need, secondary_need, review_on)
    if errors:
        raise ValidationError(errors)
    if outcome == Concern.Outcome.SEN_SUPPORT:
        pupil_update(
            actor=actor,
            pupil=concern.pupil,
            sen_provision=Provision.SEN_SUPPORT.value,
            primary_need=primary_need,
            secondary_need=secondary_need,
            request=request,
        )
    else:
        primary_need = secondary_need = ""
    if outcome != Concern.Outcome.MONITOR:
        review_on = None
    concern.status = Concern.Status.CLOSED
    concern.outcome = outcome
    concern.outcome_reasons = reasons
    concern.review_on = review_on
    concern.primary_need = primary_need
    concern.secondary_need = secondary_need
    concern.closed_by = actor.user
    concern.closed_at = timezone.now()
    concern.full_clean()
    concern._change_reason = f"Closed: {concern.get_outcome_display()}"
    concern.save()
    _audit(
        actor,
        concern,
        AuditEntry.Action.UPDATE,
        f"Closed: {concern.get_outcome_display()}. {reasons}",
        request,
    )
    return concern
