"""Writes to the evidence catalogue.

``catalogue_seed`` loads the shared catalogue from sendwise/evidence/seed/ (all or nothing);
``intervention_create`` and ``key_messages_update`` are the SENCO's changes to their own
school's practice-based interventions. Shared entries (school NULL) are never changed by a
school. Every change keeps history (django-simple-history) and school changes are audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from sendwise.core.access import Actor
from sendwise.core.models import AuditEntry
from sendwise.core.roles import Role
from sendwise.core.services import audit_record, service
from sendwise.evidence import pooling
from sendwise.evidence.codes import theme_for
from sendwise.evidence.models import GuidanceMessage, Intervention, KeyMessage, Measure, Study
from sendwise.evidence.seeding import SeedError, read_messages, read_seed

SEED_REASON = "Loaded from the catalogue seed files"
#: Slugs that would collide with the catalogue's own pages (/interventions/new/, /themes/).
RESERVED_SLUGS = frozenset({"new", "themes"})

# Rules a school's own intervention must keep (shown in the GOV.UK error summary).
YEARS_ORDER = "The oldest year must be the same as or later than the youngest year"
DOSE_AT_LEAST_ONE = "{label} must be at least 1, or left blank"
NAME_TAKEN = "An intervention with this name is already in your catalogue"
AREA_REQUIRED = "Choose at least one broad area of need"
SKILLS_FORMAT = "Enter skills as words separated by commas, for example decoding, reading fluency"
MESSAGES_REQUIRED = "Enter at least one key message"
NOT_YOUR_SCHOOL = "Only your school's own interventions can be changed"

DOSE_LABELS = {
    "sessions_per_week": "Sessions a week",
    "minutes_per_session": "Minutes a session",
    "weeks": "Number of weeks",
}
STUDY_FIELDS = tuple(
    f.name for f in Study._meta.get_fields() if f.concrete and f.name not in {"id", "intervention"}
)
ROW_FIELDS = tuple(pooling.StudyRow.__dataclass_fields__)


@dataclass
class SeedSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    archived: int = 0
    measures_created: int = 0
    measures_updated: int = 0
    guidance_messages: int = 0

    def __str__(self) -> str:
        return (
            f"Interventions: {self.created} added, {self.updated} changed, "
            f"{self.unchanged} unchanged, {self.archived} archived. "
            f"Measures: {self.measures_created} added, {self.measures_updated} changed. "
            f"Key messages across entries: {self.guidance_messages}."
        )


def evidence_summary(studies: list[dict], *, toolkit: bool, single_trial: bool) -> dict:
    """The Intervention's stored summary of its studies (pooling.synthesise on plain rows)."""
    rows = [pooling.StudyRow(**{k: s.get(k) for k in ROW_FIELDS}) for s in studies]
    result = pooling.synthesise(rows, single_trial=single_trial)
    pooled = result.pooled
    return {
        "evidence_strength": pooling.evidence_strength(
            k=result.k, studies=len(studies), toolkit=toolkit, practice_based=False
        ),
        "pooled_k": result.k,
        "pooled_n": result.n,
        "pooled_estimate": pooled.estimate if pooled else None,
        "pooled_ci_low": pooled.ci_low if pooled else None,
        "pooled_ci_high": pooled.ci_high if pooled else None,
    }


def _check(obj, where: str, problems: list[str], exclude=()) -> None:
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            problems.extend(f"{where}: {field}: {m}" for m in messages)


def _sync_studies(intervention: Intervention, studies: list[dict]) -> None:
    current = [
        {f: getattr(s, f) for f in STUDY_FIELDS} for s in intervention.studies.order_by("position")
    ]
    wanted = [{**s, "position": i} for i, s in enumerate(studies)]
    if current != [{f: w.get(f) for f in STUDY_FIELDS} for w in wanted]:
        intervention.studies.all().delete()
        Study.objects.bulk_create(
            Study(intervention=intervention, **{f: w.get(f) for f in STUDY_FIELDS}) for w in wanted
        )


def _sync_messages(intervention: Intervention, messages: list[dict]) -> None:
    live = list(intervention.key_messages.filter(archived=False).order_by("position", "id"))
    for position, message in enumerate(messages):
        if position < len(live):
            row = live[position]
            wanted = (message["text"], message["sources"], message["theme"], position)
            if (row.text, row.sources, row.theme, row.position) != wanted:
                row.text, row.sources, row.theme, row.position = wanted
                row._change_reason = SEED_REASON
                row.save()
        else:
            row = KeyMessage(intervention=intervention, school=None, position=position, **message)
            row._change_reason = SEED_REASON
            row.save()
    for row in live[len(messages) :]:
        row.archived = True
        row._change_reason = SEED_REASON
        row.save()


