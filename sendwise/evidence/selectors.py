"""Reads of the evidence catalogue, always scoped to the actor.

Rule: school staff see the shared catalogue plus their own school's practice-based
interventions, never another school's. Parents and local-authority advisers do not use the
catalogue (it is a staff working tool, and a school's own entries and results are school data);
they get nothing here and 403 from the views. Missing, archived and another school's entries
all give 404.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from sendwise.core.access import Actor
from sendwise.core.chart_cache import cached_svg
from sendwise.core.history import versions
from sendwise.evidence import charts, pooling
from sendwise.evidence.codes import Strength, Theme, skill_label
from sendwise.evidence.models import GuidanceMessage, Intervention, KeyMessage


def interventions_visible(*, actor: Actor) -> QuerySet[Intervention]:
    """The shared catalogue and the actor's own school's entries, for school staff only."""
    if actor.user is None or actor.school is None or not actor.is_staff_member:
        return Intervention.objects.none()
    return Intervention.objects.filter(
        Q(school__isnull=True) | Q(school=actor.school), archived=False
    )


@dataclass(frozen=True)
class CatalogueFilters:
    """What the catalogue is searched and filtered by; empty means no filter."""

    q: str = ""
    area: str = ""
    need: str = ""
    skill: str = ""
    year: int | None = None
    format: str = ""
    kind: str = ""
    strength: str = ""
    has_cost: bool = False
    #: At most this cost per pupil in the actor's school (entries the school has costed).
    max_cost: Decimal | None = None


def intervention_list(*, actor: Actor, filters: CatalogueFilters) -> QuerySet[Intervention]:
    """The catalogue: search name, provider and key messages; filter by need, year and
    evidence. The school's own cost per pupil is delivery's (see `pages.catalogue_views`)."""
    rows = interventions_visible(actor=actor)
    if actor.school is None:
        return rows
    if filters.area:
        rows = rows.filter(broad_areas__has_item=filters.area)
    if filters.need:
        rows = rows.filter(need_codes__has_item=filters.need)
    if filters.skill:
        rows = rows.filter(skills__has_item=filters.skill)
    if filters.year is not None:
        rows = rows.filter(nc_year_min__lte=filters.year, nc_year_max__gte=filters.year)
    if filters.format:
        rows = rows.filter(format=filters.format)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.strength:
        rows = rows.filter(evidence_strength=filters.strength)
    for term in filters.q.split():
        messages = KeyMessage.objects.filter(
            intervention=OuterRef("pk"), archived=False, text__icontains=term
        )
        rows = rows.filter(Q(name__icontains=term) | Q(provider__icontains=term) | Exists(messages))
    return rows.order_by("name", "id")


@dataclass
class EntryMessages:
    """One entry's key messages within a theme (their source is the entry's own list unless a
    message names its own)."""

    intervention: Intervention
    messages: list[KeyMessage] = field(default_factory=list)


@dataclass
class ThemeMessages:
    """One theme of the key messages page: messages that span entries, then entries' own."""

    theme: str
    label: str
    guidance: list[GuidanceMessage] = field(default_factory=list)
    entries: list[EntryMessages] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.guidance) + sum(len(e.messages) for e in self.entries)


def key_messages_by_theme(*, actor: Actor, q: str = "") -> list[ThemeMessages]:
    """Every key message the actor may read, once each, by theme: the shared catalogue's and
    the school's own; ``q`` keeps messages whose text or entry name has every word."""
    visible = interventions_visible(actor=actor)
    if actor.school is None or not actor.is_staff_member:
        return []
    messages = KeyMessage.objects.filter(archived=False, intervention__in=visible)
    guidance = GuidanceMessage.objects.filter(archived=False)
    for term in q.split():
        messages = messages.filter(Q(text__icontains=term) | Q(intervention__name__icontains=term))
        named = Intervention.objects.filter(
            guidance_messages=OuterRef("pk"), name__icontains=term
        ).filter(pk__in=visible.values("pk"))
        guidance = guidance.filter(Q(text__icontains=term) | Exists(named))
    messages = messages.select_related("intervention").order_by(
        "intervention__name", "intervention_id", "position", "id"
    )
    guidance = guidance.prefetch_related(
        Prefetch("interventions", queryset=visible.order_by("name", "id"))
    ).order_by("position", "id")
    groups = {value: ThemeMessages(value, str(label)) for value, label in Theme.choices}
    for message in guidance:
        groups[message.theme].guidance.append(message)
    for message in messages:
        group = groups[message.theme or Theme.TEACHING.value]
        if not group.entries or group.entries[-1].intervention.pk != message.intervention_id:
            group.entries.append(EntryMessages(message.intervention))
        group.entries[-1].messages.append(message)
    return [group for group in groups.values() if group.count]


