"""Monitoring of the clubs in the regions (recommendation II.5): read-side
measures of the certification process per voivodeship, with national totals.

Every measure is an aggregate: counts, a median and shares, with no names,
case numbers or other personal data, so every unit member may read them.
A case counts once it has been submitted: a draft is the applicant's own
and not yet a case.
"""

import datetime
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, QuerySet
from django.utils import timezone

from certification import deadlines, events
from certification.models import (
    Appeal,
    Application,
    Certificate,
    Transition,
    Voivodeship,
)
from certification.states import AppealOutcome, ApplicationState

# The first-instance decision ends the measured time: a grant on review of an
# appeal (appeal.reconsidered) follows a refusal that has already been counted.
DECISION_EVENTS = (events.GRANTED, events.REFUSED)


@dataclass
class RegionMeasures:
    """The measures of one voivodeship, or of the whole country."""

    name: str
    voivodeship: Voivodeship | None = None
    cases_by_state: dict[str, int] = field(default_factory=dict)
    valid_certificates: int = 0
    decision_days: list[int] = field(default_factory=list)
    corrected: int = 0
    appeal_outcomes: dict[str, int] = field(default_factory=dict)

    @property
    def submitted(self) -> int:
        """Cases submitted at least once, whatever their state now."""
        return sum(self.cases_by_state.values())

    @property
    def decided(self) -> int:
        return len(self.decision_days)

    @property
    def median_days_to_decision(self) -> float | None:
        if not self.decision_days:
            return None
        return statistics.median(self.decision_days)

    @property
    def correction_share(self) -> float | None:
        """The percentage of submitted cases sent back for correction at least once."""
        if not self.submitted:
            return None
        return 100 * self.corrected / self.submitted

    @property
    def appeals_lodged(self) -> int:
        return sum(self.appeal_outcomes.values())

    @property
    def appeals_pending(self) -> int:
        return self.appeal_outcomes.get("", 0)


@dataclass
class Monitoring:
    regions: list[RegionMeasures]
    national: RegionMeasures
    on: datetime.date


def _submitted_cases() -> QuerySet[Application]:
    return Application.objects.filter(submitted_at__isnull=False)


