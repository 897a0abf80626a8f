"""Small builders shared by the import tests: a fixed day, fixture paths, CSV and CTF text."""

import csv
import io
from datetime import date
from pathlib import Path

from sendwise.exchange.samples import make_upn

#: The day the tests import on: school year 2025 to 2026, so Year N pupils were born between
#: 1 September (2020 - N) and 31 August (2021 - N).
TODAY = date(2025, 11, 20)
FIXTURES = Path(__file__).parent / "fixtures"

HEADER = (
    "UPN", "Surname", "Forename", "DOB", "Gender", "NC Year", "Class", "Home Language", "EAL",
    "Pupil Premium", "SEN Provision", "Primary Need", "Secondary Need", "SEN Start Date",
)  # fmt: skip


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def row(n: int = 1, **values: str) -> dict[str, str]:
    """A valid Year 3 pupil at no SEN, with any column replaced by `values` (by header)."""
    base = {
        "UPN": make_upn(n),
        "Surname": "Okafor",
        "Forename": "Daniel",
        "DOB": "09/01/2018",
        "Gender": "M",
        "NC Year": "3",
        "Class": "3O",
        "Home Language": "ENG",
        "EAL": "N",
        "Pupil Premium": "Y",
        "SEN Provision": "N",
        "Primary Need": "",
        "Secondary Need": "",
        "SEN Start Date": "",
    }
    base.update({key.replace("_", " "): value for key, value in values.items()})
    return base


def csv_bytes(rows: list[dict[str, str]], header: tuple[str, ...] = HEADER) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    for values in rows:
        writer.writerow([values.get(column, "") for column in header])
    return out.getvalue().encode("utf-8")


def pupil_xml(
    n: int = 1,
    *,
    dob: str = "2018-01-09",
    year: str = "3",
    sex: str = "<Sex>M</Sex>",
    sen: str = "",
    upn: str | None = None,
) -> str:
    return f"""
    <Pupil>
      <UPN>{upn if upn is not None else make_upn(n)}</UPN>
      <Surname>Okafor</Surname>
      <Forename>Daniel</Forename>
      <DOB>{dob}</DOB>
      {sex}
      <BasicDetails><NCyearActual>{year}</NCyearActual></BasicDetails>
      {sen}
    </Pupil>"""


def ctf_bytes(*pupils: str, version: str = "25.0", academic_year: str = "2025") -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<CTfile>
  <Header>
    <DocumentName>Common Transfer File</DocumentName>
    <CTFversion>{version}</CTFversion>
    <SourceSchool><LEA>873</LEA><Estab>4001</Estab><AcademicYear>{academic_year}</AcademicYear></SourceSchool>
  </Header>
  <CTFpupilData>{"".join(pupils)}
  </CTFpupilData>
</CTfile>""".encode()


def sen_xml(*entries: tuple[str, str], needs: tuple[tuple[str, int], ...] = ()) -> str:
    sen = "".join(
        f"<SEN><StartDate>{start}</StartDate><SENprovision>{code}</SENprovision></SEN>"
        for start, code in entries
    )
    need = "".join(
        f"<SENneed><SENtype>{kind}</SENtype><SENtypeRank>{rank}</SENtypeRank></SENneed>"
        for kind, rank in needs
    )
    return f"<SENhistory>{sen}<SENneeds>{need}</SENneeds></SENhistory>"
