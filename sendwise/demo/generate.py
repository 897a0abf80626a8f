"""The demo trust: realistic, made-up schools, staff, pupils and parents, deterministic from a seed.

`demo_load` builds the trust a newcomer signs in to; `school_build` and `local_authority_build`
make the larger data sets the benchmarks use (a 2,000-pupil school, a 100,000-pupil authority).

Proportions follow the DfE's "Special educational needs in England" (January 2024 census,
https://explore-education-statistics.service.gov.uk/find-statistics/special-educational-needs-in-england):
about 13% of pupils at SEN support and (as the foundation issue asks for the demo) about 2% with
an EHC plan; speech, language and communication needs the most common primary need at SEN
support, autism the most common with an EHC plan; SLCN commoner in primary and specific learning
difficulties commoner in secondary; boys about twice as likely as girls to be identified. The
weights below approximate those shares; they are demo data, not statistics.
Dates of birth are set from the current school year, so ages always fit year groups.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history
from stdnum.gb import upn as stdnum_upn

from sendwise.core import stamps
from sendwise.core.models import Membership, School, Trust, User
from sendwise.core.roles import Role
from sendwise.demo.calendar import closures_build
from sendwise.demo.costs import costs_build
from sendwise.demo.delivery import delivery_build
from sendwise.demo.la_support import la_support_build
from sendwise.demo.lessons import lessons_build
from sendwise.demo.names import FIRST_NAMES_F, FIRST_NAMES_M, LAST_NAMES, STAFF_TITLES
from sendwise.demo.plans import last_years_groups_build, plans_build
from sendwise.demo.reviews import reviews_build
from sendwise.demo.scores import scores_build
from sendwise.demo.sen import sen_detail_build
from sendwise.impact.bulk_services import response_aggregates_rebuild
from sendwise.monitoring.flag_services import flags_evaluate_school
from sendwise.pupils.access_services import class_staff_access_grant, contact_access_grant
from sendwise.pupils.census_checks import academic_year_start
from sendwise.pupils.models import ClassGroup, ClassStaff, Contact, Pupil

DEMO_PASSWORD = "sendwise-demo"  # noqa: S105 - published demo password for made-up accounts
DEMO_DOMAIN = "demo.sendwise.test"
DEMO_SIGNINS = {
    "senco": Role.SENCO,
    "ta": Role.INTERVENTION_SPECIALIST,
    "teacher": Role.TEACHER,
    "head": Role.HEAD,
    "parent": Role.PARENT,
    "adviser": Role.LA_ADVISER,
    "admin": Role.ADMIN,
}
MAIN_URN = "900001"

# Relative weights of primary need at SEN support (K) and with an EHC plan (E).
NEED_WEIGHTS_K = {
    "SLCN": 24,
    "SEMH": 20,
    "MLD": 16,
    "SPLD": 13,
    "ASD": 9,
    "NSA": 7,
    "OTH": 4,
    "PD": 2.5,
    "HI": 1.8,
    "VI": 1,
    "SLD": 0.6,
    "MSI": 0.2,
}
NEED_WEIGHTS_E = {
    "ASD": 32,
    "SLCN": 19,
    "SEMH": 15,
    "SLD": 9,
    "MLD": 7,
    "PD": 5,
    "PMLD": 3,
    "SPLD": 3,
    "HI": 2.5,
    "OTH": 2,
    "VI": 1.5,
    "MSI": 0.5,
}
HOME_LANGUAGES = {
    "POL": 5,
    "URD": 4,
    "PNJ": 3,
    "BNG": 3,
    "ARA": 2,
    "ROM": 2,
    "SOM": 1.5,
    "GUJ": 1.5,
    "POR": 1.5,
    "LIT": 1,
    "TUR": 1,
    "TAM": 0.8,
    "SPA": 0.8,
    "CHI": 0.7,
}
CLASS_NAMES = ["Ash", "Birch", "Cedar", "Elm", "Hazel", "Maple", "Oak", "Rowan", "Willow", "Yew"]
FORM_LETTERS = "ABCDEFGHJK"


@dataclass(frozen=True)
class SchoolSpec:
    urn: str
    name: str
    phase: str
    years: tuple[int, int]
    pupils: int
    classes_per_year: int
    establishment: str
    la_code: str = "873"
    la_name: str = "Cambridgeshire"


DEMO_SCHOOLS = (
    SchoolSpec(MAIN_URN, "Riverside Academy", School.Phase.ALL_THROUGH, (0, 11), 600, 2, "4101"),
    SchoolSpec(
        "900002", "Meadow Lane Primary School", School.Phase.PRIMARY, (0, 6), 210, 1, "2001"
    ),
    SchoolSpec(
        "900003", "Fenside Secondary School", School.Phase.SECONDARY, (7, 11), 450, 3, "4102"
    ),
)


def _weighted(rng: random.Random, weights: dict[str, float]) -> str:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _date_of_birth(rng: random.Random, nc_year: int, year_start: int) -> date:
    """A birthday that puts the pupil in `nc_year` this school year (born Sep to Aug)."""
    first = date(year_start - nc_year - 5, 9, 1)
    return first + timedelta(days=rng.randrange(365))


class _UpnMaker:
    """Valid UPNs (check letter computed by stdnum) for one school, unique within it."""

    def __init__(self, la_code: str, establishment: str):
        self.prefix = la_code + establishment
        self.serials: dict[str, int] = {}

    def make(self, year_allocated: int) -> str:
        yy = f"{year_allocated % 100:02d}"
        serial = self.serials.get(yy, 0) + 1
        self.serials[yy] = serial
        body = f"{self.prefix}{yy}{serial:03d}"
        return stdnum_upn.calc_check_digit(body) + body


def _need_for(rng: random.Random, provision: str, nc_year: int) -> tuple[str, str]:
    """A primary (and sometimes secondary) need drawn from the weights for this provision."""
    weights = dict(NEED_WEIGHTS_E if provision == "E" else NEED_WEIGHTS_K)
    if nc_year <= 6:
        weights["SLCN"] = weights.get("SLCN", 0) * 1.6
    else:
        weights["SPLD"] = weights.get("SPLD", 0) * 1.7
    primary = _weighted(rng, weights)
    secondary = ""
    if primary != "NSA" and rng.random() < 0.3:
        weights.pop(primary, None)
        weights.pop("NSA", None)
        secondary = _weighted(rng, weights)
    return primary, secondary


def _sen_assign(rng: random.Random, pupils: list[Pupil]) -> None:
    """Put 2% of pupils on EHC plans and 13% at SEN support, boys about twice as often."""
    order = sorted(pupils, key=lambda p: rng.random() * (0.6 if p.gender == "M" else 1.0))
    n_ehc = round(0.02 * len(pupils))
    n_k = round(0.13 * len(pupils))
    for i, pupil in enumerate(order[: n_ehc + n_k]):
        pupil.sen_provision = "E" if i < n_ehc else "K"
        pupil.primary_need, pupil.secondary_need = _need_for(
            rng, pupil.sen_provision, pupil.nc_year
        )
        pupil.pupil_premium = pupil.pupil_premium or rng.random() < 0.15


def _person_name(rng: random.Random) -> str:
    first = rng.choice(FIRST_NAMES_F + FIRST_NAMES_M)
    return f"{first} {rng.choice(LAST_NAMES)}"


def _users(specs: list[tuple[str, str]], password_for: set[str]) -> dict[str, User]:
    """Create users by (email, name); only the demo sign-ins get a usable password."""
    demo_hash = make_password(DEMO_PASSWORD) if password_for else None
    users = [
        User(
            email=email,
            full_name=name,
            password=demo_hash if email in password_for else make_password(None),
        )
        for email, name in specs
    ]
    User.objects.bulk_create(users)
    return {u.email: u for u in User.objects.filter(email__in=[e for e, _ in specs])}


def school_build(
    rng: random.Random,
    spec: SchoolSpec,
    *,
    trust: Trust | None,
    parent_accounts: bool = True,
    email_prefix: str = "",
) -> School:
    """One school with classes, pupils, parents (contacts) and a staff team."""
    school = School.objects.create(
        urn=spec.urn,
        name=spec.name,
        phase=spec.phase,
        la_code=spec.la_code,
        la_name=spec.la_name,
        trust=trust,
    )
    year_start = academic_year_start(timezone.localdate())
    classes = []
    for year in range(spec.years[0], spec.years[1] + 1):
        for index in range(spec.classes_per_year):
            if year <= 6:
                name = f"{'R' if year == 0 else year} {CLASS_NAMES[index % len(CLASS_NAMES)]}"
            else:
                name = f"{year}{FORM_LETTERS[index % len(FORM_LETTERS)]}"
            classes.append(ClassGroup(school=school, name=name, nc_year=year))
    ClassGroup.objects.bulk_create(classes)
    by_year: dict[int, list[ClassGroup]] = {}
    for group in classes:
        by_year.setdefault(group.nc_year, []).append(group)

    upns = _UpnMaker(spec.la_code, spec.establishment)
    years = list(range(spec.years[0], spec.years[1] + 1))
    pupils = []
    for i in range(spec.pupils):
        year = years[i * len(years) // spec.pupils]
        gender = rng.choice("FM")
        language = "ENG" if rng.random() < 0.8 else _weighted(rng, HOME_LANGUAGES)
        pupils.append(
            Pupil(
                school=school,
                upn=upns.make(year_start - year),
                first_name=rng.choice(FIRST_NAMES_F if gender == "F" else FIRST_NAMES_M),
                last_name=rng.choice(LAST_NAMES),
                date_of_birth=_date_of_birth(rng, year, year_start),
                nc_year=year,
                class_group=rng.choice(by_year[year]),
                gender=gender,
                home_language=language,
                eal=language != "ENG",
                pupil_premium=rng.random() < 0.22,
            )
        )
    _sen_assign(rng, pupils)
    bulk_create_with_history(pupils, Pupil, batch_size=2000, default_change_reason="Demo school")
    pupils = list(Pupil.unscoped.filter(school=school).order_by("id"))
    sen_detail_build(rng, pupils, timezone.localdate())

    parent_specs, contacts = [], []
    for pupil in pupils:
        for n in range(1 if rng.random() < 0.4 else 2):
            relationship = ["mother", "father"][n] if rng.random() < 0.9 else "carer"
            first = rng.choice(FIRST_NAMES_F if relationship == "mother" else FIRST_NAMES_M)
            email = f"{first}.{pupil.last_name}.{pupil.pk}.{n}@parents.{DEMO_DOMAIN}".lower()
            email = email.replace("'", "")
            contacts.append(
                Contact(
                    school=school,
                    pupil=pupil,
                    name=f"{first} {pupil.last_name}",
                    relationship=relationship,
                    parental_responsibility=relationship != "carer",
                    email=email,
                    phone=f"07700 9{rng.randrange(10**5):05d}",
                )
            )
            if parent_accounts and pupil.sen_provision != "N" and n == 0:
                parent_specs.append((email, contacts[-1].name))
    if parent_specs:
        parents = _users(parent_specs, set())
        for contact in contacts:
            contact.user = parents.get(contact.email)
        Membership.objects.bulk_create(
            Membership(user=u, school=school, role=Role.PARENT) for u in parents.values()
        )
    contacts = bulk_create_with_history(
        contacts, Contact, batch_size=2000, default_change_reason="Demo school"
    )
    contact_access_grant(contacts=contacts)
    _staff_build(rng, school, classes, email_prefix or f"staff{spec.urn}")
    return school


def _staff_build(rng: random.Random, school: School, classes: list[ClassGroup], prefix: str):
    """A head, SENCO, administrator, a teacher per class and an assistant per two classes."""
    specs, roles, links = [], [], []
    for role in (Role.HEAD, Role.SENCO, Role.ADMIN):
        email = f"{prefix}.{role}@{DEMO_DOMAIN}"
        specs.append((email, _person_name(rng)))
        roles.append((email, role, None, None))
    for i, group in enumerate(classes):
        email = f"{prefix}.teacher{i + 1}@{DEMO_DOMAIN}"
        specs.append((email, _person_name(rng)))
        roles.append((email, Role.TEACHER, group, ClassStaff.Kind.TEACHER))
        if i % 2 == 0:
            email = f"{prefix}.ta{i // 2 + 1}@{DEMO_DOMAIN}"
            specs.append((email, _person_name(rng)))
            for covered in classes[i : i + 2]:
                roles.append(
                    (email, Role.INTERVENTION_SPECIALIST, covered, ClassStaff.Kind.ASSISTANT)
                )
    users = _users(specs, set())
    seen = set()
    memberships = []
    for email, role, group, kind in roles:
        if (email, role) not in seen:
            seen.add((email, role))
            memberships.append(
                Membership(
                    user=users[email],
                    school=school,
                    role=role,
                    job_title=STAFF_TITLES.get(role, ""),
                )
            )
        if group is not None:
            links.append(ClassStaff(school=school, class_group=group, user=users[email], kind=kind))
    Membership.objects.bulk_create(memberships)
    ClassStaff.objects.bulk_create(links)
    class_staff_access_grant(class_staff=ClassStaff.objects.filter(school=school))


def _demo_signins(rng: random.Random, trust: Trust, schools: list[School]) -> None:
    """The seven published demo accounts, attached to the main school (and the trust)."""
    main, primary = schools[0], schools[1]
    names = {
        "senco": "Priya Shah",
        "ta": "Sam Okafor",
        "teacher": "Hannah Lewis",
        "head": "David Clarke",
        "parent": "Joanne Hughes",
        "adviser": "Martin Fraser",
        "admin": "Lucy Bennett",
    }
    specs = [(f"{key}@{DEMO_DOMAIN}", names[key]) for key in DEMO_SIGNINS]
    users = _users(specs, {email for email, _ in specs})
    user = {key: users[f"{key}@{DEMO_DOMAIN}"] for key in DEMO_SIGNINS}
    Membership.objects.bulk_create(
        [
            Membership(user=user["senco"], school=main, role=Role.SENCO, job_title="SENCO"),
            Membership(
                user=user["senco"], school=primary, role=Role.SENCO, job_title="Trust SENCO"
            ),
            Membership(
                user=user["ta"],
                school=main,
                role=Role.INTERVENTION_SPECIALIST,
                job_title="Intervention specialist",
            ),
            Membership(
                user=user["teacher"], school=main, role=Role.TEACHER, job_title="Year 4 teacher"
            ),
            Membership(user=user["head"], school=main, role=Role.HEAD, job_title="Headteacher"),
            Membership(user=user["parent"], school=main, role=Role.PARENT),
            Membership(
                user=user["adviser"], trust=trust, role=Role.LA_ADVISER, job_title="SEND adviser"
            ),
            Membership(
                user=user["admin"],
                school=main,
                role=Role.ADMIN,
                job_title="School business manager",
            ),
        ]
    )
    classes = list(ClassGroup.objects.filter(school=main, nc_year__in=[3, 4]).order_by("name"))
    year4 = next(c for c in classes if c.nc_year == 4)
    ClassStaff.objects.bulk_create(
        [ClassStaff(school=main, class_group=year4, user=user["teacher"], kind="teacher")]
        + [
            ClassStaff(school=main, class_group=c, user=user["ta"], kind="assistant")
            for c in classes
        ]
    )
    class_staff_access_grant(
        class_staff=ClassStaff.objects.filter(school=main, user__in=[user["teacher"], user["ta"]])
    )
    # The demo parent is the parent of a Year 4 pupil at SEN support (and of a younger sibling).
    child = (
        Pupil.unscoped.filter(school=main, class_group=year4, sen_provision="K")
        .order_by("id")
        .first()
    )
    sibling = Pupil.unscoped.filter(school=main, nc_year=1).order_by("id").first()
    contact_access_grant(
        contacts=[
            Contact.objects.create(
                school=main,
                pupil=pupil,
                user=user["parent"],
                name=names["parent"],
                relationship="mother",
                email=user["parent"].email,
            )
            for pupil in (child, sibling)
        ]
    )


@transaction.atomic
def demo_load(*, seed: int = 2026, main_pupils: int | None = None) -> Trust:
    """The demo trust of three schools with the seven demo sign-ins. Same seed, same demo."""
    rng = random.Random(seed)
    trust = Trust.objects.create(name="Riverside Learning Trust", kind=Trust.Kind.TRUST)
    schools = []
    for i, spec in enumerate(DEMO_SCHOOLS):
        if i == 0 and main_pupils:
            spec = SchoolSpec(
                **{
                    **spec.__dict__,
                    "pupils": main_pupils,
                    "classes_per_year": max(2, main_pupils // 300),
                }
            )
        schools.append(school_build(rng, spec, trust=trust, parent_accounts=(i == 0)))
    _demo_signins(rng, trust, schools)
    senco = User.objects.get(email=f"senco@{DEMO_DOMAIN}")
    today = timezone.localdate()
    patterns = plans_build(rng, schools[0], senco, today)
    # Delivery draws from its own generator (seeded from this one), so the scores and reviews
    # after it do not change whenever the timetable or the sessions do.
    delivery_build(random.Random(rng.random()), schools[0], senco, today, patterns)
    costs_build(schools[0], today)  # hourly costs, materials and funding: the provision map
    scores_build(rng, schools[0], senco, patterns, today)
    reviews_build(rng, schools[0], senco, patterns, today)
    last_years_groups_build(schools[0], today)  # archived: last year's pupils were placed
    # Plans were written in bulk (no save signals): sum how pupils responded, by need, once.
    response_aggregates_rebuild(school_ids=[s.pk for s in schools])
    for school in schools:
        lessons_build(school)
    # Holidays and INSET days are not school days: no session is due and no dose is owed.
    for school in schools:
        closures_build(school, today)
    # The decision rules judge every plan now, as the nightly check would, so the pupils who
    # need a decision are listed from the first sign-in.
    for school in schools:
        flags_evaluate_school(school_id=school.pk, today=today)
    stamps.renew(stamps.EVERYTHING)  # written in bulk: no listener saw the rows
    return trust


@transaction.atomic
def local_authority_build(
    *, seed: int = 2026, pupils: int = 100_000, support: bool = True
) -> Trust:
    """A local authority of primary and secondary schools holding about `pupils` pupils and,
    with ``support``, four years of their plans, groups, registers, scores and impact rows
    (``la_support``: about two placements and ten scores a pupil with SEN)."""
    rng = random.Random(seed)
    la = Trust.objects.create(name="Benchmark Local Authority", kind=Trust.Kind.LOCAL_AUTHORITY)
    made, n = 0, 0
    while made < pupils:
        n += 1
        secondary = n % 6 == 0
        size = min(pupils - made, 1000 if secondary else 350)
        spec = SchoolSpec(
            urn=f"8{n:05d}",
            name=f"{'Secondary' if secondary else 'Primary'} School {n}",
            phase=School.Phase.SECONDARY if secondary else School.Phase.PRIMARY,
            years=(7, 11) if secondary else (0, 6),
            pupils=size,
            classes_per_year=6 if secondary else 2,
            establishment=f"{(4000 if secondary else 2000) + n:04d}",
            la_code="330",
            la_name="Birmingham",
        )
        school_build(rng, spec, trust=la, parent_accounts=False, email_prefix=f"la{n}")
        made += size
    if support:
        la_support_build(la=la, seed=seed)
    stamps.renew(stamps.EVERYTHING)  # written in bulk: no listener saw the rows
    return la