@transaction.atomic
def catalogue_seed(*, directory: Path | str | None = None) -> SeedSummary:
    """Load the shared catalogue and the measures from the seed files: add, update, archive.

    Idempotent (a second run changes nothing) and all or nothing: every entry is read and
    checked before anything is written, and any failure rolls the whole load back.
    """
    interventions, measures = read_seed(directory)
    guidance = read_messages(directory, entries={data["slug"] for data in interventions})
    summary = SeedSummary()
    problems: list[str] = []
    existing = {i.slug: i for i in Intervention.objects.filter(school__isnull=True)}
    plan = []
    for data in interventions:
        fields = {k: v for k, v in data.items() if k not in {"slug", "studies", "key_messages"}}
        try:
            fields |= evidence_summary(
                data["studies"],
                toolkit=bool(fields["eef_strand"]),
                single_trial=fields["single_trial"],
            )
        except ValueError as error:
            problems.append(f"{data['slug']}: the studies cannot be pooled ({error})")
            continue
        fields["archived"] = False
        obj = existing.get(data["slug"]) or Intervention(slug=data["slug"], school=None)
        changed = obj.pk is None or any(getattr(obj, k) != v for k, v in fields.items())
        for k, v in fields.items():
            setattr(obj, k, v)
        _check(obj, data["slug"], problems)
        for i, study in enumerate(data["studies"]):
            _check(
                Study(**study, position=i),
                f"{data['slug']} study {i + 1}",
                problems,
                ["intervention"],
            )
        plan.append((obj, changed, data))
    measure_plan = []
    current_measures = {m.slug: m for m in Measure.objects.all()}
    for data in measures:
        obj = current_measures.get(data["slug"]) or Measure()
        changed = obj.pk is None or any(getattr(obj, k) != v for k, v in data.items())
        for k, v in data.items():
            setattr(obj, k, v)
        _check(obj, data["slug"], problems)
        measure_plan.append((obj, changed))
    if problems:
        raise SeedError(problems)

    for obj, changed, data in plan:
        if obj.pk is None:
            summary.created += 1
        elif changed:
            summary.updated += 1
        else:
            summary.unchanged += 1
        if changed:
            obj._change_reason = SEED_REASON
            obj.save()
        _sync_studies(obj, data["studies"])
        _sync_messages(obj, data["key_messages"])
    seeded = {data["slug"] for data in interventions}
    for slug, obj in existing.items():
        if slug not in seeded and not obj.archived:
            obj.archived = True
            obj._change_reason = "No longer in the catalogue seed files"
            obj.save()
            summary.archived += 1
    for obj, changed in measure_plan:
        if obj.pk is None:
            summary.measures_created += 1
        elif changed:
            summary.measures_updated += 1
        if changed:
            obj.save()
    summary.guidance_messages = _sync_guidance(guidance)
    return summary


def _sync_guidance(messages: list[dict]) -> int:
    """Write the key messages that span entries; ones no longer seeded are archived."""
    shared = {i.slug: i for i in Intervention.objects.filter(school__isnull=True)}
    current = {m.slug: m for m in GuidanceMessage.objects.all()}
    for position, data in enumerate(messages):
        row = current.pop(data["slug"], None) or GuidanceMessage(slug=data["slug"])
        row.theme, row.text, row.sources = data["theme"], data["text"], data["sources"]
        row.position, row.archived = position, False
        row.save()
        row.interventions.set([shared[slug] for slug in data["interventions"]])
    for row in current.values():
        if not row.archived:
            row.archived = True
            row.save(update_fields=["archived"])
    return len(messages)


def catalogue_seed_if_empty(*, directory: Path | str | None = None) -> SeedSummary | None:
    """Seed the shared catalogue unless it already has entries (for ``load_demo --if-empty``)."""
    if Intervention.objects.filter(school__isnull=True).exists():
        return None
    return catalogue_seed(directory=directory)


# --------------------------------------------------------------------------------------
# A school's own, practice-based interventions
# --------------------------------------------------------------------------------------
def _require_senco(actor: Actor) -> None:
    if actor.school is None or not actor.has_role(Role.SENCO):
        raise PermissionDenied(NOT_YOUR_SCHOOL)


def _skills(value) -> list[str]:
    """'Decoding, reading fluency' or a list -> ['decoding', 'reading_fluency']."""
    items = value.split(",") if isinstance(value, str) else list(value or [])
    skills = []
    for item in items:
        slug = slugify(str(item)).replace("-", "_")
        if str(item).strip() and not slug:
            raise ValidationError({"skills": [SKILLS_FORMAT]})
        if slug and slug not in skills:
            skills.append(slug)
    return skills


def _unique_slug(actor: Actor, name: str) -> str:
    base = slugify(name)[:70] or "intervention"
    taken = set(
        Intervention.objects.filter(Q(school__isnull=True) | Q(school=actor.school))
        .filter(slug__startswith=base)
        .values_list("slug", flat=True)
    )
    taken |= RESERVED_SLUGS
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


