"""Read-side queries: what a user may see, and what screens and documents read."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certification import application_sections, deadlines, events
from certification.models import (
    Appeal,
    Application,
    Certificate,
    Club,
    CorrectionFault,
    Notification,
    SubmissionRecord,
    Transition,
    Unit,
    User,
)
from certification.states import ApplicationState as S
from certification.states import Role, UnitKind


def applications_visible_to(user: User) -> QuerySet[Application]:
    """The applications of the user's unit, at the steps it takes part in."""
    queryset = Application.objects.select_related(
        "club", "applicant_unit", "certifying_unit", "audit_unit"
    )
    if not user.is_authenticated or user.unit_id is None:
        return queryset.none()
    role = user.role
    if role == Role.APPLICANT:
        return queryset.filter(applicant_unit_id=user.unit_id)
    if role == Role.OFFICER:
        # Only filed cases: a draft withdrawn unsubmitted stays the applicant's.
        return queryset.filter(
            certifying_unit_id=user.unit_id, submitted_at__isnull=False
        )
    if role == Role.AUDITOR:
        return queryset.filter(audit_unit_id=user.unit_id)
    if role == Role.APPEAL_OFFICER:
        forwarded = Appeal.objects.filter(
            application=OuterRef("pk"), forwarded_at__isnull=False
        )
        return queryset.filter(Exists(forwarded))
    return queryset.none()


def application_for(user: User, pk: int) -> Application:
    """The application if the user may see it; otherwise 404, as if it did not exist."""
    try:
        return applications_visible_to(user).get(pk=pk)
    except Application.DoesNotExist:
        raise Http404 from None


def clubs_of(user: User) -> QuerySet[Club]:
    """The clubs an applicant's institution founded."""
    if not user.is_authenticated or user.role != Role.APPLICANT:
        return Club.objects.none()
    return Club.objects.filter(founding_unit_id=user.unit_id).select_related(
        "voivodeship"
    )


def club_for(user: User, pk: int) -> Club:
    try:
        return clubs_of(user).get(pk=pk)
    except Club.DoesNotExist:
        raise Http404 from None


def work_queue(user: User) -> QuerySet[Application]:
    """The cases waiting for the user's unit to act, oldest first."""
    visible = applications_visible_to(user)
    waiting = {
        Role.APPLICANT: [S.DRAFT, S.CORRECTION, S.REFUSED],
        Role.OFFICER: [
            S.SUBMITTED,
            S.MERIT_REVIEW,
            S.DECISION,
            S.APPEALED,
            S.CORRECTION,
            S.REFUSED,
        ],
        Role.AUDITOR: [S.AUDIT, S.AUDIT_IN_PROGRESS],
        Role.APPEAL_OFFICER: [S.APPEAL_REVIEW],
    }.get(user.role, [])
    return visible.filter(state__in=waiting).order_by("updated_at")


def certifying_unit_of(voivodeship_id: int) -> Unit | None:
    """The WPS UW that certifies the clubs of a voivodeship."""
    return Unit.objects.filter(
        kind=UnitKind.CERTIFYING, voivodeship_id=voivodeship_id
    ).first()


def audit_unit_of(voivodeship_id: int) -> Unit | None:
    """The ROPS that audits the clubs of a voivodeship."""
    return Unit.objects.filter(
        kind=UnitKind.AUDIT, voivodeship_id=voivodeship_id
    ).first()


def appeal_unit() -> Unit:
    return Unit.objects.filter(kind=UnitKind.APPEAL).order_by("pk").first()


def current_standard_card(application: Application):
    return application.standard_cards.prefetch_related("rows__criterion").first()


def current_audit(application: Application):
    return application.audits.prefetch_related("experts", "findings__criterion").first()


def open_appeal(application: Application) -> Appeal | None:
    return application.appeals.filter(outcome="").first()


def history(application: Application):
    return application.transitions.select_related("actor")


def search_filter(queryset: QuerySet[Application], text: str) -> QuerySet[Application]:
    """Narrow a list of cases by club name, town or case number."""
    if not text:
        return queryset
    return queryset.filter(
        Q(club__name__icontains=text)
        | Q(club__city__icontains=text)
        | Q(number__icontains=text)
    )


# Deadlines of a case and the messages sent about it.

