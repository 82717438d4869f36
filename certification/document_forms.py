"""The forms of recommendation Nr 8 as PDF bytes, blank and filled from a case.

Formularz 1 (application), 2 (explanations for filling it in), 3 (standard
card) and 5 (audit card), plus the process card and the receipt of
submission. Each function called without a case gives the blank form to
print and fill in by hand (the public /formularze/ page uses them that way,
outside any request); called with a case it gives the form filled from the
records. A filled form of a step that is not finished yet is marked DRAFT on
every page.

Every document is Polish whatever language its reader browses in, and shows
times in Europe/Warsaw. The rendering itself is documents.render_pdf.
"""

import contextlib
import datetime
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from certification import events, selectors
from certification.documents import formal_date, render_pdf
from certification.models import (
    Application,
    Audit,
    CriteriaVersion,
    Criterion,
    Decision,
    StandardCard,
    Transition,
)
from certification.states import (
    INSTITUTIONAL_GROUPS,
    SERVICE_GROUPS,
    ApplicationKind,
    CriterionGroup,
    DecisionKind,
    Level,
)
from certification.states import ApplicationState as S


class DocumentUnavailable(Exception):
    """The case has not reached the step that produces this document."""


# How each form names the groups of criteria: the seed's forms differ.

APPLICATION_GROUP_TITLES = {
    CriterionGroup.PREMISES: _("Premises criterion"),
    CriterionGroup.STAFF: _("Staff criterion"),
    CriterionGroup.ORGANISATION: _("Organisational preparation criterion"),
    CriterionGroup.COOPERATION: _("Local cooperation criterion"),
    CriterionGroup.INDIVIDUAL: _("Scope of individual services"),
    CriterionGroup.GROUP: _("Scope of group services"),
}

CARD_GROUP_TITLES = {
    **APPLICATION_GROUP_TITLES,
    CriterionGroup.INDIVIDUAL: _("Individual services criterion"),
    CriterionGroup.GROUP: _("Group services criterion"),
}


@dataclass
class Group:
    """The criteria of one group, each with what a form prints beside it."""

    title: str
    items: list[Any]


@dataclass
class Scope:
    """A part of a form: the institutional or the service criteria."""

    title: str
    groups: list[Group]


def _scopes(
    items: Iterable[Any],
    *,
    criterion: Callable[[Any], Criterion],
    titles: dict[str, Any],
    scope_titles: tuple[Any, Any],
) -> list[Scope]:
    """Items (criteria, declarations, card rows, findings) in the order of
    the standard: the institutional groups, then the service groups.
    """
    by_group: dict[str, list[Any]] = {}
    for item in sorted(items, key=lambda item: criterion(item).position):
        by_group.setdefault(criterion(item).group, []).append(item)

    scopes = []
    for title, groups in zip(
        scope_titles, (INSTITUTIONAL_GROUPS, SERVICE_GROUPS), strict=True
    ):
        found = [
            Group(title=titles[group], items=by_group[group])
            for group in groups
            if by_group.get(group)
        ]
        scopes.append(Scope(title=title, groups=found))
    return scopes


def _current_criteria() -> list[Criterion]:
    version = CriteriaVersion.current()
    if version is None:
        return []
    return list(version.criteria.all())


@contextlib.contextmanager
def _as_issued() -> Iterator[None]:
    """Polish text and Warsaw time, whoever asks: a document reads the same
    for every reader.
    """
    with translation.override(settings.LANGUAGE_CODE):
        with timezone.override(settings.TIME_ZONE):
            yield