@service
def intervention_create(
    *,
    actor: Actor,
    name: str,
    kind: str,
    broad_areas: list[str],
    nc_year_min: int | None,
    nc_year_max: int | None,
    provider: str = "",
    need_codes: list[str] | None = None,
    skills: str | list[str] = "",
    format: str = "",
    group_size: int | None = None,
    sessions_per_week: int | None = None,
    minutes_per_session: int | None = None,
    weeks: int | None = None,
    delivered_by: str = "",
    training: str = "",
    cost_note: str = "",
    guidance: str = "",
    key_message: str = "",
    request=None,
) -> Intervention:
    """Add a practice-based intervention to the SENCO's own school (no published study)."""
    _require_senco(actor)
    errors: dict[str, list[str]] = {}
    fields = {
        "name": name,
        "kind": kind,
        "provider": provider,
        "broad_areas": broad_areas,
        "need_codes": need_codes,
        "skills": skills,
        "nc_year_min": nc_year_min,
        "nc_year_max": nc_year_max,
        "format": format,
        "group_size": group_size,
        "sessions_per_week": sessions_per_week,
        "minutes_per_session": minutes_per_session,
        "weeks": weeks,
        "delivered_by": delivered_by,
        "training": training,
        "cost_note": cost_note,
        "guidance": guidance,
    }
    for key in ("provider", "format", "delivered_by", "training", "cost_note", "guidance"):
        fields[key] = (fields[key] or "").strip()
    fields["name"] = (fields["name"] or "").strip()
    try:
        fields["skills"] = _skills(fields["skills"])
    except ValidationError as error:
        errors.update(error.message_dict)
    if not fields["broad_areas"]:
        errors.setdefault("broad_areas", []).append(AREA_REQUIRED)
    fields["need_codes"] = list(fields["need_codes"] or [])
    low, high = fields["nc_year_min"], fields["nc_year_max"]
    if low is not None and high is not None and high < low:
        errors.setdefault("nc_year_max", []).append(YEARS_ORDER)
    for key, label in DOSE_LABELS.items():
        if fields[key] is not None and fields[key] < 1:
            errors.setdefault(key, []).append(DOSE_AT_LEAST_ONE.format(label=label))
    name_clash = Intervention.objects.filter(
        Q(school__isnull=True) | Q(school=actor.school), archived=False, name__iexact=fields["name"]
    )
    if fields["name"] and name_clash.exists():
        errors.setdefault("name", []).append(NAME_TAKEN)
    if errors:
        raise ValidationError(errors)
    intervention = Intervention(
        school=actor.school,
        slug=_unique_slug(actor, fields["name"]),
        evidence_strength=pooling.STRENGTH_PRACTICE,
        **fields,
    )
    intervention.full_clean(validate_constraints=False)
    intervention._change_reason = "Added as a practice-based intervention"
    intervention.save()
    if key_message.strip():
        message = KeyMessage(
            intervention=intervention,
            school=actor.school,
            position=0,
            text=key_message.strip(),
            theme=theme_for(areas=intervention.broad_areas, skills=intervention.skills),
        )
        message._change_reason = "Added with the intervention"
        message.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type="intervention",
        object_id=intervention.pk,
        object_repr=intervention.name,
        detail="Practice-based intervention added",
        request=request,
    )
    return intervention


@dataclass(frozen=True)
class MessageEdit:
    """One key message as submitted: ``id`` None for a new one; blank ``text`` removes it."""

    id: int | None
    text: str
    source: str = ""


@service
def key_messages_update(
    *, actor: Actor, intervention: Intervention, messages: list[MessageEdit], request=None
) -> int:
    """Change, add and remove the key messages of the school's own intervention.

    Removed messages are archived, not deleted; every change is kept in history. Returns the
    number of messages changed, added or removed (0 means nothing was saved).
    """
    _require_senco(actor)
    if intervention.school_id != actor.school.id:
        raise PermissionDenied(NOT_YOUR_SCHOOL)
    if not any(m.text.strip() for m in messages):
        raise ValidationError(MESSAGES_REQUIRED)
    live = {m.id: m for m in intervention.key_messages.filter(archived=False)}
    counts = {"changed": 0, "added": 0, "removed": 0}
    position = 0
    for edit in messages:
        text, sources = edit.text.strip(), [edit.source.strip()] if edit.source.strip() else []
        row = live.pop(edit.id, None) if edit.id is not None else None
        if row is None and edit.id is not None:
            continue  # not one of this intervention's live messages: ignore it
        if row is not None and not text:
            row.archived, row._change_reason = True, "Removed"
            row.save()
            counts["removed"] += 1
            continue
        if not text:
            continue
        if row is None:
            row = KeyMessage(
                intervention=intervention,
                school=intervention.school,
                theme=theme_for(areas=intervention.broad_areas, skills=intervention.skills),
            )
            counts["added"] += 1
        elif (row.text, row.sources, row.position) == (text, sources, position):
            position += 1
            continue
        elif (row.text, row.sources) != (text, sources):
            counts["changed"] += 1
        row.text, row.sources, row.position = text, sources, position
        row._change_reason = "Key message added" if row.pk is None else "Key message changed"
        row.full_clean(exclude=["intervention", "school"])
        row.save()
        position += 1
    total = sum(counts.values())
    if total:
        audit_record(
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            object_type="intervention",
            object_id=intervention.pk,
            object_repr=intervention.name,
            detail=", ".join(f"{n} {what}" for what, n in counts.items() if n) + " key messages",
            request=request,
        )
    return total