RUNNING, PAUSED, OVERDUE, MET, EXPIRED = (
    "running",
    "paused",
    "overdue",
    "met",
    "expired",
)
STATUS_LABELS = {
    RUNNING: _("running"),
    PAUSED: _("paused while the applicant corrects the application"),
    OVERDUE: _("overdue"),
    MET: _("met"),
    EXPIRED: _("expired"),
}
APPLICANT, CERTIFYING_UNIT, AUDIT_UNIT, APPEAL_UNIT = (
    "applicant",
    "certifying_unit",
    "audit_unit",
    "appeal_unit",
)
TURN_LABELS = {
    APPLICANT: _("applicant"),
    CERTIFYING_UNIT: _("certifying unit"),
    AUDIT_UNIT: _("audit unit"),
    APPEAL_UNIT: _("appeal unit"),
}
# The states in which the decision is due from the certifying unit (the audit
# is part of its proceedings), so its KPA art. 35 clock runs.
AWAITING_DECISION = [
    S.SUBMITTED,
    S.MERIT_REVIEW,
    S.AUDIT,
    S.AUDIT_IN_PROGRESS,
    S.DECISION,
]


@dataclass(frozen=True)
class CaseDeadline:
    """One deadline of a case: what, by when, whose turn, and how it stands."""

    label: str
    date: datetime.date
    turn: str
    status: str
    # Which deadline it is: correction, decision, appeal, forward, certificate.
    kind: str = ""

    @property
    def turn_label(self) -> str:
        return str(TURN_LABELS[self.turn])

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])


def _running_or_overdue(date: datetime.date, today: datetime.date) -> str:
    return OVERDUE if today > date else RUNNING


def case_deadlines(
    application: Application, today: datetime.date | None = None
) -> list[CaseDeadline]:
    """The deadlines of the case as they stand today, in the order they arise."""
    today = today or deadlines.today()
    state = application.state
    found = []

    if state == S.CORRECTION and application.correction_deadline:
        found.append(
            CaseDeadline(
                str(_("Correction of the application")),
                application.correction_deadline,
                APPLICANT,
                _running_or_overdue(application.correction_deadline, today),
                "correction",
            )
        )

    if application.decision_deadline:
        first_decision = application.decisions.order_by("issued_at").first()
        if state == S.CORRECTION:
            status = PAUSED
        elif state in AWAITING_DECISION:
            status = _running_or_overdue(application.decision_deadline, today)
        elif first_decision is not None:
            decided_on = timezone.localdate(first_decision.issued_at)
            status = MET if decided_on <= application.decision_deadline else OVERDUE
        else:
            status = None  # withdrawn or closed before a decision: no term left
        if status is not None:
            found.append(
                CaseDeadline(
                    str(_("Decision")),
                    application.decision_deadline,
                    CERTIFYING_UNIT,
                    status,
                    "decision",
                )
            )

    if state == S.REFUSED and application.appeal_deadline:
        found.append(
            CaseDeadline(
                str(_("Appeal against the refusal")),
                application.appeal_deadline,
                APPLICANT,
                _running_or_overdue(application.appeal_deadline, today),
                "appeal",
            )
        )

    appeal = open_appeal(application) if state == S.APPEALED else None
    if appeal is not None and appeal.forward_deadline:
        found.append(
            CaseDeadline(
                str(_("Forwarding the appeal to the appeal unit")),
                appeal.forward_deadline,
                CERTIFYING_UNIT,
                _running_or_overdue(appeal.forward_deadline, today),
                "forward",
            )
        )

    certificate = Certificate.objects.filter(application=application).first()
    if certificate is not None:
        found.append(
            CaseDeadline(
                str(_("Certificate valid until")),
                certificate.valid_until,
                APPLICANT,
                EXPIRED if today > certificate.valid_until else RUNNING,
                "certificate",
            )
        )

    return found


@dataclass(frozen=True)
class SentMessage:
    """One message of a case as a person may see it: the addresses for the
    certifying unit's officers, only their number for the applicant.
    """

    label: str
    created_at_pk: int
    sent_at: datetime.datetime | None
    count: int
    recipients: tuple[str, ...]


def case_messages(user: User, application: Application) -> list[SentMessage] | None:
    """The e-mails sent about the case, newest first; None for a person who
    may not see them (only the certifying unit and the applicant may).
    """
    from certification.notifications import label

    if not user.is_authenticated or user.unit_id is None:
        return None
    is_officer = (
        user.role == Role.OFFICER and user.unit_id == application.certifying_unit_id
    )
    is_applicant = (
        user.role == Role.APPLICANT and user.unit_id == application.applicant_unit_id
    )
    if not (is_officer or is_applicant):
        return None

    groups: dict[tuple, list[Notification]] = {}
    for notification in application.notifications.order_by("pk"):
        key = (notification.transition_id, notification.occasion, notification.event)
        groups.setdefault(key, []).append(notification)
    messages = []
    for group in groups.values():
        sent = [n.sent_at for n in group if n.sent_at is not None]
        messages.append(
            SentMessage(
                label=label(group[0].event),
                created_at_pk=group[0].pk,
                sent_at=max(sent) if sent else None,
                count=len(group),
                recipients=tuple(n.recipient for n in group) if is_officer else (),
            )
        )
    return sorted(messages, key=lambda m: m.created_at_pk, reverse=True)


