"""The units' workbench: which cases wait for whom, and what is due when.

Selectors for the start page. A case is "ours" when the step it waits for
is taken by the user's unit; its next deadline is computed in the database,
so that lists are counted, filtered and sorted there.

The GET parameters of the start page are Polish and stable, so that people
can keep links to their lists:

- `kolejka`: `nowe` (new), `nasze` (waiting for us), `inni` (waiting for
  someone else), `wszystkie` (all our cases);
- `klub`: part of the club's name or of the case number;
- `gmina`: part of the club's municipality or town;
- `stan`: a state of the application;
- `termin`: `przekroczony` (overdue) or `tydzien` (due within 7 days);
- `moje=1`: only the cases assigned to me;
- `sort`: `termin`, `klub`, `stan` or `zmiana`, with `-` for descending.
"""

import datetime
from dataclasses import dataclass
from urllib.parse import urlencode

from django import forms
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from certification import deadlines, selectors
from certification.models import Appeal, Application, User
from certification.states import (
    FINAL,
    WITH_APPEAL_UNIT,
    WITH_APPLICANT,
    WITH_AUDIT_UNIT,
    WITH_CERTIFYING_UNIT,
    Role,
)
from certification.states import ApplicationState as S

# "Due this week": the next deadline falls within this many days from today.
DUE_SOON_DAYS = 7

NEW = "nowe"
OURS = "nasze"
OTHERS = "inni"
ALL = "wszystkie"
OVERDUE = "przekroczony"
DUE_SOON = "tydzien"

# The states a case passes through, in the order of the process: sorting by
# state follows the process, not the alphabet.
PROCESS_ORDER = {state: position for position, state in enumerate(S.values)}

SORTS = {
    "termin": (_("next deadline"), "next_deadline"),
    "klub": (_("club"), "club__name"),
    "stan": (_("state"), "state_position"),
    "zmiana": (_("last change"), "updated_at"),
}


