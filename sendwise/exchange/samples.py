"""Made-up but valid import files of any size, for benchmarks, browser tests and demos.

Pure: no Django import. The same seed gives the same pupils on the same day. Every UPN has a
correct check letter (python-stdnum) with local authority 873 and a made-up school number;
dates of birth fit each pupil's year group on `today`; SEN follows the census rules (about one
pupil in six at SEN support and one in twenty-five with an EHC plan, near the national shares in
DfE "Special educational needs in England", 2025). Files follow `mis_csv.COLUMNS` and the CTF
structure read by `ctf` (see its docstring for the sources of the element names).
"""

import csv
import io
import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from stdnum.gb import upn as stdnum_upn

from sendwise.pupils.census_checks import academic_year_start

FIRST_NAMES = {
    "F": ("Amelia", "Aisha", "Zofia", "Grace", "Maryam", "Ruby", "Hodan", "Siobhán", "Zoë", "Isla"),
    "M": ("Oliver", "Daniel", "Jack", "Andrei", "Kofi", "Mohammed", "Jakub", "Seán", "Noah", "Leo"),
}
LAST_NAMES = (
    "Smith", "Ahmed", "Kowalski", "Okafor", "Hussain", "Taylor", "Popescu", "Evans", "Farah",
    "Walsh", "Nowak", "Begum", "Clarke", "Adeyemi", "O'Brien", "Jones", "Patel", "Khan",
)  # fmt: skip
LANGUAGES = ("ENG",) * 8 + ("POL", "URD", "PNJ", "BNG", "ROM", "SOM")
NEEDS = ("SPLD", "MLD", "SEMH", "SLCN", "ASD", "HI", "VI", "PD", "OTH")
CSV_HEADER = (
    "UPN", "Legal Surname", "Legal Forename", "DOB", "Gender", "Year", "Reg Group",
    "Home Language", "EAL", "Pupil Premium", "SEN Provision", "Primary Need", "Secondary Need",
    "SEN Start Date",
)  # fmt: skip


@dataclass(frozen=True)
class _Pupil:
    upn: str
    first_name: str
    last_name: str
    date_of_birth: date
    gender: str
    nc_year: int
    language: str
    pupil_premium: bool
    provision: str
    needs: tuple[str, ...]
    sen_start: date | None


def _today() -> date:
    return datetime.now(ZoneInfo("Europe/London")).date()


def make_upn(index: int, establishment: int = 4001) -> str:
    """A valid UPN, different for each index up to 10 million."""
    school = establishment + index // 100_000
    body = f"873{school:04d}{index // 1000 % 100:02d}{index % 1000:03d}"
    return stdnum_upn.calc_check_digit(body) + body


def _pupils(n: int, seed: int, today: date) -> list[_Pupil]:
    rng = random.Random(seed)  # noqa: S311 (made-up data, not security)
    start = academic_year_start(today)
    pupils = []
    for index in range(n):
        nc_year = rng.randint(0, 13)
        born = date(start - nc_year - 5, 9, 1) + timedelta(days=rng.randint(0, 364))
        gender = rng.choice("FM")
        roll = rng.random()
        provision = "E" if roll < 0.04 else "K" if roll < 0.2 else "N"
        needs: tuple[str, ...] = ()
        sen_start = None
        if provision != "N":
            needs = tuple(rng.sample(NEEDS, rng.choice((1, 1, 2))))
            first_day = max(born + timedelta(days=3 * 365), today - timedelta(days=4 * 365))
            sen_start = min(today, first_day + timedelta(days=rng.randint(0, 700)))
        language = rng.choice(LANGUAGES)
        pupils.append(
            _Pupil(
                upn=make_upn(index),
                first_name=rng.choice(FIRST_NAMES[gender]),
                last_name=rng.choice(LAST_NAMES),
                date_of_birth=born,
                gender=gender,
                nc_year=nc_year,
                language=language,
                pupil_premium=rng.random() < 0.25,
                provision=provision,
                needs=needs,
                sen_start=sen_start,
            )
        )
    return pupils


def make_csv(n: int, *, seed: int, today: date | None = None) -> bytes:
    """A UTF-8 MIS export of n pupils, dates as DD/MM/YYYY."""
    today = today or _today()
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for p in _pupils(n, seed, today):
        writer.writerow(
            (
                p.upn,
                p.last_name,
                p.first_name,
                p.date_of_birth.strftime("%d/%m/%Y"),
                p.gender,
                "R" if p.nc_year == 0 else str(p.nc_year),
                f"{p.nc_year or 'R'}{p.last_name[0]}",
                p.language,
                "N" if p.language == "ENG" else "Y",
                "Y" if p.pupil_premium else "N",
                p.provision,
                p.needs[0] if p.needs else "",
                p.needs[1] if len(p.needs) > 1 else "",
                p.sen_start.strftime("%d/%m/%Y") if p.sen_start else "",
            )
        )
    return out.getvalue().encode("utf-8")


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _element(name: str, value: object, indent: int) -> str:
    return f"{' ' * indent}<{name}>{_escape(str(value))}</{name}>\n"


def make_ctf(n: int, *, seed: int, today: date | None = None, version: str = "25.0") -> bytes:
    """A CTF of n pupils (the current version unless told), made on `today`."""
    today = today or _today()
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n<CTfile>\n  <Header>\n',
        _element("DocumentName", "Common Transfer File", 4),
        _element("CTFversion", version, 4),
        _element("DateTime", f"{today.isoformat()}T09:00:00", 4),
        _element("DocumentQualifier", "partial", 4),
        "    <SourceSchool>\n",
        _element("LEA", "873", 6),
        _element("Estab", "4001", 6),
        _element("SchoolName", "Sample Academy", 6),
        _element("AcademicYear", academic_year_start(today), 6),
        "    </SourceSchool>\n  </Header>\n  <CTFpupilData>\n",
    ]
    sex = "Sex" if version.startswith("25") else "Gender"
    for p in _pupils(n, seed, today):
        parts += [
            "    <Pupil>\n",
            _element("UPN", p.upn, 6),
            _element("Surname", p.last_name, 6),
            _element("Forename", p.first_name, 6),
            _element("DOB", p.date_of_birth.isoformat(), 6),
            _element(sex, p.gender, 6),
            "      <BasicDetails>\n",
            _element("NCyearActual", "R" if p.nc_year == 0 else p.nc_year, 8),
            "        <Languages>\n          <Type>\n",
            _element("LanguageType", "F", 12),
            _element("Language", p.language, 12),
            "          </Type>\n        </Languages>\n      </BasicDetails>\n",
        ]
        if p.sen_start:
            parts += ["      <SENhistory>\n        <SEN>\n"]
            parts += [_element("StartDate", p.sen_start.isoformat(), 10)]
            parts += [_element("SENprovision", p.provision, 10), "        </SEN>\n"]
            parts += ["        <SENneeds>\n"]
            for rank, need in enumerate(p.needs, start=1):
                parts += ["          <SENneed>\n", _element("SENtype", need, 12)]
                parts += [_element("SENtypeRank", rank, 12), "          </SENneed>\n"]
            parts += ["        </SENneeds>\n      </SENhistory>\n"]
        parts.append("    </Pupil>\n")
    parts.append("  </CTFpupilData>\n</CTfile>\n")
    return "".join(parts).encode("utf-8")
