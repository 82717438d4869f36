"""Read-side queries: what a user may see, and what screens and documents read."""

import datetime
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certification import deadlines
from certification.models import (
    Appeal,
    Application,
    Certificate,
    Club,
    Notification,
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
                )
            )

    if state == S.REFUSED and application.appeal_deadline:
        found.append(
            CaseDeadline(
                str(_("Appeal against the refusal")),
                application.appeal_deadline,
                APPLICANT,
                _running_or_overdue(application.appeal_deadline, today),
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
