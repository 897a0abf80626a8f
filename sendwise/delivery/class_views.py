"""A class teacher's page: when the pupils of their class are out for support this week, and
what to reinforce in class. Thin: the selector decides which class and which names."""

from django.shortcuts import render

from sendwise.core.decorators import permission_required
from sendwise.delivery import class_selectors


@permission_required("delivery.view_class_week")
def class_week(request, class_id: int):
    actor = request.actor
    class_group = class_selectors.class_get(actor=actor, class_id=class_id)
    week = class_selectors.class_week(actor=actor, class_group=class_group)
    return render(request, "delivery/class_week.html", {"week": week})
