"""Demo SEN detail: dated provision and need records, skills that need work, profiles.

Kept apart from `demo.py` so each stays readable. Made-up data, shaped like a real register:
pupils joined SEN support over the last few years; some moved on to an EHC plan.
"""

import random
from datetime import date, timedelta

from sendwise.pupils.models import (
    NeedsProfile,
    OnePageProfile,
    Pupil,
    SenNeed,
    SenProvisionRecord,
    Skill,
    SkillNeed,
)
from sendwise.pupils.profile_services import skills_seed

#: Skills that commonly need work with each primary need (editorial, for demo data only).
SKILLS_BY_NEED = {
    "SPLD": ["decoding", "spelling", "reading_fluency", "phonological_awareness", "working_memory"],
    "MLD": [
        "number_sense",
        "reading_comprehension",
        "working_memory",
        "arithmetic_fluency",
        "vocabulary",
    ],
    "SLD": ["receptive_language", "expressive_language", "number_sense", "fine_motor"],
    "PMLD": ["receptive_language", "fine_motor", "gross_motor", "sensory_processing"],
    "SLCN": ["expressive_language", "receptive_language", "vocabulary", "narrative", "listening"],
    "ASD": ["social_communication", "sensory_processing", "anxiety", "emotional_regulation"],
    "SEMH": ["emotional_regulation", "anxiety", "attention", "self_esteem", "behaviour"],
    "HI": ["listening", "vocabulary", "receptive_language"],
    "VI": ["handwriting", "reading_fluency", "gross_motor"],
    "MSI": ["receptive_language", "sensory_processing"],
    "PD": ["fine_motor", "gross_motor", "handwriting"],
    "OTH": ["attention", "working_memory", "self_regulation"],
    "NSA": ["reading_comprehension", "attention", "arithmetic_fluency"],
}
STRENGTHS = [
    "Kind to younger pupils and patient with them",
    "Loves building things and explaining how they work",
    "Great memory for facts about animals",
    "Works hard when a task feels achievable",
    "Funny, creative storyteller out loud",
    "Strong visual thinker: draws to explain ideas",
]
HELPS = [
    "Instructions broken into steps, with a visual checklist",
    "A warning before changes to the routine",
    "Sitting near the front, away from the door",
    "Pre-teaching key vocabulary before a new topic",
    "A movement break after 15 minutes of desk work",
    "Being given time to answer, without being rushed",
]
NOT_HELPS = [
    "Being asked to read aloud without warning",
    "Loud, busy transitions between lessons",
    "Long lists of spoken instructions",
    "Copying from the board",
]


def sen_detail_build(rng: random.Random, pupils: list[Pupil], today: date) -> None:
    """Dated records, skills and (for about half) a needs profile for every pupil with SEN."""
    skills_seed()
    skills = {s.slug: s for s in Skill.objects.filter(school__isnull=True)}
    provisions, needs, skill_needs, profiles, one_pages = [], [], [], [], []
    for pupil in pupils:
        if pupil.sen_provision == "N":
            continue
        school = pupil.school_id
        start = today - timedelta(days=rng.randrange(60, 365 * min(4, pupil.nc_year + 1)))
        if pupil.sen_provision == "E":
            plan_start = start + timedelta(days=rng.randrange(30, max(31, (today - start).days)))
            provisions.append(
                SenProvisionRecord(
                    school_id=school,
                    pupil=pupil,
                    provision="K",
                    start_date=start,
                    end_date=plan_start,
                )
            )
            provisions.append(
                SenProvisionRecord(
                    school_id=school, pupil=pupil, provision="E", start_date=plan_start
                )
            )
        else:
            provisions.append(
                SenProvisionRecord(school_id=school, pupil=pupil, provision="K", start_date=start)
            )
        for rank, code in ((1, pupil.primary_need), (2, pupil.secondary_need)):
            if code:
                needs.append(
                    SenNeed(
                        school_id=school, pupil=pupil, need_type=code, rank=rank, start_date=start
                    )
                )
        wanted = list(SKILLS_BY_NEED.get(pupil.primary_need, [])[:3])
        wanted += SKILLS_BY_NEED.get(pupil.secondary_need, [])[:1]
        for slug in dict.fromkeys(wanted):
            severity = 3 if pupil.sen_provision == "E" else rng.choice([1, 2, 2, 3])
            skill_needs.append(
                SkillNeed(school_id=school, pupil=pupil, skill=skills[slug], severity=severity)
            )
        if rng.random() < 0.5:
            profiles.append(
                NeedsProfile(
                    school_id=school,
                    pupil=pupil,
                    strengths=rng.choice(STRENGTHS),
                    what_helps=rng.choice(HELPS),
                    what_does_not_help=rng.choice(NOT_HELPS),
                    attendance_percent=round(rng.uniform(82, 99), 1),
                )
            )
        if rng.random() < 0.3:
            one_pages.append(
                OnePageProfile(
                    school_id=school,
                    pupil=pupil,
                    appreciation=rng.choice(STRENGTHS),
                    important_to_me="My family, my friends at lunchtime, and knowing what is happening next.",
                    how_to_support=rng.choice(HELPS),
                )
            )
    SenProvisionRecord.objects.bulk_create(provisions, batch_size=2000)
    SenNeed.objects.bulk_create(needs, batch_size=2000)
    SkillNeed.objects.bulk_create(skill_needs, batch_size=2000)
    NeedsProfile.objects.bulk_create(profiles, batch_size=2000)
    OnePageProfile.objects.bulk_create(one_pages, batch_size=2000)
