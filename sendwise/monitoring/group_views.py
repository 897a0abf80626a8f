"""The page for entering a group's scores at once. Thin: ``group_selectors`` read,
``group_services`` writes. The URL takes a group, never a pupil."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from sendwise.core.decorators import permission_required
from sendwise.core.models import AuditEntry
from sendwise.core.services import audit_record
from sendwise.monitoring import group_selectors as selectors
from sendwise.monitoring import group_services as services
from sendwise.monitoring.group_forms import GroupScoresForm, measure_label


def _chosen(measures, value, default_id):
    """The measure asked for by id (ignored if unknown), else the members' usual one."""
    by_id = {str(m.pk): m for m in measures}
    if value in by_id:
        return by_id[value]
    return next((m for m in measures if m.pk == default_id), None)


def _rows_onto(form, problems: dict[str, list[str]], *, only_rows: bool = False) -> None:
    """A row's problems go on its box, named, so the error summary says whose score it is; the
    date's on the date; the rest at the top (``only_rows``: rows only, and not twice)."""
    names = {row.field_name: row.pupil.name for row in form.rows}
    for key, messages_ in problems.items():
        if only_rows and (key not in names or key in form.errors):
            continue
        for problem in messages_:
            if key in names:
                form.add_error(key, f"{names[key]}: {problem}")
            else:
                form.add_error(key if key == "taken_on" else None, problem)


@require_http_methods(["GET", "POST"])
@permission_required("monitoring.add_group_scores")
def group_scores(request, group_id: int):
    """One measure, one date, a box a member: the entered rows are saved together or not at all."""
    actor = request.actor
    group = selectors.scores_group_get(actor=actor, group_id=group_id)
    members = selectors.current_members(group=group)
    measures = selectors.measures()
    usual = selectors.usual_measure_id(group=group, members=members)
    source = request.POST if request.method == "POST" else request.GET
    measure = _chosen(measures, source.get("measure", ""), usual)
    rows = selectors.member_rows(actor=actor, group=group, members=members, measure=measure)
    form = GroupScoresForm(
        request.POST if request.method == "POST" else None, rows=rows, measure=measure
    )
    if request.method == "POST" and not form.is_valid() and "taken_on" not in form.errors:
        # Some boxes are not numbers: check the others too, so every row's problem shows now.
        problems = services.group_scores_check(
            actor=actor,
            group=group,
            measure=measure,
            taken_on=form.cleaned_data.get("taken_on"),
            rows=form.row_inputs(),
        )
        _rows_onto(form, problems, only_rows=True)
    elif request.method == "POST" and form.is_valid():
        try:
            saved = services.group_scores_add(
                actor=actor,
                group=group,
                measure=measure,
                taken_on=form.cleaned_data["taken_on"],
                rows=form.row_inputs(),
                request=request,
            )
        except ValidationError as error:
            _rows_onto(form, error.message_dict)
        else:
            count = len(saved)
            messages.success(
                request,
                f"{count} score{'s' if count != 1 else ''} on {measure.name} saved for "
                f"{group.name}",
            )
            url = reverse("group_scores:enter", kwargs={"group_id": group.pk})
            return redirect(f"{url}?measure={measure.pk}")
    # The page names the group's pupils, so opening it is logged as the group page is.
    audit_record(
        actor=actor,
        action=AuditEntry.Action.VIEW,
        object_type="group",
        object_id=group.pk,
        object_repr=group.name,
        detail="Scores",
        request=request,
    )
    context = {
        "group": group,
        "measure": measure,
        "usual": usual,
        "choices": [(m.pk, measure_label(m)) for m in measures],
        "form": form,
        "rows": rows,
        "hidden": sum(1 for r in rows if not r.shown),
    }
    return render(request, "monitoring/group_scores.html", context)
