"""Loading the shared catalogue, and a SENCO's own interventions and key messages."""

import math
import shutil
from pathlib import Path

import pytest
import yaml
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from sendwise.core.access import actor_for
from sendwise.core.models import AuditEntry
from sendwise.evidence import pooling, services
from sendwise.evidence.models import Intervention, KeyMessage, Measure, Study
from sendwise.evidence.seeding import SEED_DIR, SeedError, read_seed
from sendwise.evidence.services import MessageEdit
from sendwise.maths.reliability import measure_change_reliability
from tests.evidence.factories import InterventionFactory, KeyMessageFactory, own_intervention

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def seed_dir(tmp_path):
    """A writable copy of the test fixtures, so a test can change the files."""
    for name in ("interventions.yaml", "measures.yaml"):
        shutil.copy(FIXTURES / name, tmp_path / name)
    return tmp_path


def rewrite(folder, change):
    path = folder / "interventions.yaml"
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


# --- The shared catalogue -----------------------------------------------------------------
def test_seeding_loads_entries_studies_messages_and_measures(db, seed_dir):
    summary = services.catalogue_seed(directory=seed_dir)

    assert (summary.created, summary.measures_created) == (3, 2)
    reading = Intervention.objects.get(slug="pooled_reading", school__isnull=True)
    assert reading.need_codes == ["SPLD", "MLD"] and reading.skills == [
        "decoding",
        "reading_fluency",
    ]
    assert (reading.nc_year_min, reading.nc_year_max, reading.sessions_per_week) == (1, 4, 3)
    assert (reading.eef_strand, reading.eef_months, reading.eef_padlocks) == ("Phonics", 5, 4)
    assert reading.studies.count() == 4
    assert reading.studies.get(position=2).scaled_up is True
    assert [m.text for m in reading.key_messages.all()] == [
        "Short, frequent sessions.",
        "Keep groups small.",
    ]
    assert reading.key_messages.get(position=1).sources == ["https://example.org/groups"]
    # Two trials pool (the secondary outcome and the raw-score pilot are left out).
    assert (reading.evidence_strength, reading.pooled_k, reading.pooled_n) == ("pooled", 2, 1700)
    assert reading.pooled_ci_low < reading.pooled_estimate < reading.pooled_ci_high
    assert Intervention.objects.get(slug="whole_class_talk").evidence_strength == "toolkit_only"
    assert Intervention.objects.get(slug="untested_motor").evidence_strength == "no_evaluation"
    assert reading.history.count() == 1
    measure = Measure.objects.get(slug="test_reading_score")
    assert measure.reliability == 0.84  # the lowest numeric coefficient
    assert measure.higher_is_better is True and measure.verified == "partial"
    assert Measure.objects.get(slug="test_rating").reliability is None


def test_seeding_twice_changes_nothing(db, seed_dir):
    services.catalogue_seed(directory=seed_dir)
    study_ids = set(Study.objects.values_list("id", flat=True))
    history = (Intervention.history.count(), KeyMessage.history.count())

    summary = services.catalogue_seed(directory=seed_dir)

    assert (summary.created, summary.updated, summary.unchanged) == (0, 0, 3)
    assert set(Study.objects.values_list("id", flat=True)) == study_ids
    assert (Intervention.history.count(), KeyMessage.history.count()) == history


def test_seeding_updates_changed_entries_and_archives_those_removed(db, seed_dir):
    services.catalogue_seed(directory=seed_dir)

    def change(data):
        data[0]["name"] = "Pooled Reading Programme (2nd edition)"
        data[0]["key_messages"] = ["Short, frequent sessions."]
        data[0]["evidence"] = data[0]["evidence"][:1]
        del data[2]

    rewrite(seed_dir, change)
    summary = services.catalogue_seed(directory=seed_dir)

    assert (summary.updated, summary.archived) == (1, 1)
    reading = Intervention.objects.get(slug="pooled_reading")
    assert reading.name.endswith("(2nd edition)")
    assert (reading.pooled_k, reading.evidence_strength) == (1, pooling.STRENGTH_SINGLE)
    assert reading.studies.count() == 1
    assert reading.key_messages.filter(archived=False).count() == 1
    assert reading.key_messages.filter(archived=True).count() == 1  # kept, with its history
    assert Intervention.objects.get(slug="untested_motor").archived is True