def _cases_by_state() -> dict[int, Counter]:
    counts: dict[int, Counter] = defaultdict(Counter)
    rows = (
        _submitted_cases()
        .values("club__voivodeship_id", "state")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[row["club__voivodeship_id"]][row["state"]] += row["n"]
    return counts


def _valid_certificates(on: datetime.date) -> dict[int, int]:
    rows = (
        Certificate.objects.filter(valid_from__lte=on, valid_until__gte=on)
        .values("club__voivodeship_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["club__voivodeship_id"]: row["n"] for row in rows}


def _decision_days() -> dict[int, list[int]]:
    """Days from the first submission to the first decision, per case.

    Counted in calendar days between the Polish dates of the two recorded
    steps, as the applicant counts them.
    """
    steps = (
        Transition.objects.filter(event__in=(events.SUBMITTED, *DECISION_EVENTS))
        .values_list(
            "application_id", "application__club__voivodeship_id", "event", "at"
        )
        .order_by("at", "pk")
    )
    submitted: dict[int, datetime.date] = {}
    decided: dict[int, tuple[int, datetime.date]] = {}
    for application_id, voivodeship_id, event, at in steps:
        day = timezone.localdate(at)
        if event == events.SUBMITTED:
            submitted.setdefault(application_id, day)
        else:
            decided.setdefault(application_id, (voivodeship_id, day))

    days: dict[int, list[int]] = defaultdict(list)
    for application_id, (voivodeship_id, day) in decided.items():
        if application_id in submitted:
            days[voivodeship_id].append((day - submitted[application_id]).days)
    return days


def _corrected_cases() -> dict[int, int]:
    asked = Transition.objects.filter(
        application=OuterRef("pk"), event=events.CORRECTION_REQUESTED
    )
    rows = (
        _submitted_cases()
        .filter(Exists(asked))
        .values("club__voivodeship_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["club__voivodeship_id"]: row["n"] for row in rows}


def _appeal_outcomes() -> dict[int, Counter]:
    counts: dict[int, Counter] = defaultdict(Counter)
    rows = (
        Appeal.objects.values("application__club__voivodeship_id", "outcome")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        counts[row["application__club__voivodeship_id"]][row["outcome"]] += row["n"]
    return counts


def monitoring_measures(on: datetime.date | None = None) -> Monitoring:
    """The measures of every voivodeship, in TERYT order, and the country's."""
    on = on or deadlines.today()
    by_state = _cases_by_state()
    certificates = _valid_certificates(on)
    days = _decision_days()
    corrected = _corrected_cases()
    appeals = _appeal_outcomes()

    regions = [
        RegionMeasures(
            name=voivodeship.name,
            voivodeship=voivodeship,
            cases_by_state=dict(by_state.get(voivodeship.pk, {})),
            valid_certificates=certificates.get(voivodeship.pk, 0),
            decision_days=sorted(days.get(voivodeship.pk, [])),
            corrected=corrected.get(voivodeship.pk, 0),
            appeal_outcomes=dict(appeals.get(voivodeship.pk, {})),
        )
        for voivodeship in Voivodeship.objects.order_by("teryt")
    ]

    # The national median is taken over every case, not over the regions'
    # medians, which would weigh a region of two cases like one of two hundred.
    national = RegionMeasures(
        name="",
        cases_by_state=dict(sum(by_state.values(), Counter())),
        valid_certificates=sum(certificates.values()),
        decision_days=sorted(d for region in days.values() for d in region),
        corrected=sum(corrected.values()),
        appeal_outcomes=dict(sum(appeals.values(), Counter())),
    )
    return Monitoring(regions=regions, national=national, on=on)


# The states a submitted case can be in, in the order of the process.
CASE_STATES = [state for state in ApplicationState if state != ApplicationState.DRAFT]
APPEAL_OUTCOMES = list(AppealOutcome)


# The open-data file: one row per voivodeship, then the national totals.
# Its column headers are a fixed Polish file format, not interface text:
# spreadsheets and scripts find the columns by these names, which must not
# change with the reader's interface language or a reworded label.
CSV_STATE_COLUMNS = {
    ApplicationState.SUBMITTED: "Sprawy: ocena formalna",
    ApplicationState.CORRECTION: "Sprawy: do uzupełnienia",
    ApplicationState.MERIT_REVIEW: "Sprawy: ocena merytoryczna",
    ApplicationState.AUDIT: "Sprawy: audyt zlecony",
    ApplicationState.AUDIT_IN_PROGRESS: "Sprawy: audyt w toku",
    ApplicationState.DECISION: "Sprawy: oczekuje na decyzję",
    ApplicationState.CERTIFIED: "Sprawy: certyfikat nadany",
    ApplicationState.REFUSED: "Sprawy: odmowa",
    ApplicationState.APPEALED: "Sprawy: odwołanie wniesione",
    ApplicationState.APPEAL_REVIEW: "Sprawy: odwołanie w rozpatrzeniu",
    ApplicationState.CLOSED: "Sprawy: zamknięte",
    ApplicationState.WITHDRAWN: "Sprawy: wycofane",
}
CSV_OUTCOME_COLUMNS = {
    AppealOutcome.RECONSIDERED: "Odwołania: uwzględnione w samokontroli",
    AppealOutcome.DISMISSED: "Odwołania: nieuwzględnione",
    AppealOutcome.UPHELD: "Odwołania: uwzględnione, sprawa zwrócona",
}
CSV_HEADER = [
    "Województwo",
    "Sprawy złożone",
    *CSV_STATE_COLUMNS.values(),
    "Certyfikaty ważne w dniu zestawienia",
    "Decyzje wydane",
    "Mediana dni od złożenia do decyzji",
    "Sprawy skierowane do uzupełnienia",
    "Odsetek spraw skierowanych do uzupełnienia (%)",
    "Odwołania wniesione",
    *CSV_OUTCOME_COLUMNS.values(),
    "Odwołania nierozpatrzone",
]
CSV_NATIONAL_NAME = "Polska (razem)"


def decimal_text(value: float | None) -> str:
    """A number with one decimal place and a decimal comma, as Polish
    spreadsheets read it; empty when there is nothing to measure.
    """
    if value is None:
        return ""
    return f"{value:.1f}".replace(".", ",")


def monitoring_csv_rows(monitoring: Monitoring) -> list[list[str | int]]:
    """The rows of the open-data file, header first."""
    rows: list[list[str | int]] = [CSV_HEADER]
    for region in [*monitoring.regions, monitoring.national]:
        rows.append(
            [
                region.name or CSV_NATIONAL_NAME,
                region.submitted,
                *(region.cases_by_state.get(state, 0) for state in CSV_STATE_COLUMNS),
                region.valid_certificates,
                region.decided,
                decimal_text(region.median_days_to_decision),
                region.corrected,
                decimal_text(region.correction_share),
                region.appeals_lodged,
                *(region.appeal_outcomes.get(o, 0) for o in CSV_OUTCOME_COLUMNS),
                region.appeals_pending,
            ]
        )
    return rows