@dataclass(frozen=True)
class SectionFaults:
    """The faults of a correction that concern one section of the application."""

    section: application_sections.Section
    faults: list[CorrectionFault]


def _by_section(faults: list[CorrectionFault]) -> list[SectionFaults]:
    grouped = application_sections.by_section(faults)
    return [
        SectionFaults(section, grouped[section.kind.value])
        for section in application_sections.SECTIONS
        if section.kind.value in grouped
    ]


def _general_note(text: str, faults: list[CorrectionFault]) -> str:
    """The general note of a correction request: the fault tied to no
    section. A request without listed faults (made before faults were tied
    to sections) is all general note.
    """
    if not faults:
        return text.strip()
    return "\n".join(fault.message for fault in faults if not fault.section)


@dataclass(frozen=True)
class CorrectionFaults:
    """The faults the applicant is asked to correct, section by section."""

    sections: list[SectionFaults]
    general_note: str


def correction_faults(application: Application) -> CorrectionFaults | None:
    """The faults of the correction the application waits for, grouped by
    the sections of the application, with the general note apart.
    """
    if application.state != S.CORRECTION:
        return None
    faults = application_sections.current_faults(application)
    return CorrectionFaults(
        sections=_by_section(faults),
        general_note=_general_note(application.correction_faults, faults),
    )


@dataclass(frozen=True)
class AddressedFault:
    """A fault of the last correction and whether an answer of the part it
    concerns changed in the corrected application.
    """

    fault: CorrectionFault
    answers_changed: bool


@dataclass(frozen=True)
class SectionChanges:
    section: application_sections.Section
    faults: list[AddressedFault]
    changes: list[application_sections.Change]


@dataclass(frozen=True)
class ResubmissionChanges:
    """What the applicant changed in answer to a correction request."""

    previous: Transition
    resubmitted: Transition
    requested: Transition | None
    sections: list[SectionChanges]
    general_note: str
    count: int


def changes_in_last_resubmission(
    application: Application,
) -> ResubmissionChanges | None:
    """The answers changed between the last two filings of the application,
    where the last one is a corrected application, section by section next
    to the faults of the correction request it answers.
    """
    records = list(
        SubmissionRecord.objects.filter(application=application)
        .select_related("transition")
        .order_by("-transition__at", "-pk")[:2]
    )
    if len(records) < 2 or records[0].transition.event != events.RESUBMITTED:
        return None
    latest, previous = records
    changes = application_sections.changes(previous.answers, latest.answers)

    requested = (
        application.transitions.filter(
            event=events.CORRECTION_REQUESTED,
            at__lte=latest.transition.at,
            at__gte=previous.transition.at,
        )
        .order_by("-at", "-pk")
        .first()
    )
    faults = (
        list(requested.faults.select_related("criterion").order_by("position", "pk"))
        if requested
        else []
    )

    changed_by_section: dict[str, list[application_sections.Change]] = {}
    for change in changes:
        changed_by_section.setdefault(change.section.value, []).append(change)
    faults_by_section = {
        group.section.kind: group.faults for group in _by_section(faults)
    }
    sections = []
    for section in application_sections.SECTIONS:
        section_changes = changed_by_section.get(section.kind.value, [])
        section_faults = faults_by_section.get(section.kind, [])
        if not (section_changes or section_faults):
            continue
        addressed = []
        for fault in section_faults:
            if fault.criterion is not None:
                prefix = f"criterion.{fault.criterion.code}."
                changed = any(c.key.startswith(prefix) for c in section_changes)
            else:
                changed = bool(section_changes)
            addressed.append(AddressedFault(fault, changed))
        sections.append(SectionChanges(section, addressed, section_changes))

    return ResubmissionChanges(
        previous=previous.transition,
        resubmitted=latest.transition,
        requested=requested,
        sections=sections,
        general_note=_general_note(requested.note, faults) if requested else "",
        count=len(changes),
    )
