"""Protected lessons: classes' weekly lesson timetables, the school's lesson rules and the
SENCO's withdrawal list. Thin: ``lesson_selectors`` read, ``lesson_services`` write."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from sendwise.core.decorators import permission_required
from sendwise.core.forms import errors_onto
from sendwise.core.models import AuditEntry
from sendwise.core.permissions import actor_can
from sendwise.core.services import audit_record
from sendwise.delivery import lesson_selectors, lesson_services, lessons
from sendwise.delivery.lesson_forms import LessonForm, LessonRulesForm, WithdrawalFilterForm
from sendwise.pupils.selectors import class_choices


@permission_required("delivery.view_lessons")
def lesson_classes(request):
    """The classes whose lesson timetables the reader may see, with how many lessons each has."""
    actor = request.actor
    context = {
        "classes": list(lesson_selectors.lesson_classes(actor=actor)),
        "can_manage": actor_can(actor, "delivery.manage_lessons"),
        "can_rules": actor_can(actor, "delivery.manage_lesson_rules"),
        "rules": lesson_selectors.rules_for(school_id=actor.school.pk),
    }
    return render(request, "delivery/lesson_classes.html", context)


def _week_context(request, class_group, form):
    actor = request.actor
    rows = list(lesson_selectors.class_lessons(actor=actor, class_group=class_group))
    days = [
        (name, [row for row in rows if row.weekday == day]) for day, name in enumerate(lessons.DAYS)
    ]
    return {
        "class_group": class_group,
        "days": days,
        "lesson_count": len(rows),
        "form": form,
        "can_manage": actor_can(actor, "delivery.manage_lessons"),
        "rules": lesson_selectors.rules_for(school_id=actor.school.pk),
    }


@require_http_methods(["GET", "POST"])
@permission_required("delivery.view_lessons")
def class_lessons(request, class_id: int):
    """A class's week of lessons; the SENCO, the head and the administrator add lessons here."""
    actor = request.actor
    class_group = lesson_selectors.lesson_class_get(actor=actor, class_id=class_id)
    can_manage = actor_can(actor, "delivery.manage_lessons")
    if request.method == "POST" and not can_manage:
        raise PermissionDenied
    form = LessonForm(request.POST if request.method == "POST" else None) if can_manage else None
    if request.method == "POST" and form.is_valid():
        try:
            lesson = lesson_services.lesson_save(
                actor=actor,
                class_group=class_group,
                lesson=None,
                data=form.lesson_input(),
                request=request,
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, f"{lesson} added to {class_group.name}")
            return redirect("delivery:class_lessons", class_id=class_group.pk)
    return render(request, "delivery/class_lessons.html", _week_context(request, class_group, form))


@require_http_methods(["GET", "POST"])
@permission_required("delivery.manage_lessons")
def lesson_edit(request, class_id: int, lesson_id: int):
    actor = request.actor
    class_group = lesson_selectors.lesson_class_get(actor=actor, class_id=class_id)
    lesson = lesson_selectors.lesson_get(actor=actor, class_group=class_group, lesson_id=lesson_id)
    form = LessonForm(
        request.POST if request.method == "POST" else None,
        initial=LessonForm.initial_for(lesson),
    )
    if request.method == "POST" and form.is_valid():
        try:
            lesson_services.lesson_save(
                actor=actor,
                class_group=class_group,
                lesson=lesson,
                data=form.lesson_input(),
                request=request,
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, f"Lesson changed to {lesson}")
            return redirect("delivery:class_lessons", class_id=class_group.pk)
    context = {"form": form, "class_group": class_group, "lesson": lesson}
    return render(request, "delivery/lesson_edit.html", context)


@require_POST
@permission_required("delivery.manage_lessons")
def lesson_remove(request, class_id: int, lesson_id: int):
    actor = request.actor
    class_group = lesson_selectors.lesson_class_get(actor=actor, class_id=class_id)
    lesson = lesson_selectors.lesson_get(actor=actor, class_group=class_group, lesson_id=lesson_id)
    text = str(lesson)
    lesson_services.lesson_remove(actor=actor, lesson=lesson, request=request)
    messages.success(request, f"{text} removed from {class_group.name}")
    return redirect("delivery:class_lessons", class_id=class_group.pk)


@require_http_methods(["GET", "POST"])
@permission_required("delivery.manage_lesson_rules")
def lesson_rules(request):
    """How often a pupil may miss the same subject, the half-term and the school day."""
    actor = request.actor
    rules = lesson_selectors.rules_for(school_id=actor.school.pk)
    form = LessonRulesForm(
        request.POST if request.method == "POST" else None,
        initial=LessonRulesForm.initial_for(rules),
    )
    if request.method == "POST" and form.is_valid():
        try:
            lesson_services.lesson_rules_set(actor=actor, request=request, **form.cleaned_data)
        except ValidationError as error:
            errors_onto(form, error)
        else:
            messages.success(request, "Lesson rules saved")
            return redirect("delivery:lesson_classes")
    return render(request, "delivery/lesson_rules.html", {"form": form})


@permission_required("delivery.view_withdrawals")
def withdrawals(request):
    """Every pupil's lessons missed for interventions, by subject, a half-term."""
    actor = request.actor
    form = WithdrawalFilterForm(request.GET or None, classes=class_choices(actor=actor))
    filters = form.filters()
    found = lesson_selectors.withdrawals(actor=actor, **filters)
    # The list names pupils and their support, so reading it is logged like the register.
    audit_record(
        actor=actor,
        action=AuditEntry.Action.VIEW,
        object_type="withdrawals",
        object_id="-",
        object_repr="Lessons missed for interventions",
        detail=request.GET.urlencode()[:300],
        request=request,
    )
    context = {
        "form": form,
        "found": found,
        "filtered": any(filters.values()),
        "can_lessons": actor_can(actor, "delivery.view_lessons"),
    }
    return render(request, "delivery/withdrawals.html", context)
