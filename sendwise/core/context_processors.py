"""Navigation by role: the header shows only the pages this person may open."""

from django.urls import reverse

from sendwise.core.permissions import actor_can

NAV = [
    ("Home", "home", None),
    ("SEND register", "pupils:register", "pupils.view_register"),
    ("Interventions", "evidence:catalogue", "evidence.view_catalogue"),
    ("Concerns", "concerns:list", "concerns.view_concerns"),
    ("Delivery", "delivery:overview", "delivery.view_delivery"),
    ("Classes", "classes", "core.view_classes"),
    ("Staff", "staff", "core.view_staff"),
    ("Import", "exchange:start", "pupils.import_pupils"),
    ("Audit log", "audit_log", "core.view_audit"),
]


def navigation(request):
    actor = getattr(request, "actor", None)
    if actor is None or not request.user.is_authenticated:
        return {"nav_items": []}
    items = []
    for label, name, permission in NAV:
        if permission is None or actor_can(actor, permission):
            url = reverse(name)
            active = request.path == url if url == "/" else request.path.startswith(url)
            items.append({"label": label, "url": url, "active": active})
    return {"nav_items": items, "actor": actor}