def _local_date(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localdate(moment) if moment is not None else None


def _first(transitions: list[Transition], *names: str) -> Transition | None:
    return next((t for t in transitions if t.event in names), None)


def _last(transitions: list[Transition], *names: str) -> Transition | None:
    return next((t for t in reversed(transitions) if t.event in names), None)


def _case_context(application: Application | None) -> dict[str, Any]:
    """What every filled form prints about the case and its parties."""
    if application is None:
        return {"application": None, "blank": True}
    return {
        "application": application,
        "blank": False,
        "club": application.club,
        "applicant_unit": application.applicant_unit,
        "certifying_unit": application.certifying_unit,
    }


# Formularz 1: the application.


def application_pdf(application: Application | None = None) -> bytes:
    """The application for the KIS certificate (Formularz 1), blank or filled."""
    with _as_issued():
        context = _case_context(application)
        if application is None:
            criteria = _current_criteria()
            items = [(criterion, None) for criterion in criteria]
            context["draft"] = False
        else:
            declarations = application.declarations.select_related("criterion")
            items = [(d.criterion, d) for d in declarations]
            transitions = list(selectors.history(application))
            filed = _last(transitions, events.SUBMITTED, events.RESUBMITTED)
            # Not filed yet, or back with the applicant to be corrected: the
            # text may still change.
            context["draft"] = filed is None or application.state == S.CORRECTION
            context["filed_on"] = (
                formal_date(_local_date(filed.at)) if filed is not None else ""
            )
        context["scopes"] = _scopes(
            items,
            criterion=lambda item: item[0],
            titles=APPLICATION_GROUP_TITLES,
            scope_titles=(
                _("ORGANISATIONAL AND TECHNICAL SCOPE"),
                _("SERVICE SCOPE"),
            ),
        )
        context["levels"] = Level.choices
        return render_pdf("documents/application.html", context)


# Formularz 2: explanations for filling in the application.


def explanations_pdf() -> bytes:
    """How to fill in the application (Formularz 2), criterion by criterion,
    from the current criteria dictionary.
    """
    with _as_issued():
        version = CriteriaVersion.current()
        criteria = list(version.criteria.all()) if version is not None else []
        context = {
            "version": version,
            "scopes": _scopes(
                criteria,
                criterion=lambda criterion: criterion,
                titles=APPLICATION_GROUP_TITLES,
                scope_titles=(
                    _("ORGANISATIONAL AND TECHNICAL SCOPE"),
                    _("SERVICE SCOPE"),
                ),
            ),
            "levels": Level.choices,
            "correction_days": settings.SCKIS_DEADLINES["correction_days"],
            "appeal_days": settings.SCKIS_DEADLINES["appeal_days"],
            "certificate_years": _certificate_years(),
            "draft": False,
            "blank": True,
        }
        return render_pdf("documents/explanations.html", context)


def _certificate_years() -> str:
    years = settings.SCKIS_CERTIFICATE_YEARS
    return ngettext("%(years)d year", "%(years)d years", years) % {"years": years}


# Formularz 3: the standard card.


def standard_card_pdf(application: Application | None = None) -> bytes:
    """The standard card (Formularz 3): blank with the required levels of the
    current criteria, or the case's card as the officer filled it.
    """
    with _as_issued():
        context = _case_context(application)
        card: StandardCard | None = None
        if application is None:
            items = [(criterion, None) for criterion in _current_criteria()]
        else:
            card = selectors.current_standard_card(application)
            if card is None:
                raise DocumentUnavailable("The merit review has not started.")
            items = [(row.criterion, row) for row in card.rows.all()]
        context.update(
            card=card,
            draft=card is not None and not card.is_complete,
            completed_on=formal_date(card.completed_on)
            if card is not None and card.completed_on
            else "",
            scopes=_scopes(
                items,
                criterion=lambda item: item[0],
                titles=CARD_GROUP_TITLES,
                scope_titles=(_("INSTITUTIONAL SCOPE"), _("SERVICE SCOPE")),
            ),
        )
        return render_pdf("documents/standard_card.html", context)


# Formularz 5: the audit card.


def audit_card_pdf(application: Application | None = None) -> bytes:
    """The audit card (Formularz 5): blank, or the case's current audit as the
    audit team filled it.
    """
    with _as_issued():
        context = _case_context(application)
        audit: Audit | None = None
        if application is None:
            items = [(criterion, None) for criterion in _current_criteria()]
        else:
            audit = selectors.current_audit(application)
            if audit is None:
                raise DocumentUnavailable("No audit has been commissioned.")
            items = [(finding.criterion, finding) for finding in audit.findings.all()]
        context.update(
            audit=audit,
            team=_audit_team(audit),
            # The report is drawn up when it is delivered; until then the
            # team may still change every answer.
            draft=audit is not None and audit.report_drawn_up_on is None,
            report_drawn_up_on=formal_date(audit.report_drawn_up_on)
            if audit is not None and audit.report_drawn_up_on
            else "",
            scopes=_scopes(
                items,
                criterion=lambda item: item[0],
                titles=CARD_GROUP_TITLES,
                scope_titles=(
                    _(
                        "Confirmation of the organisational and technical criteria "
                        "of SC KIS"
                    ),
                    _("Confirmation of the service criteria of SC KIS"),
                ),
            ),
        )
        return render_pdf("documents/audit_card.html", context)


EXPERT_POSITIONS = [_("First expert"), _("Second expert"), _("Third expert")]


def _audit_team(audit: Audit | None) -> list[tuple[Any, Any]]:
    """The three places of the audit team, each with its expert if named."""
    experts = list(audit.experts.all()) if audit is not None else []
    return [
        (label, experts[index] if index < len(experts) else None)
        for index, label in enumerate(EXPERT_POSITIONS)
    ]


# The process card (Karta procesu certyfikacji KIS).


@dataclass
class DateCell:
    """One date field of the process card."""

    label: str
    applies: bool = True
    day: datetime.date | None = None


# The date fields of a stage share its row evenly: one, two or three of them
# over six columns.
DATE_COLUMNS = 6


@dataclass
class Stage:
    """One row of the process card: a stage and its date fields."""

    title: str
    cells: list[DateCell]

    @property
    def span(self) -> int:
        return DATE_COLUMNS // len(self.cells)


def process_stages(application: Application | None) -> list[Stage]:
    """The dated rows of the process card, every date read from the recorded
    steps of the case; none is typed by hand.

    Blank (no case): every field applies and is empty. For an initial
    application the renewal fields do not apply, and the other way round.
    """
    transitions = list(selectors.history(application)) if application else []
    is_renewal = application is not None and application.kind == ApplicationKind.RENEWAL
    initial = application is None or not is_renewal
    renewal = application is None or is_renewal

    def day_of(transition: Transition | None) -> datetime.date | None:
        return _local_date(transition.at) if transition is not None else None

    def cell(label, applies: bool, day: datetime.date | None) -> DateCell:
        return DateCell(label=label, applies=applies, day=day if applies else None)

    # An appeal upheld back to the merit review leads to a new audit: the
    # audit dates are those of the last one commissioned. A step repeated
    # after an upheld appeal (a second refusal) counts as last taken.
    commissioned = _last(transitions, events.AUDIT_COMMISSIONED)
    this_audit = transitions[transitions.index(commissioned) :] if commissioned else []
    started = day_of(_first(this_audit, events.AUDIT_STARTED))
    # Audit.report_drawn_up_on is set on the day of delivery, so the report
    # is dated by the recorded delivery.
    delivered = day_of(_first(this_audit, events.REPORT_DELIVERED))
    submitted = day_of(_first(transitions, events.SUBMITTED))
    accepted = day_of(_first(transitions, events.ACCEPTED_FORMALLY))
    granted = day_of(_last(transitions, events.GRANTED, events.RECONSIDERED))
    refused = day_of(_last(transitions, events.REFUSED))
    years = settings.SCKIS_CERTIFICATE_YEARS

    return [
        Stage(
            _(
                "Certification application / Notification of the renewal of "
                "the certificate"
            ),
            [
                cell(
                    _("Date of the first registration – start of the certification"),
                    initial,
                    submitted,
                ),
                cell(
                    _(
                        "Date of the changes of the formal data in the application – "
                        "start of the procedure of renewing the certificate"
                    ),
                    renewal,
                    submitted,
                ),
            ],
        ),
        Stage(
            _(
                "Formal check of the application / of the notification of the "
                "renewal of the certificate"
            ),
            [
                cell(
                    _(
                        "Date of the admission of the application to the further "
                        "certification procedure"
                    ),
                    True,
                    accepted,
                )
            ],
        ),
        Stage(
            _("Merit review of the application"),
            [
                # The merit review ends positively when the officer, with the
                # standard card completed, commissions the audit.
                cell(
                    _("Date of the positive certification decision"),
                    True,
                    day_of(commissioned),
                )
            ],
        ),
        Stage(
            _("Certification audit – the first"),
            [
                cell(
                    _("Date of the start of the certification audit"), initial, started
                ),
                cell(
                    _("Date the certification audit report was drawn up"),
                    initial,
                    delivered,
                ),
                cell(
                    _(
                        "Date the certification audit report was delivered to the "
                        "certifying unit"
                    ),
                    initial,
                    delivered,
                ),
            ],
        ),
        Stage(
            _("Certification audit renewing the certificate"),
            [
                cell(
                    _("Date of the start of the audit renewing the certificate"),
                    renewal,
                    started,
                ),
                cell(
                    _(
                        "Date the conclusion of the audit renewing the certificate "
                        "was drawn up"
                    ),
                    renewal,
                    delivered,
                ),
                cell(
                    _(
                        "Date the conclusion for the renewal or its refusal was "
                        "delivered to the certifying unit"
                    ),
                    renewal,
                    delivered,
                ),
            ],
        ),
        Stage(
            ngettext(
                "KIS certificate for %(years)d year / Renewal of the KIS "
                "certificate for a further period",
                "KIS certificate for %(years)d years / Renewal of the KIS "
                "certificate for a further period",
                years,
            )
            % {"years": years},
            [
                cell(_("Date of issue of the first KIS certificate"), initial, granted),
                cell(_("Date of issue of the next KIS certificate"), renewal, granted),
            ],
        ),
        Stage(
            _("Refusal of the KIS certificate"),
            [
                cell(
                    _("Date of issue of the refusal of the KIS certificate"),
                    initial,
                    refused,
                ),
                cell(
                    _("Date of issue of the refusal to renew the KIS certificate"),
                    renewal,
                    refused,
                ),
            ],
        ),
    ]


def process_card_pdf(application: Application | None = None) -> bytes:
    """The process card: the parties, the dates of each stage and every
    recorded step of the case; blank without a case.
    """
    with _as_issued():
        context = _case_context(application)
        steps = []
        if application is not None:
            steps = [
                (transition, events.label(transition.event))
                for transition in selectors.history(application)
            ]
        context.update(
            stages=process_stages(application),
            steps=steps,
            # The card is a running record: once the case is filed, what it
            # shows is true as of the moment it was printed.
            draft=application is not None and application.submitted_at is None,
            as_of=timezone.now(),
        )
        return render_pdf("documents/process_card.html", context)


# The receipt of submission (recommendation Nr 4: no trial certificate).


def receipt_pdf(application: Application) -> bytes:
    """The receipt confirming that the application was filed, and when."""
    with _as_issued():
        transitions = list(selectors.history(application))
        submitted = _first(transitions, events.SUBMITTED)
        if submitted is None:
            raise DocumentUnavailable("The application has not been submitted.")
        resubmissions = [t for t in transitions if t.event == events.RESUBMITTED]
        context = {
            **_case_context(application),
            "draft": False,
            "submitted": submitted,
            "submitted_on": formal_date(_local_date(submitted.at)),
            "resubmissions": resubmissions,
        }
        return render_pdf("documents/receipt.html", context)


# The decision: a grant or a refusal, issued once and kept as issued.


def decision_pdf(decision: Decision) -> bytes:
    """The certifying unit's decision to grant or refuse the certificate.

    Reads the unit's name as copied onto the decision on the day of issue.
    """
    with _as_issued():
        application = decision.application
        context = {
            **_case_context(application),
            "draft": False,
            "decision": decision,
            "issued_on": formal_date(_local_date(decision.issued_at)),
            "is_grant": decision.kind == DecisionKind.GRANT,
            # A correction (KPA art. 113) prints the certificate of the
            # decision it corrects and the day that decision was issued.
            "certificate": getattr(decision.corrects or decision, "certificate", None),
            "corrects": decision.corrects,
            "corrects_issued_on": (
                formal_date(_local_date(decision.corrects.issued_at))
                if decision.corrects is not None
                else ""
            ),
        }
        return render_pdf("documents/decision.html", context)
