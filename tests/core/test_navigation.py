"""The menu in the header: each person sees the pages their roles open, worked out once a
process for each set of roles (core.context_processors) and never carried from one person to
the next."""

import re
from itertools import combinations

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from sendwise.core import context_processors
from sendwise.core.access import Actor, actor_for
from sendwise.core.models import School, User
from sendwise.core.permissions import actor_can
from sendwise.core.roles import Role
from tests.factories import MembershipFactory

#: Menu items only a SENCO (or head, or administrator) has: never shown to a teaching assistant.
SENCO_ONLY = ["Concerns", "Impact", "Staff", "Import", "Audit log"]


def menu_of(html: str) -> list[str]:
    """The labels of the service menu, in order, as the page shows them."""
    menu = html.split('id="navigation">', 1)[1].split("</ul>", 1)[0]
    labels = re.findall(r'class="govuk-service-navigation__link"[^>]*>(.*?)</a>', menu, re.S)
    return [re.sub(r"<[^>]+>", "", label) for label in labels]


@pytest.fixture
def fresh_menus():
    """Start with no menu worked out, as a new worker does."""
    context_processors._MENUS.clear()
    context_processors._MARKUP.clear()
    yield
    context_processors._MENUS.clear()
    context_processors._MARKUP.clear()


def test_an_assistant_served_after_a_senco_sees_no_senco_links(world, client, fresh_menus):
    client.force_login(world.users["senco"])
    senco_menu = menu_of(client.get(reverse("home")).content.decode())
    assert set(SENCO_ONLY) <= set(senco_menu)

    client.force_login(world.users[Role.INTERVENTION_SPECIALIST])
    html = client.get(reverse("home")).content.decode()
    assert menu_of(html) == [
        "Home", "SEND register", "Interventions", "Delivery", "Sessions", "Classes",
        "Your account",
    ]  # fmt: skip
    for label, name, _ in context_processors.NAV:
        if label in SENCO_ONLY:
            assert f'href="{reverse(name)}"' not in html


def test_a_role_given_or_taken_away_changes_the_menu_on_the_next_page(world, client, fresh_menus):
    assistant = world.users[Role.INTERVENTION_SPECIALIST]
    client.force_login(assistant)
    assert "Audit log" not in menu_of(client.get(reverse("home")).content.decode())

    senco = MembershipFactory(user=assistant, school=world.school, role=Role.SENCO)
    assert "Audit log" in menu_of(client.get(reverse("home")).content.decode())

    senco.delete()
    assert "Audit log" not in menu_of(client.get(reverse("home")).content.decode())


def test_the_current_page_is_marked_once_in_the_cached_menu(world, client_as, fresh_menus):
    client = client_as("senco")
    client.get(reverse("home"))  # the menu is worked out here, on another page
    html = client.get(reverse("delivery:sessions")).content.decode()
    current = re.findall(r'href="([^"]+)" aria-current="page"', html)
    assert current == [reverse("delivery:sessions")]  # Sessions, not Delivery as well
    assert '<strong class="govuk-service-navigation__active-fallback">Sessions</strong>' in html


@pytest.mark.parametrize("permission", [p for _, _, p in context_processors.NAV if p])
def test_the_menu_permissions_depend_on_the_roles_alone(permission):
    """The menu is kept by the set of roles: so each permission it shows must give the same
    answer to any two people with the same roles, whichever school (of any phase), trust or
    other roles elsewhere. A rule that read anything else would need its own key."""
    primary = School(pk=1, urn="100001", name="A", phase=School.Phase.PRIMARY)
    special = School(pk=2, urn="100002", name="B", phase=School.Phase.SPECIAL)
    roles = [role.value for role in Role]
    for size in range(len(roles) + 1):
        for held in combinations(roles, size):
            held = frozenset(held)
            one = Actor(user=User(pk=1), school=primary, roles=held, all_roles=held)
            other = Actor(
                user=User(pk=2, email="x@example.test"), school=special, roles=held,
                schools=(primary, special), ip="10.0.0.1", all_roles=frozenset(roles),
            )  # fmt: skip
            assert actor_can(one, permission) == actor_can(other, permission), held


#: The loop base.html drew the menu with before its items were written in Python.
LOOP = Template(
    """{% for item in nav_items %}
            <li class="govuk-service-navigation__item{% if item.active %} govuk-service-navigation__item--active{% endif %}">
              <a class="govuk-service-navigation__link" href="{{ item.url }}"{% if item.active %} aria-current="page"{% endif %}>{% if item.active %}<strong class="govuk-service-navigation__active-fallback">{{ item.label }}</strong>{% else %}{{ item.label }}{% endif %}</a>
            </li>
            {% endfor %}"""
)


@pytest.mark.parametrize("who", ["senco", "teacher", Role.INTERVENTION_SPECIALIST, "parent"])
@pytest.mark.parametrize(
    "path", ["/", "/pupils/", "/delivery/sessions/", "/delivery/", "/nowhere/", "/a&b/"]
)
def test_the_menu_markup_is_what_the_template_loop_drew(world, who, path, fresh_menus):
    request = RequestFactory().get(path)
    request.user = world.users[who]
    request.actor = actor_for(request.user)
    context = context_processors.navigation(request)
    expected = LOOP.render(Context({"nav_items": context["nav_items"]}))
    assert context["nav_html"] == expected
    again = context_processors.navigation(request)  # from the cache this time
    assert again["nav_html"] == expected


def test_the_footer_speaks_to_a_parent_as_a_family_and_to_staff_about_special_category_data(
    world, client_as
):
    parent = client_as("parent").get(reverse("home")).content.decode()
    assert "Ask the school's SENCO" in parent
    assert "look only at what your work needs" not in parent
    senco = client_as("senco").get(reverse("home")).content.decode()
    assert "look only at what your work needs" in senco
    assert "Ask the school's SENCO" not in senco
