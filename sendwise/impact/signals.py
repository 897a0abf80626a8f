"""When to work results out again: listeners to the rows a result reads, connected in
``ImpactConfig.ready`` (impact is above planning, delivery and monitoring, so it may listen to
their saves and signals; they never call impact).

What changes what:

- a score added or withdrawn (``Score`` post_save), or a group's scores saved in bulk
  (``monitoring.signals.scores_recorded``): the placements of that pupil whose plan has an
  outcome on the score's measure and whose window can hold its date (``scores_in_window``: a
  score counts for a plan only after its start and, once reviewed, up to the review); a score
  corrected (its date may have moved, and the old date is not on the row): all the pupil's
  placements;
- an outcome added, changed or withdrawn (``Outcome``): its plan's placements;
- a placement added, changed or withdrawn (``Placement``): its plan's placements (an outcome for
  "the plan as a whole" counts for a placement only while it is the plan's only targeted one);
- a plan activated or reviewed (``Plan``): its placements (the review closes the cycle);
- a pupil's details (``Pupil``): their placements (year group, need, EAL ... are copied);
- a pupil joining or leaving a group (``GroupMember``), a session recorded
  (``delivery.signals.session_recorded``): those placements' dose;
- the school calendar (``delivery.signals.calendar_changed``): the whole school's doses.

A listener only notes what changed (no query, so a save costs nothing more while its
transaction runs); once the transaction commits, everything it noted is worked out at once
(``transaction.on_commit``, robust: a failure is logged and never fails the person's save,
and ``manage.py impact_rebuild`` repairs it). ``settings.IMPACT_UPKEEP`` says how:
``"now"`` (the default) in the same request, or ``"task"`` on the task queue. Why "now" is
the default is measured by ``benchmarks/impact_upkeep.py`` (see its docstring): about 40 ms
more per score save, and pages right the moment the save returns, with no worker needed.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save

from sendwise.delivery.models import GroupMember
from sendwise.delivery.signals import calendar_changed, session_recorded
from sendwise.impact import response_signals, result_services
from sendwise.impact.tasks import impact_refresh
from sendwise.monitoring.models import Score
from sendwise.monitoring.signals import scores_recorded
from sendwise.planning.models import Outcome, Placement, Plan
from sendwise.pupils.models import Pupil

NOW, TASK = "now", "task"

_local = threading.local()


def _fresh() -> defaultdict:
    return defaultdict(
        lambda: {"pupils": set(), "plans": set(), "placements": set(), "scores": set()}
    )


def _pending() -> dict:
    """What this thread's current transaction changed. A transaction rolled back never runs
    its on-commit work, so what it noted is dropped when the next transaction notes anything
    (its outermost atomic block is another object), never worked out or carried along."""
    connection = transaction.get_connection()
    owner = connection.atomic_blocks[0] if connection.in_atomic_block else None
    if not hasattr(_local, "pending") or _local.owner is not owner:
        _local.pending, _local.owner = _fresh(), owner
    return _local.pending


@contextmanager
def paused():
    """Note nothing inside (a bulk load that rebuilds everything at the end, as the demo
    loader does with ``impact_rebuild``)."""
    before = getattr(_local, "paused", False)
    _local.paused = True
    try:
        yield
    finally:
        _local.paused = before


def note(
    *, school_id: int, pupils=(), plans=(), placements=(), scores=(), school: bool = False
) -> None:
    """Remember what changed, and work it out once the transaction commits (at once when
    there is no transaction). ``scores``: (pupil id, measure id, date taken) of scores added
    or withdrawn."""
    if school_id is None or getattr(_local, "paused", False):
        return
    entry = _pending()[school_id]
    entry["pupils"].update(pupils)
    entry["plans"].update(plans)
    entry["placements"].update(placements)
    entry["scores"].update(scores)
    if school:
        entry["school"] = True
    transaction.on_commit(flush, robust=True)


def flush() -> None:
    """Work out everything noted so far (runs after the commit, when the transaction that
    noted it is over: so what is there is read as it stands)."""
    pending = getattr(_local, "pending", None)
    if not pending:
        return
    work = dict(pending)
    pending.clear()
    for school_id, entry in sorted(work.items()):
        dispatch(
            school_id=school_id,
            pupils=sorted(entry["pupils"]),
            plans=sorted(entry["plans"]),
            placements=sorted(entry["placements"]),
            scores=sorted(entry["scores"]),
            school=bool(entry.get("school")),
        )


def dispatch(
    *, school_id: int, pupils=(), plans=(), placements=(), scores=(), school: bool = False
) -> None:
    """Work it out now, or queue it, as ``settings.IMPACT_UPKEEP`` says."""
    if settings.IMPACT_UPKEEP == TASK:
        impact_refresh.enqueue(
            school_id=school_id,
            pupils=list(pupils),
            plans=list(plans),
            placements=list(placements),
            # A task's arguments are JSON: the date as ISO text.
            scores=[[pupil, measure, str(taken_on)] for pupil, measure, taken_on in scores],
            school=school,
        )
        return
    result_services.refresh_noted(
        school_id=school_id,
        pupils=pupils,
        plans=plans,
        placements=placements,
        scores=scores,
        school=school,
    )


# --- Listeners -------------------------------------------------------------------------------
def on_score_saved(sender, instance, created=False, **kwargs) -> None:
    """A score added, or withdrawn (its date unchanged: a withdrawn score is never corrected),
    counts only where its date falls; a correction may have moved the date from a day the row
    no longer shows, so all the pupil's placements are worked out again."""
    if created or instance.withdrawn_at is not None:
        note(
            school_id=instance.school_id,
            scores=[(instance.pupil_id, instance.measure_id, instance.taken_on)],
        )
    else:
        note(school_id=instance.school_id, pupils=[instance.pupil_id])


