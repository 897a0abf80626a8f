"""Every kind of record SENDwise holds about one pupil, for subject access and retention.

A kind names its model, the path from that model to the pupil (a Django lookup), and says in
plain words what it is. `tests/reports/test_sar_kinds.py` walks every model of the project and
fails when a model that reaches a pupil through its foreign keys (directly, or through a plan,
placement, outcome, concern, review or group place) is missing here, so a new kind of record
cannot be left out of a subject-access export or survive its retention date.

The order is the order of the export and, reversed, the order of removal: a record comes after
the records it points to, so deleting from the end never meets a protected foreign key.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from sendwise.concerns.models import Concern, Observation, ObservationRequest
from sendwise.core.models import AuditEntry
from sendwise.delivery.models import Attendance, Funding, GroupMember
from sendwise.impact.models import PlacementResult
from sendwise.monitoring.models import Flag, OutcomeReview, PlacementDecision, Review, Score
from sendwise.planning.models import Outcome, Placement, Plan
from sendwise.pupils.models import (
    Contact,
    NeedsProfile,
    OnePageProfile,
    Pupil,
    PupilAccess,
    SenNeed,
    SenProvisionRecord,
    SkillNeed,
    Voice,
)
from sendwise.reports.sar_models import SubjectAccessExport


@dataclass(frozen=True)
class Kind:
    slug: str  # the JSON file's name
    title: str  # the PDF section's heading
    model: type[models.Model]
    to_pupil: str  # lookup from the model to the pupil, "" for the pupil itself
    about: str
    #: Columns of the PDF's table for kinds with many rows; others print one block per record.
    columns: tuple[str, ...] = ()


KINDS: tuple[Kind, ...] = (
    Kind("pupil", "Pupil record", Pupil, "", "Name, date of birth, year, class, census fields."),
    Kind("contacts", "Parents and carers", Contact, "pupil", "Who the school contacts."),
    Kind(
        "sen_provision",
        "SEN provision",
        SenProvisionRecord,
        "pupil",
        "Periods at SEN support (K) or with an EHC plan (E).",
    ),
    Kind("needs", "Types of need", SenNeed, "pupil", "Primary and secondary needs over time."),
    Kind(
        "needs_profile",
        "Needs profile",
        NeedsProfile,
        "pupil",
        "Strengths, what helps and background.",
    ),
    Kind("skill_needs", "Skills that need work", SkillNeed, "pupil", "Skills and severity."),
    Kind(
        "one_page_profile",
        "One-page profile",
        OnePageProfile,
        "pupil",
        "What people like about the pupil, what matters to them, how best to support them.",
    ),
    Kind("voice", "Pupil and parent voice", Voice, "pupil", "Views gathered from them."),
    Kind(
        "access",
        "Who could see the record, and why",
        PupilAccess,
        "pupil",
        "Each person given access to the record, on what basis, from when until when.",
        columns=("user", "basis", "starts_at", "ends_at"),
    ),
    Kind("concerns", "Concerns raised", Concern, "pupil", "Concerns raised by staff."),
    Kind(
        "observation_requests",
        "Observations asked for",
        ObservationRequest,
        "concern__pupil",
        "Staff asked to observe the pupil about a concern.",
    ),
    Kind(
        "observations",
        "Classroom observations",
        Observation,
        "request__concern__pupil",
        "What staff observed.",
    ),
    Kind("plans", "Support plans", Plan, "pupil", "Each cycle of assess, plan, do, review."),
    Kind(
        "placements",
        "Interventions planned",
        Placement,
        "plan__pupil",
        "Interventions on each plan, with the dose planned and who delivers them.",
    ),
    Kind(
        "outcomes",
        "Outcomes and targets",
        Outcome,
        "plan__pupil",
        "What each plan aims for, on which measure, from which baseline to which target.",
    ),
    Kind(
        "group_places",
        "Places in groups",
        GroupMember,
        "placement__plan__pupil",
        "The intervention groups the pupil joined and left.",
        columns=("group", "placement", "joined_on", "left_on"),
    ),
    Kind(
        "attendance",
        "Sessions and attendance",
        Attendance,
        "placement__plan__pupil",
        "Every session the pupil was registered for: present, late or absent, and engagement.",
        columns=("session", "status", "absence_reason", "engagement"),
    ),
    Kind(
        "scores",
        "Scores",
        Score,
        "pupil",
        "Assessment scores, with who entered them; withdrawn scores are kept and marked.",
        columns=("measure", "value", "taken_on", "entered_by", "note", "withdrawn_at"),
    ),
    Kind(
        "flags",
        "Progress flags",
        Flag,
        "pupil",
        "Decision rules' verdicts on progress towards an outcome.",
    ),
    Kind("reviews", "Review meetings", Review, "plan__pupil", "Reviews of each plan."),
    Kind(
        "outcome_reviews",
        "Outcomes reviewed",
        OutcomeReview,
        "outcome__plan__pupil",
        "What each review concluded about each outcome.",
    ),
    Kind(
        "placement_decisions",
        "Decisions about interventions",
        PlacementDecision,
        "placement__plan__pupil",
        "What each review decided about each intervention.",
    ),
    Kind(
        "funding",
        "Who pays for a place",
        Funding,
        "placement__plan__pupil",
        "Where the school recorded who pays for one of the pupil's places (for example an EHC "
        "plan top-up); a group's funding is the school's, not the pupil's.",
        columns=("placement", "source", "note"),
    ),
    Kind(
        "results",
        "Results of interventions",
        PlacementResult,
        "pupil",
        "Each intervention's result: scores before and after, gain, dose received.",
    ),
)

#: Read from the audit log, not by a foreign key: the entries about this pupil's record.
AUDIT = Kind(
    "audit",
    "Who read or changed the record",
    AuditEntry,
    "",
    "Every time someone opened, changed or exported the record, and refused attempts.",
    columns=("at", "user", "action", "detail", "ip"),
)

#: Computed from the class timetable and the groups' times, not stored: kept in the export
#: because parents ask what their child misses to attend support.
LESSONS_MISSED = "lessons_missed"

#: Models about a pupil that the export leaves out, and why (retention removes them with the
#: pupil: they cascade).
NOT_EXPORTED = {SubjectAccessExport: "earlier copies of this same export"}

#: Fields never exported: the school is the sender of the export, not data about the pupil.
LEFT_OUT = frozenset({"school"})


def kind_rows(kind: Kind, pupil: Pupil) -> models.QuerySet:
    """The pupil's rows of one kind, always within the pupil's school."""
    manager = Pupil.unscoped if kind.model is Pupil else kind.model._default_manager
    if kind is AUDIT:
        return manager.filter(school=pupil.school_id, object_type="pupil", object_id=str(pupil.pk))
    if not kind.to_pupil:
        return manager.filter(school=pupil.school_id, pk=pupil.pk)
    return manager.filter(school=pupil.school_id, **{kind.to_pupil: pupil})


def exported_fields(model: type[models.Model]) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if f.name not in LEFT_OUT]


def field_doc(field: models.Field) -> dict:
    """What a field means, for the export's data dictionary."""
    doc = {
        "name": field.name,
        "label": str(field.verbose_name),
        "type": field.get_internal_type(),
    }
    if field.help_text:
        doc["help"] = str(field.help_text)
    if field.is_relation:
        doc["type"] = "reference"
        doc["refers_to"] = field.related_model._meta.verbose_name
        doc["help"] = (
            f"The id of the {field.related_model._meta.verbose_name}; "
            f"'{field.name}_label' beside it names it."
        )
    if field.choices:
        doc["choices"] = {str(k): str(v) for k, v in field.flatchoices}
    return doc


def history_rows(kind: Kind, pupil: Pupil) -> models.QuerySet | None:
    """The saved versions (django-simple-history) of the pupil's rows of one kind, those of
    rows since removed included: found by the pupil (or, a hop away, by the pupil's plans,
    concerns ...) rather than by the ids of the rows that exist today. None if the kind keeps
    no history."""
    history = getattr(kind.model, "history", None)
    if history is None or kind is AUDIT:
        return None
    if not kind.to_pupil:
        return history.filter(id=pupil.pk)
    hop, _, rest = kind.to_pupil.partition("__")
    if not rest:
        return history.filter(**{f"{hop}_id": pupil.pk})
    parent = kind.model._meta.get_field(hop).related_model
    parent_kind = next(k for k in KINDS if k.model is parent)
    # The ids as a list, not a subquery: retention deletes the parents before their versions.
    parent_ids = list(kind_rows(parent_kind, pupil).values_list("pk", flat=True))
    return history.filter(**{f"{hop}_id__in": parent_ids})