def with_next_deadline(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """Annotate each case with the date by which its current step is due.

    A case waiting for a correction is due on the correction deadline; one
    with the certifying or the audit unit on the decision deadline (KPA art.
    35: the audit is part of the month the unit has); a refusal on the
    appeal deadline; a lodged appeal on the date by which it must be
    forwarded (KPA art. 133). Other states have no deadline.
    """
    latest_appeal = (
        Appeal.objects.filter(application=OuterRef("pk"))
        .order_by("-lodged_at", "-pk")
        .values("forward_deadline")[:1]
    )
    return queryset.annotate(
        next_deadline=Case(
            When(state=S.CORRECTION, then=F("correction_deadline")),
            When(
                state__in=[
                    S.SUBMITTED,
                    S.MERIT_REVIEW,
                    S.AUDIT,
                    S.AUDIT_IN_PROGRESS,
                    S.DECISION,
                ],
                then=F("decision_deadline"),
            ),
            When(state=S.REFUSED, then=F("appeal_deadline")),
            When(state=S.APPEALED, then=Subquery(latest_appeal)),
            default=Value(None),
            output_field=DateField(),
        ),
        is_overdue=Case(
            When(next_deadline__lt=deadlines.today(), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        state_position=Case(
            *(When(state=state, then=Value(n)) for state, n in PROCESS_ORDER.items()),
            output_field=IntegerField(),
        ),
    )


def our_turn(user: User) -> Q:
    """The cases whose next step is taken by the user's unit."""
    role = user.role
    today = deadlines.today()
    if role == Role.OFFICER:
        # Once the applicant's term has passed, the certifying unit closes
        # the case: leaves it unprocessed, or makes the refusal final.
        return (
            Q(state__in=WITH_CERTIFYING_UNIT)
            | Q(state=S.CORRECTION, correction_deadline__lt=today)
            | Q(state=S.REFUSED, appeal_deadline__lt=today)
        )
    if role == Role.AUDITOR:
        return Q(state__in=WITH_AUDIT_UNIT)
    if role == Role.APPEAL_OFFICER:
        return Q(state__in=WITH_APPEAL_UNIT)
    if role == Role.APPLICANT:
        return Q(state__in=WITH_APPLICANT)
    return Q(pk__in=[])


def new_for(user: User) -> Q:
    """The cases that arrived at the user's unit and nobody took up yet."""
    role = user.role
    if role == Role.OFFICER:
        return Q(state=S.SUBMITTED, assigned_officer__isnull=True)
    if role == Role.AUDITOR:
        return Q(state=S.AUDIT, assigned_auditor__isnull=True)
    if role == Role.APPEAL_OFFICER:
        return Q(state=S.APPEAL_REVIEW)
    if role == Role.APPLICANT:
        # Returned to the applicant: a request for correction, a refusal.
        return Q(state__in=[S.CORRECTION, S.REFUSED])
    return Q(pk__in=[])


def overdue() -> Q:
    return Q(next_deadline__lt=deadlines.today())


def due_soon() -> Q:
    today = deadlines.today()
    return Q(
        next_deadline__gte=today,
        next_deadline__lte=today + datetime.timedelta(days=DUE_SOON_DAYS),
    )


def assigned_to(user: User) -> Q:
    return Q(assigned_officer=user) | Q(assigned_auditor=user)


def cases_of(user: User) -> QuerySet[Application]:
    """Every case the user's unit sees, with its next deadline."""
    return with_next_deadline(
        selectors.applications_visible_to(user).select_related(
            "assigned_officer", "assigned_auditor"
        )
    )


def bucket(user: User, name: str) -> Q:
    """The condition of one list of the start page."""
    ours = our_turn(user)
    conditions = {
        NEW: ours & new_for(user),
        OURS: ours,
        OTHERS: ~ours & ~Q(state__in=FINAL),
        ALL: Q(),
        OVERDUE: ours & overdue(),
        DUE_SOON: ours & due_soon(),
    }
    return conditions[name]


@dataclass
class Tally:
    """One list of the start page, with how many cases it holds."""

    key: str
    label: str
    count: int
    query: str
    current: bool


# The lists counted at the top of the start page, with the filters that open
# each one.
TALLIES = [
    (NEW, _("New"), {"kolejka": NEW}),
    (DUE_SOON, _("Due within 7 days"), {"kolejka": OURS, "termin": DUE_SOON}),
    (OVERDUE, _("Overdue"), {"kolejka": OURS, "termin": OVERDUE}),
    (OURS, _("Waiting for us"), {"kolejka": OURS}),
    (OTHERS, _("Waiting for someone else"), {"kolejka": OTHERS}),
    (ALL, _("All our cases"), {"kolejka": ALL}),
]


def tallies(user: User, values: dict) -> list[Tally]:
    """How many cases each list of the start page holds, counted in one query."""
    counted = cases_of(user).aggregate(
        **{key: Count("pk", filter=bucket(user, key)) for key, _l, _f in TALLIES}
    )
    chosen = {name: value for name, value in values.items() if value}
    return [
        Tally(
            key=key,
            label=str(label),
            count=counted[key],
            query=urlencode(filters),
            current=chosen == filters,
        )
        for key, label, filters in TALLIES
    ]


class QueueFilterForm(forms.Form):
    """The filters of the start page, read from the address (GET)."""

    kolejka = forms.ChoiceField(
        label=_("Cases"),
        required=False,
        choices=[
            ("", _("waiting for us and for others")),
            (NEW, _("new")),
            (OURS, _("waiting for us")),
            (OTHERS, _("waiting for someone else")),
            (ALL, _("all our cases")),
        ],
    )
    klub = forms.CharField(
        label=_("Club or case number"), required=False, max_length=100
    )
    gmina = forms.CharField(
        label=_("Municipality or town"), required=False, max_length=100
    )
    stan = forms.ChoiceField(
        label=_("State"), required=False, choices=[("", _("any"))] + S.choices
    )
    termin = forms.ChoiceField(
        label=_("Deadline"),
        required=False,
        choices=[
            ("", _("any")),
            (OVERDUE, _("overdue")),
            (DUE_SOON, _("due within 7 days")),
        ],
    )
    moje = forms.BooleanField(label=_("Only cases assigned to me"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False)

    def __init__(self, *args, user: User, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sort"].choices = [
            (
                f"{prefix}{key}",
                gettext("%(field)s, %(direction)s")
                % {"field": label, "direction": direction},
            )
            for key, (label, _field) in SORTS.items()
            for prefix, direction in (
                ("", gettext("ascending")),
                ("-", gettext("descending")),
            )
        ]
        if user.role not in (Role.OFFICER, Role.AUDITOR):
            # Only the certifying and audit units assign their cases.
            del self.fields["moje"]

    def values(self) -> dict:
        """The valid filters; an invalid one is ignored, as if not given."""
        self.is_valid()
        return {
            name: self.cleaned_data.get(name)
            for name in self.fields
            if name not in self.errors
        }


@dataclass
class Section:
    """One list of the start page."""

    key: str
    heading: str
    cases: list[Application]


SECTION_HEADINGS = {
    NEW: _("New cases"),
    OURS: _("Waiting for us"),
    OTHERS: _("Waiting for someone else"),
    ALL: _("All our cases"),
    "finished": _("Finished cases"),
}


def _filtered(queryset, user: User, values: dict) -> QuerySet[Application]:
    if values.get("klub"):
        queryset = queryset.filter(
            Q(club__name__icontains=values["klub"])
            | Q(number__icontains=values["klub"])
        )
    if values.get("gmina"):
        queryset = queryset.filter(
            Q(club__gmina__icontains=values["gmina"])
            | Q(club__city__icontains=values["gmina"])
        )
    if values.get("stan"):
        queryset = queryset.filter(state=values["stan"])
    if values.get("termin") == OVERDUE:
        queryset = queryset.filter(overdue())
    elif values.get("termin") == DUE_SOON:
        queryset = queryset.filter(due_soon())
    if values.get("moje"):
        queryset = queryset.filter(assigned_to(user))
    return queryset


def _sorted(queryset, sort: str | None) -> QuerySet[Application]:
    sort = sort or "termin"
    descending = sort.startswith("-")
    _label, field = SORTS[sort.lstrip("-")]
    expression = F(field)
    expression = (
        expression.desc(nulls_last=True)
        if descending
        else expression.asc(nulls_last=True)
    )
    return queryset.order_by(expression, "-updated_at", "pk")


def sections(user: User, values: dict) -> list[Section]:
    """The lists the start page shows for the chosen filters, each filtered
    and sorted in the database.
    """
    chosen = values.get("kolejka")
    if chosen:
        keys = [chosen]
    else:
        keys = [OURS, OTHERS, "finished"]
    base = _sorted(_filtered(cases_of(user), user, values), values.get("sort"))
    result = []
    for key in keys:
        condition = Q(state__in=FINAL) if key == "finished" else bucket(user, key)
        cases = list(base.filter(condition))
        for case in cases:
            case.in_charge = in_charge(case, user)
        result.append(Section(key, str(SECTION_HEADINGS[key]), cases))
    return result


def in_charge(application: Application, user: User) -> str:
    """Who takes the case's next step: the person assigned in the user's own
    unit, otherwise the unit whose turn it is.
    """
    state = application.state
    if state in WITH_CERTIFYING_UNIT:
        unit, person = application.certifying_unit, application.assigned_officer
    elif state in WITH_AUDIT_UNIT:
        unit, person = application.audit_unit, application.assigned_auditor
    elif state in WITH_APPEAL_UNIT:
        return str(_("Appeal unit"))
    elif state in WITH_APPLICANT:
        unit, person = application.applicant_unit, None
    else:
        return "–"
    if person is not None:
        return person.display_name
    if unit is not None and unit.pk == user.unit_id:
        return str(_("not assigned"))
    return unit.name if unit is not None else "–"
