"""Reference data shipped with SC KIS: voivodeships, their units and the
criteria of the minimum standard, read from the CSV files in `data/`.

The demo seed and the tests load it through these functions. Loading is
idempotent and creates only what is missing: a record already in the database
is left as it is, because after the first load the administrator owns it
(unit names differ and change over time, criteria get new versions).
"""

import csv
import datetime
import re
from functools import cache
from pathlib import Path

from django.db import transaction

from certification.models import CriteriaVersion, Criterion, Unit, Voivodeship
from certification.states import CriterionGroup, Level, UnitKind

DATA_DIR = Path(__file__).resolve().parent / "data"

APPEAL_UNIT_NAME = "Departament Pomocy i Integracji Społecznej"
APPEAL_UNIT_PARENT = "Ministerstwo Rodziny, Pracy i Polityki Społecznej"
APPEAL_UNIT_CITY = "Warszawa"

# The first edition of the dictionary: the minimum standard of the
# recommendation (Formularz 3).
CRITERIA_VERSION = 1
CRITERIA_PUBLISHED_ON = datetime.date(2026, 1, 1)
CRITERIA_NOTE = "Minimalny standard KIS (Formularz 3)"


@cache
def unit_rows() -> tuple[dict[str, str], ...]:
    """The rows of units.csv: one voivodeship with its two regional units."""
    with open(DATA_DIR / "units.csv", encoding="utf-8", newline="") as file:
        return tuple(csv.DictReader(file))


def unit_row(slug: str) -> dict[str, str]:
    for row in unit_rows():
        if row["slug"] == slug:
            return row
    raise LookupError(slug)


@cache
def criteria_rows() -> tuple[dict[str, str], ...]:
    with open(DATA_DIR / "criteria.csv", encoding="utf-8", newline="") as file:
        return tuple(csv.DictReader(file))


def case_prefix(row: dict[str, str]) -> str:
    """The case sign prefix of a certifying unit, e.g. WPS-KIS-14.

    The initials of the department (WPS, or WRiPS in Śląskie) and the TERYT
    code: case numbers are unique nationwide, so prefixes must differ.
    """
    initials = "".join(
        word[0] if word[0].isupper() else word[0].lower()
        for word in re.findall(r"\w+", row["certifying_department"])
    )
    return f"{initials}-KIS-{row['teryt']}"


def load_voivodeship(row: dict[str, str]) -> Voivodeship:
    """The voivodeship of one row of units.csv, with its certifying unit (the
    voivode's social policy department) and its audit unit (ROPS or similar).
    """
    voivodeship, _ = Voivodeship.objects.get_or_create(
        teryt=row["teryt"], defaults={"slug": row["slug"], "name": row["voivodeship"]}
    )
    Unit.objects.get_or_create(
        kind=UnitKind.CERTIFYING,
        voivodeship=voivodeship,
        defaults={
            "name": row["certifying_department"],
            "parent_name": row["voivode_office"],
            "city": row["voivode_city"],
            "case_prefix": case_prefix(row),
        },
    )
    Unit.objects.get_or_create(
        kind=UnitKind.AUDIT,
        voivodeship=voivodeship,
        defaults={"name": row["audit_unit"], "city": row["audit_city"]},
    )
    return voivodeship


def load_appeal_unit() -> Unit:
    """The ministry's department that decides appeals, nationwide."""
    unit = Unit.objects.filter(kind=UnitKind.APPEAL).order_by("pk").first()
    if unit is None:
        unit = Unit.objects.create(
            kind=UnitKind.APPEAL,
            name=APPEAL_UNIT_NAME,
            parent_name=APPEAL_UNIT_PARENT,
            city=APPEAL_UNIT_CITY,
        )
    return unit


@transaction.atomic
def load_units() -> list[Voivodeship]:
    """All 16 voivodeships with their units, and the appeal unit."""
    voivodeships = [load_voivodeship(row) for row in unit_rows()]
    load_appeal_unit()
    return voivodeships


@transaction.atomic
def load_criteria() -> CriteriaVersion:
    """Version 1 of the criteria dictionary, with the criteria of criteria.csv."""
    version, _ = CriteriaVersion.objects.get_or_create(
        number=CRITERIA_VERSION,
        defaults={"published_on": CRITERIA_PUBLISHED_ON, "note": CRITERIA_NOTE},
    )
    for row in criteria_rows():
        Criterion.objects.get_or_create(
            version=version,
            code=row["code"],
            defaults={
                "group": CriterionGroup(row["group"]),
                "position": int(row["position"]),
                "name": row["name"],
                "guidance": row["guidance"],
                "required_level": Level[row["required_level"]],
                "applies_only_where_needed": row["applies_only_where_needed"] == "true",
            },
        )
    return version
