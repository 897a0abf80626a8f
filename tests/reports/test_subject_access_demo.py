"""Done when (issue 13): a subject-access ZIP for a demo pupil opens and holds every kind of
record the pupil has. The demo trust is loaded once for the module (tests/shared_data.py)."""

import copy

import pytest

from sendwise.core.models import Membership
from sendwise.demo import generate as demo
from sendwise.evidence.services import catalogue_seed
from sendwise.pupils.models import Pupil
from sendwise.reports.sar_kinds import AUDIT, KINDS, history_rows, kind_rows
from tests.reports.sar_helpers import export_zip, open_export
from tests.shared_data import rows_for_module


@pytest.fixture(scope="module", autouse=True)
def shared_demo_trust(django_db_setup, django_db_blocker):
    def load():
        catalogue_seed()  # as `manage.py load_demo` does: the demo's plans draw on it
        return demo.demo_load(seed=3)

    yield from rows_for_module(django_db_blocker, load)


@pytest.fixture
def demo_trust(shared_demo_trust, db):
    return copy.deepcopy(shared_demo_trust)


def richest_pupil(school) -> Pupil:
    """The main school's SEN pupil with the most kinds of record (then the most records)."""
    pupils = Pupil.unscoped.filter(school=school).exclude(sen_provision="N")

    def richness(pupil):
        sizes = [kind_rows(k, pupil).count() for k in KINDS]
        return (sum(1 for n in sizes if n), sum(sizes))

    return max(pupils, key=richness)


def test_a_demo_pupils_export_holds_every_kind_of_record_they_have(demo_trust, client):
    membership = (
        Membership.objects.filter(school__urn=demo.MAIN_URN, role="senco")
        .select_related("user", "school")
        .first()
    )
    senco = membership.user
    pupil = richest_pupil(membership.school)
    client.force_login(senco)
    data, text, _readme = open_export(export_zip(client, pupil).content)

    held = {k.slug: kind_rows(k, pupil).count() for k in (*KINDS, AUDIT)}
    held["audit"] -= 1  # the download itself came after the ZIP was made
    # A real file: record, needs, profiles, access, a plan with its sessions, scores, flags.
    assert sum(1 for n in held.values() if n) >= 14
    for kind in (*KINDS, AUDIT):
        assert len(data[kind.slug]["records"]) == held[kind.slug], kind.slug
        versions = history_rows(kind, pupil)
        if versions is not None:
            assert len(data[kind.slug]["history"]) == versions.count(), kind.slug
    assert pupil.full_name in text
    for section in data.values():
        assert section["title"] in text
    assert data["audit"]["records"][-1]["action"] == "export"
