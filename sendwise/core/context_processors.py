"""Navigation by role: the header shows only the pages this person may open."""

from django.conf import settings
from django.urls import reverse

from sendwise.core.permissions import actor_can

NAV = [
    ("Home", "home", None),
    ("SEND register", "pupils:register", "pupils.view_register"),
    ("Interventions", "evidence:catalogue", "evidence.view_catalogue"),
    ("Concerns", "concerns:list", "concerns.view_concerns"),
    ("Delivery", "delivery:overview", "delivery.view_delivery"),
    ("Sessions", "delivery:sessions", "delivery.view_register"),
    ("Impact", "impact:school", "impact.view_school_impact"),
    ("Classes", "classes", "core.view_classes"),
    ("Lessons", "delivery:lesson_classes", "delivery.view_lessons"),
    ("Staff", "staff", "core.view_staff"),
    ("Import", "exchange:start", "pupils.import_pupils"),
    ("Audit log", "audit_log", "core.view_audit"),
]


def navigation(request):
    actor = getattr(request, "actor", None)
    demo_mode = settings.SENDWISE_DEMO_MODE
    if actor is None or not request.user.is_authenticated:
        return {"nav_items": [], "demo_mode": demo_mode}
    items = []
    for label, name, permission in NAV:
        if permission is None or actor_can(actor, permission):
            url = reverse(name)
            active = request.path == url if url == "/" else request.path.startswith(url)
            items.append({"label": label, "url": url, "active": active})
    # One item is current: the longest address the page is under (Sessions, not Delivery).
    current = max((i for i in items if i["active"]), key=lambda i: len(i["url"]), default=None)
    for item in items:
        item["active"] = item is current
    return {
        "nav_items": items,
        "actor": actor,
        "demo_mode": demo_mode,
        "account_url": reverse("account"),
    }