def on_plan_part_saved(sender, instance, **kwargs) -> None:
    """An outcome or placement: its plan's placements."""
    note(school_id=instance.school_id, plans=[instance.plan_id])


def on_plan_saved(sender, instance, **kwargs) -> None:
    note(school_id=instance.school_id, plans=[instance.pk])


def on_pupil_saved(sender, instance, created=False, **kwargs) -> None:
    if not created:  # a new pupil has no placement yet
        note(school_id=instance.school_id, pupils=[instance.pk])


def on_member_saved(sender, instance, **kwargs) -> None:
    note(school_id=instance.school_id, placements=[instance.placement_id])


# delivery sends these once its transaction has committed: the work is done at once.
def on_session_recorded(sender, *, school_id: int, placement_ids: list[int], **kwargs) -> None:
    if not getattr(_local, "paused", False):
        dispatch(school_id=school_id, placements=sorted(placement_ids))


def on_scores_recorded(
    sender, *, school_id: int, pupil_ids: list[int], measure_id=None, taken_on=None, **kwargs
) -> None:
    """Scores saved in bulk (a group's, all on one measure and day), which post_save does not
    see: where their date falls, as for one score; all the pupils' placements when the sender
    does not say the measure and day."""
    if getattr(_local, "paused", False):
        return
    if measure_id is None or taken_on is None:
        dispatch(school_id=school_id, pupils=sorted(pupil_ids))
        return
    dispatch(
        school_id=school_id,
        scores=[(pupil, measure_id, taken_on) for pupil in sorted(set(pupil_ids))],
    )


def on_calendar_changed(sender, *, school_id: int, **kwargs) -> None:
    if not getattr(_local, "paused", False):
        dispatch(school_id=school_id, school=True)


def connect() -> None:
    """Connect impact's listeners to the saves and signals of the apps below it (called once,
    from ``ImpactConfig.ready``; this module is imported only once the app registry is ready)."""
    post_save.connect(on_score_saved, sender=Score, dispatch_uid="impact.score")
    for model in (Outcome, Placement):
        post_save.connect(on_plan_part_saved, sender=model, dispatch_uid=f"impact.{model.__name__}")
    post_save.connect(on_plan_saved, sender=Plan, dispatch_uid="impact.plan")
    post_save.connect(on_pupil_saved, sender=Pupil, dispatch_uid="impact.pupil")
    post_save.connect(on_member_saved, sender=GroupMember, dispatch_uid="impact.member")
    session_recorded.connect(on_session_recorded, dispatch_uid="impact.session")
    scores_recorded.connect(on_scores_recorded, dispatch_uid="impact.scores")
    calendar_changed.connect(on_calendar_changed, dispatch_uid="impact.calendar")
    # How pupils responded, for the recommendations (impact.response_signals).
    post_save.connect(
        response_signals.on_plan_saved, sender=Plan, dispatch_uid="impact.response_plan"
    )
    post_save.connect(
        response_signals.on_placement_saved,
        sender=Placement,
        dispatch_uid="impact.response_placement",
    )