def skill_options(*, actor: Actor) -> list[tuple[str, str]]:
    """Every skill named in the catalogue this actor sees, as (slug, label), by label."""
    skills = {
        s
        for row in interventions_visible(actor=actor).values_list("skills", flat=True)
        for s in row
    }
    return sorted(((s, skill_label(s)) for s in skills), key=lambda item: item[1])


def intervention_get(*, actor: Actor, slug: str) -> Intervention:
    """One entry the actor may see, or 404; the school's own entry wins a slug clash."""
    found = list(interventions_visible(actor=actor).filter(slug=slug).select_related("school"))
    if not found:
        raise Http404("No such intervention")
    return next((i for i in found if i.school_id is not None), found[0])


def intervention_get_editable(*, actor: Actor, slug: str) -> Intervention:
    """One of the actor's own school's entries, or 404: shared entries are never edited."""
    found = interventions_visible(actor=actor).filter(slug=slug, school=actor.school).first()
    if found is None:
        raise Http404("No such intervention in your school")
    return found


def key_messages(*, intervention: Intervention) -> list[KeyMessage]:
    """The live key messages of an entry already checked with ``intervention_get``."""
    return list(intervention.key_messages.filter(archived=False).order_by("position", "id"))


def guidance_for(*, intervention: Intervention) -> list[GuidanceMessage]:
    """The messages that span entries (EEF guidance) naming an entry already checked."""
    return list(intervention.guidance_messages.filter(archived=False).order_by("position", "id"))


@dataclass
class StudyLine:
    """A study row for the page: the study, and whether (and how) it was pooled."""

    study: object
    included: pooling.Included | None = None
    reason: str = ""


@dataclass
class ResearchView:
    """Everything the "What research says" column shows."""

    synthesis: pooling.Synthesis | None
    lines: list[StudyLine] = field(default_factory=list)
    chart_svg: str = ""
    strength_label: str = ""

    @property
    def all_outside_uk(self) -> bool:
        """True when there are studies and none of them ran in the UK."""
        return bool(self.lines) and not any(line.study.is_uk for line in self.lines)

    @property
    def countries(self) -> list[str]:
        """The countries the studies ran in, as recorded, in order of first appearance."""
        named = (line.study.country.split("(")[0].strip() for line in self.lines)
        return list(dict.fromkeys(c for c in named if c))

    @property
    def uses_arm_sizes(self) -> bool:
        """True when a pooled trial's precision came from its arm sizes (see pooling.py)."""
        return bool(self.synthesis) and any(
            i.basis == pooling.BASIS_ARMS for i in self.synthesis.included
        )


def research_view(*, intervention: Intervention) -> ResearchView:
    """Pool the entry's studies (one per trial) and draw the forest plot, for the detail page."""
    label = Strength(intervention.evidence_strength).label
    if not intervention.is_shared:
        return ResearchView(synthesis=None, strength_label=label)
    studies = list(intervention.studies.order_by("position"))
    synthesis = pooling.synthesise(studies, single_trial=intervention.single_trial)
    included = {id(i.row): i for i in synthesis.included}
    reasons = {id(o.row): o.reason for o in synthesis.left_out}
    # UK trials (the EEF's among them) first, each group in the seed file's order.
    ordered = sorted(studies, key=lambda s: not s.is_uk)
    lines = [StudyLine(s, included.get(id(s)), reasons.get(id(s), "")) for s in ordered]
    # Drawn once per change of the trials' figures, then read from the cache (core.chart_cache).
    data = charts.forest_data(synthesis, title=intervention.name) if synthesis.k else None
    chart = cached_svg(charts.draw_forest, data) if data is not None else ""
    return ResearchView(synthesis=synthesis, lines=lines, chart_svg=chart, strength_label=label)


def intervention_changes(*, intervention: Intervention, limit: int = 20) -> list[dict]:
    """Who changed a school's own entry and its key messages, newest first."""
    if intervention.is_shared:
        return []
    records = list(
        versions(Intervention)
        .filter(id=intervention.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:limit]
    )
    records += list(
        versions(KeyMessage)
        .filter(intervention_id=intervention.pk)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:limit]
    )
    records.sort(key=lambda r: r.history_date, reverse=True)
    return [
        {
            "at": r.history_date,
            "who": r.history_user,
            "what": r.history_change_reason or r.get_history_type_display(),
            "text": getattr(r, "text", ""),
        }
        for r in records[:limit]
    ]
