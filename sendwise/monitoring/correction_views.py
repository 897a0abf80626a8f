"""A pupil's scores page (every score by measure, and the withdrawn ones), and correcting or
withdrawing a score with a reason. Thin: selectors read, ``correction_services`` writes."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from sendwise.core.decorators import permission_required
from sendwise.core.forms import errors_onto
from sendwise.core.permissions import actor_can
from sendwise.monitoring import correction_services as services
from sendwise.monitoring import selectors
from sendwise.monitoring.group_forms import ScoreCorrectForm, ScoreWithdrawForm
from sendwise.pupils.selectors import pupil_for


@permission_required("monitoring.view_scores")
def scores(request, pupil_id: int):
    """Every score of the pupil by measure, with correct and withdraw where the reader may."""
    actor = request.actor
    pupil = pupil_for(actor=actor, pupil_id=pupil_id, purpose="scores")
    measures, withdrawn = selectors.pupil_scores_page(pupil=pupil)
    can_change = actor_can(actor, "monitoring.change_score")
    for group in measures:
        for score in group.scores:
            score.may_change = can_change and services.may_change(actor, score)
    context = {
        "pupil": pupil,
        "measures": measures,
        "withdrawn": withdrawn,
        "can_add_score": actor_can(actor, "monitoring.add_score"),
    }
    return render(request, "monitoring/scores.html", context)


def _score_for_change(request, pupil_id: int, score_id: int, purpose: str):
    actor = request.actor
    pupil = pupil_for(actor=actor, pupil_id=pupil_id, purpose=purpose)
    score = selectors.score_get(pupil=pupil, score_id=score_id)
    if not services.may_change(actor, score):
        raise PermissionDenied(services.NOT_YOURS)
    return pupil, score


def _version(form) -> int | None:
    return form.cleaned_data.get("version")


@require_http_methods(["GET", "POST"])
@permission_required("monitoring.change_score")
def score_correct(request, pupil_id: int, score_id: int):
    """Change a score's value or date, saying why; the earlier value stays in its history."""
    pupil, score = _score_for_change(request, pupil_id, score_id, "correct score")
    form = ScoreCorrectForm(request.POST if request.method == "POST" else None, score=score)
    conflict = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.score_correct(
                actor=request.actor,
                score=score,
                value=form.cleaned_data["value"],
                taken_on=form.cleaned_data["taken_on"],
                reason=form.cleaned_data["reason"],
                seen_version=_version(form),
                request=request,
            )
        except services.ScoreConflict as error:
            conflict, score = error.messages[0], error.score
            form = ScoreCorrectForm(score=score)
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, f"Score on {score.measure.name} corrected")
            return redirect("monitoring:scores", pupil_id=pupil.pk)
    context = {"pupil": pupil, "score": score, "form": form, "conflict": conflict}
    return render(request, "monitoring/score_correct.html", context)


@require_http_methods(["GET", "POST"])
@permission_required("monitoring.change_score")
def score_withdraw(request, pupil_id: int, score_id: int):
    """Withdraw a score entered by mistake, saying why: kept on record, counted nowhere."""
    pupil, score = _score_for_change(request, pupil_id, score_id, "withdraw score")
    form = ScoreWithdrawForm(
        request.POST if request.method == "POST" else None, initial={"version": score.version}
    )
    conflict = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.score_withdraw(
                actor=request.actor,
                score=score,
                reason=form.cleaned_data["reason"],
                seen_version=_version(form),
                request=request,
            )
        except services.ScoreConflict as error:
            conflict, score = error.messages[0], error.score
            form = ScoreWithdrawForm(initial={"version": score.version})
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, f"Score on {score.measure.name} withdrawn")
            return redirect("monitoring:scores", pupil_id=pupil.pk)
    context = {"pupil": pupil, "score": score, "form": form, "conflict": conflict}
    return render(request, "monitoring/score_withdraw.html", context)
