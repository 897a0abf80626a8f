"""Every URL of the project × every role: allowed or refused.

A new URL pattern without a row here fails `test_every_url_has_a_row`, so no page ships without
deciding who may open it. Refusals are 403 (signed in, wrong role), 302 to sign-in (anonymous),
404 (a record the person may not see, so its existence is not revealed) or 405 (wrong method).
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

LOGIN = "login"
WHO = [
    "anonymous",
    "senco",
    "intervention_specialist",
    "teacher",
    "head",
    "parent",
    "la_adviser",
    "admin",
    "other_school_senco",
]


def row(anonymous, senco, assistant, teacher, head, parent, adviser, admin, other_senco):
    return dict(
        zip(
            WHO,
            [anonymous, senco, assistant, teacher, head, parent, adviser, admin, other_senco],
            strict=True,
        )
    )


# GET of each URL name. Pupil URLs use the pupil in the teacher's and assistant's class, whose
# parent is the `parent` user.
MATRIX = {
    "home": row(LOGIN, 200, 200, 200, 200, 200, 200, 200, 200),
    "login": row(200, 302, 302, 302, 302, 302, 302, 302, 302),
    "logout": row(405, 405, 405, 405, 405, 405, 405, 405, 405),
    "healthz": row(200, 200, 200, 200, 200, 200, 200, 200, 200),
    "audit_log": row(LOGIN, 200, 403, 403, 200, 403, 403, 403, 200),
    "staff": row(LOGIN, 200, 403, 403, 200, 403, 403, 200, 200),
    "classes": row(LOGIN, 200, 200, 200, 200, 403, 403, 200, 200),
    "switch_school": row(405, 405, 405, 405, 405, 405, 405, 405, 405),
    "pupils:register": row(LOGIN, 200, 200, 200, 200, 403, 403, 200, 200),
    "pupils:detail": row(LOGIN, 200, 200, 200, 200, 200, 403, 200, 404),
    "pupils:edit": row(LOGIN, 200, 403, 403, 403, 403, 403, 403, 404),
    "pupils:archive": row(LOGIN, 200, 403, 403, 403, 403, 403, 403, 404),
}


def all_url_names(patterns=None, namespace=""):
    names = set()
    for pattern in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            names |= all_url_names(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            if pattern.name is None:
                names.add(f"{namespace}<unnamed {pattern.pattern}>")
            else:
                names.add(f"{namespace}{pattern.name}")
    return names


def test_every_url_has_a_row():
    assert all_url_names() == set(MATRIX)


def url_for(name, world):
    if name.startswith("pupils:") and name != "pupils:register":
        return reverse(name, kwargs={"pupil_id": world.pupil_in_class.pk})
    return reverse(name)


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_who_may_open_each_page(name, who, world, client_as):
    response = client_as(who).get(url_for(name, world))
    expected = MATRIX[name][who]
    if expected == LOGIN:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    else:
        assert response.status_code == expected, response.content[:300]


@pytest.mark.parametrize("who", ["teacher", "intervention_specialist", "parent"])
def test_staff_and_parents_get_404_for_a_pupil_they_do_not_work_with(who, world, client_as):
    url = reverse("pupils:detail", kwargs={"pupil_id": world.pupil_elsewhere.pk})
    response = client_as(who).get(url)
    assert response.status_code == 404
    assert world.pupil_elsewhere.first_name.encode() not in response.content


def test_parent_reaching_another_childs_page_gets_404_not_the_record(world, client_as):
    response = client_as("parent").get(
        reverse("pupils:detail", kwargs={"pupil_id": world.pupil_elsewhere.pk})
    )
    assert response.status_code == 404
    assert b"Ben" not in response.content


def test_senco_cannot_open_a_pupil_of_another_school(world, client_as):
    url = reverse("pupils:detail", kwargs={"pupil_id": world.pupil_other_school.pk})
    assert client_as("senco").get(url).status_code == 404


def test_post_to_edit_is_refused_for_a_teacher_and_changes_nothing(world, client_as):
    url = reverse("pupils:edit", kwargs={"pupil_id": world.pupil_in_class.pk})
    response = client_as("teacher").post(url, {"first_name": "Changed"})
    assert response.status_code == 403
    world.pupil_in_class.refresh_from_db()
    assert world.pupil_in_class.first_name == "Amara"


def test_post_to_archive_is_refused_for_a_head(world, client_as):
    url = reverse("pupils:archive", kwargs={"pupil_id": world.pupil_in_class.pk})
    assert client_as("head").post(url, {"reason": "left"}).status_code == 403
    world.pupil_in_class.refresh_from_db()
    assert world.pupil_in_class.archived_at is None


def test_anonymous_post_to_switch_school_goes_to_sign_in(world, client):
    response = client.post(reverse("switch_school"), {"school": world.school.pk})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
