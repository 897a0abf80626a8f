"""Every page of the delivery area gives each element its own id: a label whose ``for`` names
an id used twice points at whichever box comes first (on the costs page the funding form's
"Note" label pointed at the materials form's box)."""

from collections import Counter
from html.parser import HTMLParser

import pytest

from tests.core.test_authorization import MATRIX
from tests.delivery.factories import delivery_url, running_group


class Ids(HTMLParser):
    def __init__(self):
        super().__init__()
        self.ids: Counter[str] = Counter()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value:
                self.ids[value] += 1


def duplicate_ids(page: str) -> list[str]:
    parser = Ids()
    parser.feed(page)
    return sorted(i for i, n in parser.ids.items() if n > 1)


PAGES = sorted(n for n, who in MATRIX.items() if n.startswith("delivery:") and who["senco"] == 200)


def test_the_check_finds_an_id_used_twice():
    assert duplicate_ids('<p id="a"></p><label for="a"></label><input id="a">') == ["a"]


@pytest.mark.parametrize("name", PAGES)
def test_no_delivery_page_uses_an_id_twice(name, world, client_as):
    running_group(
        world, pupils=2, name="Spelling group"
    )  # so that pages show their lists and every form
    url = delivery_url(name, world)
    response = client_as("senco").get(url)
    assert response.status_code == 200
    assert duplicate_ids(response.content.decode()) == [], url


def test_the_funding_forms_note_label_points_at_its_own_box(world, client_as):
    running_group(world, pupils=2)  # a running group: the funding form is shown
    page = client_as("senco").get(delivery_url("delivery:costs", world)).content.decode()
    assert 'for="id_funding_note"' in page and 'id="id_funding_note"' in page
    assert 'for="id_running_note"' in page and 'id="id_running_note"' in page
