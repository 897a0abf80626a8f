"""School Census code lists that the pupil record uses.

Sources: DfE, "School census 2024 to 2025: guide, version 1.x", SEN provision codes (N, K, E) and
SEN type-of-need codes (SPLD ... NSA); broad areas from the SEND Code of Practice 0 to 25 (2015),
section 6.28. Home-language codes are a subset of the DfE "Language" code set (CS010) used in the
census and the Common Transfer File.
"""

from django.db import models


class Provision(models.TextChoices):
    NONE = "N", "No special educational need"
    SEN_SUPPORT = "K", "SEN support"
    EHC_PLAN = "E", "Education, health and care plan"


class Need(models.TextChoices):
    SPLD = "SPLD", "Specific learning difficulty"
    MLD = "MLD", "Moderate learning difficulty"
    SLD = "SLD", "Severe learning difficulty"
    PMLD = "PMLD", "Profound and multiple learning difficulty"
    SEMH = "SEMH", "Social, emotional and mental health"
    SLCN = "SLCN", "Speech, language and communication needs"
    HI = "HI", "Hearing impairment"
    VI = "VI", "Visual impairment"
    MSI = "MSI", "Multi-sensory impairment"
    PD = "PD", "Physical disability"
    ASD = "ASD", "Autistic spectrum disorder"
    OTH = "OTH", "Other difficulty or disability"
    NSA = "NSA", "SEN support but no specialist assessment of type of need"


class Area(models.TextChoices):
    COMMUNICATION = "communication_interaction", "Communication and interaction"
    COGNITION = "cognition_learning", "Cognition and learning"
    SEMH = "semh", "Social, emotional and mental health"
    SENSORY = "sensory_physical", "Sensory and/or physical"


#: The broad area of need (Code of Practice 6.28) each census need code belongs to.
AREA_OF_NEED = {
    Need.SPLD: Area.COGNITION,
    Need.MLD: Area.COGNITION,
    Need.SLD: Area.COGNITION,
    Need.PMLD: Area.COGNITION,
    Need.SEMH: Area.SEMH,
    Need.SLCN: Area.COMMUNICATION,
    Need.ASD: Area.COMMUNICATION,
    Need.HI: Area.SENSORY,
    Need.VI: Area.SENSORY,
    Need.MSI: Area.SENSORY,
    Need.PD: Area.SENSORY,
}


class Gender(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"


class Language(models.TextChoices):
    """Common home languages in English schools (DfE language codes, CS010 subset)."""

    ENG = "ENG", "English"
    POL = "POL", "Polish"
    URD = "URD", "Urdu"
    PNJ = "PNJ", "Panjabi"
    BNG = "BNG", "Bengali"
    ARA = "ARA", "Arabic"
    ROM = "ROM", "Romanian"
    SOM = "SOM", "Somali"
    GUJ = "GUJ", "Gujarati"
    POR = "POR", "Portuguese"
    SPA = "SPA", "Spanish"
    TUR = "TUR", "Turkish"
    LIT = "LIT", "Lithuanian"
    TAM = "TAM", "Tamil"
    FRN = "FRN", "French"
    CHI = "CHI", "Chinese"
    OTH = "OTH", "Other than English"


def language_label(code: str) -> str:
    """The language's name for codes we know, otherwise the DfE code itself (never lost)."""
    try:
        return Language(code).label
    except ValueError:
        return code or "Not known"


def nc_year_label(year: int) -> str:
    """'Reception' for year 0, otherwise 'Year n'."""
    return "Reception" if year == 0 else f"Year {year}"


NC_YEAR_CHOICES = [(year, nc_year_label(year)) for year in range(14)]
