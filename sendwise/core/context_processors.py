"""Navigation by role: the header shows only the pages this person may open."""

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

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

#: The menu (label and address of each item) by the roles it was worked out for, and the
#: addresses' URLconf and prefix. The rules behind the menu's permissions read the actor's
#: roles in their current school and nothing else (core.permissions.has_any_role; a test checks
#: it), so one set of roles always has the same menu: it is worked out once a process for each
#: set (a few dozen at most) instead of 12 permission checks and 13 reversals a page. The roles
#: are read afresh from the memberships every request, so a role given or taken away changes
#: the menu on the next page.
_MENUS: dict[tuple, tuple[tuple[tuple[str, str], ...], str]] = {}


def _menu(actor) -> tuple[tuple[tuple[str, str], ...], str]:
    """The items this actor's roles may open, and the address of "Your account"."""
    key = (actor.roles, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    menu = _MENUS.get(key)
    if menu is None:
        items = tuple(
            (label, reverse(name))
            for label, name, permission in NAV
            if permission is None or actor_can(actor, permission)
        )
        menu = _MENUS[key] = (items, reverse("account"))
    return menu


def navigation(request):
    actor = getattr(request, "actor", None)
    demo_mode = settings.SENDWISE_DEMO_MODE
    if actor is None or not request.user.is_authenticated:
        return {"nav_items": [], "demo_mode": demo_mode}
    menu, account_url = _menu(actor)
    # One item is current: the longest address the page is under (Sessions, not Delivery).
    path = request.path
    current = max(
        (url for _, url in menu if (path == url if url == "/" else path.startswith(url))),
        key=len,
        default=None,
    )
    return {
        "nav_items": [
            {"label": label, "url": url, "active": url == current} for label, url in menu
        ],
        "actor": actor,
        "demo_mode": demo_mode,
        "account_url": account_url,
    }