def test_a_bad_seed_file_changes_nothing_and_lists_every_problem(db, seed_dir):
    services.catalogue_seed(directory=seed_dir)

    def break_it(data):
        data[0]["name"] = "A change that must not be saved"
        data[1]["broad_areas"] = ["reading"]
        data[1]["evidence"] = [{"citation": "X (2020)", "ci_low": 0.5, "ci_high": 0.1}]
        data[2]["nc_years"] = [6, 2]
        data.append(dict(data[2]))

    rewrite(seed_dir, break_it)
    with pytest.raises(SeedError) as error:
        services.catalogue_seed(directory=seed_dir)

    text = str(error.value)
    assert "whole_class_talk: broad_areas item 'reading'" in text
    assert "ci_low is above ci_high" in text
    assert "untested_motor: nc_years" in text
    assert "id 'untested_motor' appears twice" in text
    assert Intervention.objects.get(slug="pooled_reading").name == "Pooled Reading Programme"


def test_missing_or_malformed_files_are_reported(tmp_path):
    (tmp_path / "interventions.yaml").write_text("- id: [unclosed")
    with pytest.raises(SeedError) as error:
        read_seed(tmp_path)
    assert "interventions.yaml: not valid YAML" in str(error.value)
    assert "measures.yaml: file not found" in str(error.value)


def test_the_project_seed_files_load_and_reload_unchanged(db):
    """The real catalogue in sendwise/evidence/seed/ loads cleanly (and is idempotent)."""
    first = services.catalogue_seed()
    assert first.created >= 35 and first.measures_created >= 15
    areas = {a for i in Intervention.objects.all() for a in i.broad_areas}
    assert areas == {"communication_interaction", "cognition_learning", "semh", "sensory_physical"}
    assert Intervention.objects.filter(pooled_k__gt=0).exists()
    second = services.catalogue_seed()
    assert (second.created, second.updated, second.archived) == (0, 0, 0)
    assert SEED_DIR.name == "seed"


def test_the_sdq_teacher_form_has_a_british_norm_sd_so_its_reliable_change_can_be_judged(db):
    """The teacher SDQ's total difficulties score: SD 6.0 in the British normative sample
    (sdqinfo.org's UK norms, 8,208 teachers; the source is beside it in measures.yaml). With its
    test–retest 0.62, S_diff = 6.0·√2·√0.38 = 5.23, so a fall of 11 points is a reliable
    improvement (RCI 2.10) and a fall of 10 is not (1.91)."""
    services.catalogue_seed()
    sdq = Measure.objects.get(slug="sdq_teacher")
    assert (sdq.mean, sdq.sd) == (6.6, 6.0)
    coefficient = measure_change_reliability(sdq)
    assert coefficient.label == "test–retest reliability 0.62"
    s_diff = sdq.sd * math.sqrt(2) * math.sqrt(1 - coefficient.value)
    assert round(s_diff, 2) == 5.23
    assert (round(11 / s_diff, 2), round(10 / s_diff, 2)) == (2.1, 1.91)
    second = services.catalogue_seed()
    assert (second.created, second.updated, second.archived) == (0, 0, 0)


def test_seed_if_empty_does_nothing_once_the_catalogue_exists(db, seed_dir):
    assert services.catalogue_seed_if_empty(directory=seed_dir) is not None
    assert services.catalogue_seed_if_empty(directory=seed_dir) is None


def test_seed_catalogue_command_reports_and_refuses_a_bad_file(db, seed_dir, capsys):
    call_command("seed_catalogue", "--directory", str(seed_dir))
    assert "3 added" in capsys.readouterr().out
    (seed_dir / "measures.yaml").write_text("not: a list")
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Nothing was loaded"):
        call_command("seed_catalogue", "--directory", str(seed_dir))


def test_load_demo_if_empty_seeds_an_empty_catalogue_even_when_schools_exist(world, capsys):
    call_command("load_demo", "--if-empty")
    assert Intervention.objects.filter(school__isnull=True).count() >= 35
    assert "Loaded the evidence catalogue" in capsys.readouterr().out


# --- A school's own interventions ---------------------------------------------------------
GOOD = {
    "name": "Lunchtime Lego club",
    "kind": "targeted_intervention",
    "provider": "",
    "broad_areas": ["communication_interaction"],
    "need_codes": ["ASD"],
    "skills": "Social communication, turn taking",
    "nc_year_min": 3,
    "nc_year_max": 6,
    "format": "small_group",
    "group_size": 3,
    "sessions_per_week": 2,
    "minutes_per_session": 30,
    "weeks": 10,
    "delivered_by": "teaching_assistant",
    "training": "",
    "cost_note": "",
    "guidance": "Same roles every week.",
}


