"""Progress pages: one outcome's chart for staff, and a child's goals for their parent.

The charts are inline SVG in the page rather than images at their own address: one request,
no second door to a pupil's data to authorise and audit, the same markup in print and in a
PDF, and the text in the chart stays text. The SVG is drawn by our code from our data
(matplotlib escapes every text it writes), so it is safe to inline.
"""

from django.shortcuts import render

from sendwise.core.decorators import permission_required
from sendwise.core.permissions import actor_can
from sendwise.monitoring import progress_selectors
from sendwise.pupils.selectors import pupil_for


@permission_required("monitoring.view_outcome_chart")
def outcome_progress(request, pupil_id: int, outcome_id: int):
    actor = request.actor
    pupil = pupil_for(actor=actor, pupil_id=pupil_id, purpose="progress chart")
    progress = progress_selectors.outcome_progress(pupil=pupil, outcome_id=outcome_id)
    context = {
        "pupil": pupil,
        "progress": progress,
        "can_add_score": actor_can(actor, "monitoring.add_score"),
    }
    return render(request, "monitoring/outcome_progress.html", context)


@permission_required("monitoring.view_progress")
def child_progress(request, pupil_id: int):
    actor = request.actor
    pupil = pupil_for(actor=actor, pupil_id=pupil_id, purpose="progress")
    plan, goals = progress_selectors.child_progress(pupil=pupil)
    context = {
        "pupil": pupil,
        "plan": plan,
        "goals": goals,
        "can_see_charts": actor_can(actor, "monitoring.view_outcome_chart"),
    }
    return render(request, "monitoring/child_progress.html", context)
