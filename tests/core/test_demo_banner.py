"""The banner says "demo data" only where the demo runs (SENDWISE_DEMO_MODE), not in a school's
real deployment."""

import pytest
from django.urls import reverse

from sendwise.core.roles import Role

DEMO_WORDS = "Demo data only: every pupil and person here is made up."


@pytest.mark.parametrize("url_name", ["home", "login"])
def test_a_real_deployment_does_not_call_its_data_made_up(client, world, settings, url_name):
    settings.SENDWISE_DEMO_MODE = False
    if url_name == "home":
        client.force_login(world.users[Role.SENCO])
    html = client.get(reverse(url_name)).content.decode()
    assert "This is a new service." in html
    assert DEMO_WORDS not in html and "Demo mode" not in html


@pytest.mark.parametrize("url_name", ["home", "login"])
def test_the_demo_says_so_on_every_page(client, world, settings, url_name):
    settings.SENDWISE_DEMO_MODE = True
    if url_name == "home":
        client.force_login(world.users[Role.SENCO])
    html = client.get(reverse(url_name)).content.decode()
    assert DEMO_WORDS in html and "Demo mode" in html
