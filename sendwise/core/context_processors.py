"""Navigation by role: the header shows only the pages this person may open."""

from html import escape

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.safestring import SafeString, mark_safe

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


def _menu(actor) -> tuple[tuple, tuple[tuple[tuple[str, str], ...], str]]:
    """The key of this actor's menu, the items their roles may open (label and address), and
    the address of "Your account"."""
    key = (actor.roles, get_urlconf() or settings.ROOT_URLCONF, get_script_prefix())
    menu = _MENUS.get(key)
    if menu is None:
        items = tuple(
            (label, reverse(name))
            for label, name, permission in NAV
            if permission is None or actor_can(actor, permission)
        )
        menu = _MENUS[key] = (items, reverse("account"))
    return key, menu


#: The menu's items with the current one marked, and their markup, by the key of ``_MENUS``
#: and the current item's address (a few hundred entries at most).
_MARKUP: dict[tuple, tuple[tuple[dict, ...], SafeString]] = {}

_ITEM = (
    '\n            <li class="govuk-service-navigation__item{modifier}">'
    '\n              <a class="govuk-service-navigation__link" href="{url}"{current}>{label}</a>'
    "\n            </li>\n            "
)


def _items(key, menu, current: str | None) -> tuple[tuple[dict, ...], SafeString]:
    """The menu's items (label, address, whether current) and their ``<li>``: the markup
    base.html drew with a loop, written once for each menu and current page."""
    found = _MARKUP.get((key, current))
    if found is None:
        items = tuple({"label": lb, "url": url, "active": url == current} for lb, url in menu)
        markup = "".join(
            _ITEM.format(
                modifier=" govuk-service-navigation__item--active" if item["active"] else "",
                url=escape(item["url"]),
                current=' aria-current="page"' if item["active"] else "",
                label=(
                    '<strong class="govuk-service-navigation__active-fallback">'
                    f"{escape(item['label'])}</strong>"
                    if item["active"]
                    else escape(item["label"])
                ),
            )
            for item in items
        )
        found = _MARKUP[(key, current)] = (items, mark_safe(markup))  # noqa: S308 - escaped
    return found


def navigation(request):
    actor = getattr(request, "actor", None)
    demo_mode = settings.SENDWISE_DEMO_MODE
    if actor is None or not request.user.is_authenticated:
        return {"nav_items": [], "demo_mode": demo_mode}
    key, (menu, account_url) = _menu(actor)
    # One item is current: the longest address the page is under (Sessions, not Delivery).
    path = request.path
    current = max(
        (url for _, url in menu if (path == url if url == "/" else path.startswith(url))),
        key=len,
        default=None,
    )
    items, markup = _items(key, menu, current)
    return {
        "nav_items": items,
        "nav_html": markup,
        "actor": actor,
        "demo_mode": demo_mode,
        "account_url": account_url,
    }
