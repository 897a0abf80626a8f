"""Session register pages: the sessions due today and this week, and one session's register
(record, correct, or read). Thin: selectors read, ``session_services`` writes. Register URLs
take a group and a date, never a pupil."""

from datetime import date, datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from sendwise.core.decorators import permission_required
from sendwise.core.forms import errors_onto
from sendwise.core.roles import Role
from sendwise.delivery import session_selectors as selectors
from sendwise.delivery import session_services as services
from sendwise.delivery.calendar_selectors import closure_on
from sendwise.delivery.session_forms import RegisterForm

DATE_REQUIRED = "Enter the date of the session"


def register_url(group_id: int, on: date, at=None) -> str:
    url = reverse("delivery:register", kwargs={"group_id": group_id, "on": on.isoformat()})
    return f"{url}?at={at:%H:%M}" if at is not None else url


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Http404("Not a date") from None


@permission_required("delivery.view_register")
def sessions(request):
    """Today's sessions and those of the last ``RECENT_WEEKS`` weeks not yet recorded, oldest
    first: the actor's groups (every group for the SENCO and the head); and a way to record a
    missed one by group and date."""
    actor = request.actor
    everyone = actor.has_role(Role.SENCO, Role.HEAD)
    groups = list(selectors.registers_visible(actor=actor).filter(archived=False).order_by("name"))
    problem, problem_field = "", "missed-group"
    if "group" in request.GET:
        chosen = next((g for g in groups if str(g.pk) == request.GET.get("group")), None)
        try:
            on = date.fromisoformat(request.GET.get("date", ""))
        except ValueError:
            on = None
        if chosen is None:
            problem = "Choose one of your groups"
        elif on is None:
            problem, problem_field = DATE_REQUIRED, "missed-date"
        else:
            try:
                services.backfill_check(chosen, on, timezone.localdate())
            except ValidationError as error:
                problem, problem_field = error.message_dict["date"][0], "missed-date"
            else:
                return redirect(register_url(chosen.pk, on))
    weeks = selectors.RECENT_WEEKS
    today, earlier = selectors.sessions_due(actor=actor, everyone=everyone, weeks=weeks)
    context = {
        "today": today,
        "earlier": earlier,
        "weeks": weeks,
        "groups": groups,
        "everyone": everyone,
        "problem": problem,
        "problem_field": problem_field,
        "closed_today": closure_on(school_id=actor.school.pk, day=timezone.localdate()),
        "chosen": request.GET.get("group", ""),
        "date_value": request.GET.get("date", ""),
    }
    return render(request, "delivery/sessions.html", context)


def _seen_at(value: str):
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


@require_http_methods(["GET", "POST"])
@permission_required("delivery.view_register")
def register(request, group_id: int, on: str):
    """One session's register: everyone present by default; per pupil present, late or absent
    with a reason and engagement; or the whole session cancelled; saved in one submit."""
    actor = request.actor
    day = _day(on)
    group = selectors.register_group_get(actor=actor, group_id=group_id)
    at = selectors.parse_time(request.GET.get("at", ""))
    sheet = selectors.register_get(actor=actor, group=group, on=day, at=at)
    if request.method == "POST" and not sheet.can_record:
        raise PermissionDenied
    date_problem = ""
    if sheet.session is None:
        try:
            services.check_date(group, day, timezone.localdate())
        except ValidationError as error:
            date_problem = error.message_dict["date"][0]
    form = RegisterForm(request.POST if request.method == "POST" else None, register=sheet)
    conflict = ""
    if request.method == "POST" and not date_problem and form.is_valid():
        editing = form.cleaned_data["editing"]
        try:
            saved = services.session_record(
                actor=actor,
                group=group,
                on=day,
                slot=sheet.slot,
                data=form.session_input(),
                editing=sheet.session
                if sheet.session is not None and sheet.session.pk == editing
                else None,
                seen_at=_seen_at(form.cleaned_data["seen_at"]),
                request=request,
            )
        except services.SessionConflict as error:
            conflict = error.messages[0]
            sheet = selectors.register_get(actor=actor, group=group, on=day, at=at)
            # What they saved, with what this person typed kept beside it: nothing typed is lost.
            form = RegisterForm(register=sheet, typed=form.cleaned_data)
        except ValidationError as error:
            errors_onto(form, error)
        else:
            # A session saved before and saved again is "updated", not "recorded" a second time.
            if saved.status == saved.Status.CANCELLED:
                what = "cancelled"
            else:
                what = "updated" if sheet.session is not None else "recorded"
            messages.success(request, f"{group.name}, {day:%A %-d %B}: session {what}")
            return redirect("delivery:sessions")
    context = {
        "group": group,
        "sheet": sheet,
        "form": form,
        "conflict": conflict,
        "date_problem": date_problem,
        "pupil_fields": list(zip(sheet.rows, form.pupil_fields(), strict=True)),
    }
    return render(request, "delivery/register.html", context)