def test_senco_adds_a_practice_based_intervention_with_history_and_audit(world):
    actor = actor_for(world.users["senco"])
    created = services.intervention_create(
        actor=actor, **GOOD, key_message="Works best with the same three pupils."
    )

    assert created.school == world.school and created.slug == "lunchtime-lego-club"
    assert created.skills == ["social_communication", "turn_taking"]
    assert created.evidence_strength == pooling.STRENGTH_PRACTICE
    assert created.history.count() == 1
    assert created.key_messages.get().school == world.school
    entry = AuditEntry.objects.get(object_type="intervention")
    assert (entry.action, entry.object_id, entry.user) == ("create", str(created.pk), actor.user)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"nc_year_min": 6, "nc_year_max": 3}, "nc_year_max", services.YEARS_ORDER),
        ({"weeks": 0}, "weeks", "Number of weeks must be at least 1, or left blank"),
        (
            {"sessions_per_week": 0},
            "sessions_per_week",
            "Sessions a week must be at least 1, or left blank",
        ),
        ({"broad_areas": []}, "broad_areas", services.AREA_REQUIRED),
        ({"skills": "decoding, !!!"}, "skills", services.SKILLS_FORMAT),
    ],
)
def test_bad_input_for_a_new_intervention_saves_nothing(world, change, field, message):
    with pytest.raises(ValidationError) as error:
        services.intervention_create(actor=actor_for(world.users["senco"]), **{**GOOD, **change})
    assert message in error.value.message_dict[field]
    assert not Intervention.objects.exists() and not AuditEntry.objects.exists()


def test_a_name_already_in_the_shared_catalogue_is_refused(world):
    InterventionFactory(name="Lunchtime LEGO Club")
    with pytest.raises(ValidationError) as error:
        services.intervention_create(actor=actor_for(world.users["senco"]), **GOOD)
    assert error.value.message_dict["name"] == [services.NAME_TAKEN]


def test_slugs_never_clash_with_the_shared_catalogue_or_the_new_page(world):
    InterventionFactory(slug="lunchtime-lego-club", name="Something else")
    actor = actor_for(world.users["senco"])
    assert services.intervention_create(actor=actor, **GOOD).slug == "lunchtime-lego-club-2"
    assert services.intervention_create(actor=actor, **{**GOOD, "name": "New"}).slug == "new-2"


def test_only_a_senco_may_add_an_intervention(world):
    with pytest.raises(PermissionDenied):
        services.intervention_create(actor=actor_for(world.users["teacher"]), **GOOD)


# --- Key messages -------------------------------------------------------------------------
def test_senco_changes_adds_and_removes_key_messages_keeping_history(world):
    intervention = own_intervention(world)
    first = intervention.key_messages.get()
    second = KeyMessageFactory(intervention=intervention, text="Second message", position=1)
    actor = actor_for(world.users["senco"])

    changed = services.key_messages_update(
        actor=actor,
        intervention=intervention,
        messages=[
            MessageEdit(first.pk, "Pupils like reading to the school dog.", "Our 2025 review"),
            MessageEdit(second.pk, ""),
            MessageEdit(None, "A brand new message"),
            MessageEdit(None, ""),
        ],
    )

    assert changed == 3
    live = list(intervention.key_messages.filter(archived=False).order_by("position"))
    assert [(m.text, m.sources) for m in live] == [
        ("Pupils like reading to the school dog.", ["Our 2025 review"]),
        ("A brand new message", []),
    ]
    second.refresh_from_db()
    assert second.archived is True
    assert first.history.count() == 2
    entry = AuditEntry.objects.get(object_type="intervention", action="update")
    assert entry.detail == "1 changed, 1 added, 1 removed key messages"


def test_saving_unchanged_messages_writes_nothing(world):
    intervention = own_intervention(world)
    message = intervention.key_messages.get()
    actor = actor_for(world.users["senco"])
    edits = [MessageEdit(message.pk, message.text)]
    assert services.key_messages_update(actor=actor, intervention=intervention, messages=edits) == 0
    assert not AuditEntry.objects.exists()


def test_removing_every_message_is_refused(world):
    intervention = own_intervention(world)
    message = intervention.key_messages.get()
    with pytest.raises(ValidationError, match=services.MESSAGES_REQUIRED):
        services.key_messages_update(
            actor=actor_for(world.users["senco"]),
            intervention=intervention,
            messages=[MessageEdit(message.pk, "  ")],
        )
    message.refresh_from_db()
    assert message.archived is False


def test_schools_cannot_change_shared_or_other_schools_messages(world):
    shared = InterventionFactory()
    theirs = InterventionFactory(school=world.other_school)
    actor = actor_for(world.users["senco"])
    for intervention in (shared, theirs):
        with pytest.raises(PermissionDenied):
            services.key_messages_update(
                actor=actor, intervention=intervention, messages=[MessageEdit(None, "Hello")]
            )
    assert not KeyMessage.objects.exists()
