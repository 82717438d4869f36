"""Who may do what to an application, each answer with its reason.

Every function takes the acting user and the application and returns a
`Verdict`: true when allowed; when refused, its `reason` says why in words
the user reads.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django_fsm import can_proceed

from certification.models import Application, Certificate, Club, Decision, Unit, User
from certification.states import FINAL, Role, UnitKind
from certification.states import ApplicationState as S


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    reason: str = ""
    # Refused only for now: the right person, in the right state, waiting
    # for something (a card, a deadline). The case page shows such steps
    # with their reason, so nobody has to guess what comes next.
    pending: bool = False

    def __bool__(self) -> bool:
        return self.allowed


ALLOWED = Verdict(True)


def _refused(reason) -> Verdict:
    return Verdict(False, str(reason))


def _pending(reason) -> Verdict:
    return Verdict(False, str(reason), pending=True)


def can_view(user: User, application: Application) -> bool:
    """Whether the user's unit takes part in this case at its current step."""
    if not user.is_authenticated or user.unit_id is None:
        return False
    role = user.role
    if role == Role.APPLICANT:
        return application.applicant_unit_id == user.unit_id
    if role == Role.OFFICER:
        # A draft is the applicant's own until it is submitted, and stays so
        # when it is withdrawn without ever having been submitted.
        return (
            application.certifying_unit_id == user.unit_id
            and application.submitted_at is not None
        )
    if role == Role.AUDITOR:
        return application.audit_unit_id == user.unit_id
    if role == Role.APPEAL_OFFICER:
        return application.appeals.filter(forwarded_at__isnull=False).exists()
    return False


def _acts_as(user: User, application: Application, role: Role) -> Verdict:
    """Whether the user acts for the unit that takes this step of this case."""
    messages = {
        Role.APPLICANT: _(
            "Only the institution that filed the application can do this."
        ),
        Role.OFFICER: _(
            "Only the certifying unit of the club's voivodeship can do this."
        ),
        Role.AUDITOR: _(
            "Only the audit unit commissioned with this audit can do this."
        ),
        Role.APPEAL_OFFICER: _("Only the appeal unit can do this."),
    }
    if not user.is_authenticated or user.unit_id is None or user.role != role:
        return _refused(messages[role])
    unit_of_case = {
        Role.APPLICANT: application.applicant_unit_id,
        Role.OFFICER: application.certifying_unit_id,
        Role.AUDITOR: application.audit_unit_id,
    }
    if role in unit_of_case and unit_of_case[role] != user.unit_id:
        return _refused(messages[role])
    if role == Role.APPEAL_OFFICER and user.unit.kind != UnitKind.APPEAL:
        return _refused(messages[role])
    return ALLOWED


def _can(user: User, application: Application, role: Role, transition) -> Verdict:
    verdict = _acts_as(user, application, role)
    if not verdict:
        return verdict
    if not can_proceed(transition):
        return _refused(
            _("This step is not possible while the application is: %(state)s.")
            % {"state": application.get_state_display()}
        )
    return ALLOWED


def can_edit_club(user: User, club: Club) -> Verdict:
    """The founding institution corrects its club's data, except while an
    application of the club is being examined: the units read those data.
    """
    if (
        not user.is_authenticated
        or user.role != Role.APPLICANT
        or (club.founding_unit_id != user.unit_id)
    ):
        return _refused(_("Only the institution that founded the club can change it."))
    examined = club.applications.exclude(
        state__in=[S.DRAFT, S.CORRECTION, *FINAL]
    ).first()
    if examined is not None:
        return _refused(
            _(
                "The club's data cannot be changed while application %(number)s "
                "is being examined."
            )
            % {"number": examined}
        )
    return ALLOWED


def can_edit_institution(user: User, unit: Unit) -> Verdict:
    """People of an applicant institution correct its name, address and
    contact, except while one of its applications is being examined.
    """
    if (
        not user.is_authenticated
        or user.role != Role.APPLICANT
        or user.unit_id != unit.pk
    ):
        return _refused(_("Only the people of the institution can change its data."))
    examined = unit.applications_filed.exclude(
        state__in=[S.DRAFT, S.CORRECTION, *FINAL]
    ).first()
    if examined is not None:
        return _refused(
            _(
                "The institution's data cannot be changed while application "
                "%(number)s is being examined."
            )
            % {"number": examined}
        )
    return ALLOWED


def _no_open_application(club: Club) -> Verdict:
    """A club has one open application at a time."""
    open_one = club.applications.exclude(state__in=FINAL).first()
    if open_one is not None:
        if not open_one.number:
            return _refused(
                _("This club already has a draft application; continue that one.")
            )
        return _refused(
            _("This club already has an application in progress: %(number)s.")
            % {"number": open_one.number}
        )
    return ALLOWED


def can_start_application(user: User, club: Club) -> Verdict:
    """The founding institution starts an application when none is open."""
    if (
        not user.is_authenticated
        or user.role != Role.APPLICANT
        or (club.founding_unit_id != user.unit_id)
    ):
        return _refused(
            _("Only the institution that founded the club can apply for it.")
        )
    verdict = _no_open_application(club)
    if not verdict:
        return verdict
    from certification import deadlines

    valid = club.certificates.filter(valid_until__gte=deadlines.today()).first()
    if valid is not None:
        return _refused(
            _(
                "The club holds certificate %(number)s, valid until %(date)s: "
                "it needs no new application before then."
            )
            % {"number": valid.number, "date": valid.valid_until.strftime("%d.%m.%Y")}
        )
    return ALLOWED


# A renewal may be filed while the certificate is valid, or within this many
# days after it ended, so a club that files late is not sent back to an
# initial application at once.
RENEWAL_GRACE_DAYS = 30


def renewal_window_closes(certificate: Certificate):
    """The last day a renewal of the certificate may be filed."""
    import datetime

    return certificate.valid_until + datetime.timedelta(days=RENEWAL_GRACE_DAYS)


def awaits_renewal(certificate: Certificate) -> bool:
    """Whether a renewal of the certificate is still to be filed: it is the
    club's latest certificate and no application of the club is open.
    """
    club = certificate.club
    latest = club.certificates.order_by("-valid_until", "-pk").first()
    return (
        latest is not None
        and latest.pk == certificate.pk
        and bool(_no_open_application(club))
    )


def can_start_renewal(user: User, certificate: Certificate) -> Verdict:
    """The founding institution renews the club's latest certificate while it
    is valid, or within RENEWAL_GRACE_DAYS after it ended, when no other
    application of the club is open.
    """

    from certification import deadlines

    club = certificate.club
    if (
        not user.is_authenticated
        or user.role != Role.APPLICANT
        or (club.founding_unit_id != user.unit_id)
    ):
        return _refused(
            _("Only the institution that founded the club can renew its certificate.")
        )
    latest = club.certificates.order_by("-valid_until", "-pk").first()
    if latest is None or latest.pk != certificate.pk:
        return _refused(_("Only the club's latest certificate can be renewed."))
    if deadlines.today() > renewal_window_closes(certificate):
        return _refused(
            _(
                "Certificate %(number)s ended on %(date)s: file a new application "
                "instead of a renewal."
            )
            % {
                "number": certificate.number,
                "date": certificate.valid_until.strftime("%d.%m.%Y"),
            }
        )
    return _no_open_application(club)


def can_edit(user: User, application: Application) -> Verdict:
    """The applicant edits its application while drafting or correcting it."""
    verdict = _acts_as(user, application, Role.APPLICANT)
    if not verdict:
        return verdict
    if application.state not in (S.DRAFT, S.CORRECTION):
        return _refused(
            _("The application can no longer be changed: it is %(state)s.")
            % {"state": application.get_state_display()}
        )
    return ALLOWED


def can_submit(user: User, application: Application) -> Verdict:
    """The applicant files its draft."""
    return _can(user, application, Role.APPLICANT, application.submit)


def can_resubmit(user: User, application: Application) -> Verdict:
    """The applicant files the corrected application."""
    return _can(user, application, Role.APPLICANT, application.resubmit)


def can_withdraw(user: User, application: Application) -> Verdict:
    """The applicant withdraws at any step before a decision (Nr 9)."""
    return _can(user, application, Role.APPLICANT, application.withdraw)


def can_appeal(user: User, application: Application) -> Verdict:
    """The applicant appeals a refusal within the appeal deadline."""
    from certification import deadlines

    verdict = _can(user, application, Role.APPLICANT, application.appeal)
    if (
        verdict
        and application.appeal_deadline
        and (deadlines.today() > application.appeal_deadline)
    ):
        return _pending(
            _("The deadline for an appeal ended on %(date)s.")
            % {"date": application.appeal_deadline.strftime("%d.%m.%Y")}
        )
    return verdict


def can_request_correction(user: User, application: Application) -> Verdict:
    """The officer returns a submitted application for correction."""
    return _can(user, application, Role.OFFICER, application.request_correction)


def can_leave_unprocessed(user: User, application: Application) -> Verdict:
    """The officer closes an application not corrected by the deadline."""
    from certification import deadlines

    verdict = _can(user, application, Role.OFFICER, application.leave_unprocessed)
    if (
        verdict
        and application.correction_deadline
        and (deadlines.today() <= application.correction_deadline)
    ):
        return _pending(
            _("The applicant may still correct the application until %(date)s.")
            % {"date": application.correction_deadline.strftime("%d.%m.%Y")}
        )
    return verdict


def can_accept_formally(user: User, application: Application) -> Verdict:
    """The officer finds the application formally correct."""
    return _can(user, application, Role.OFFICER, application.accept_formally)


def can_edit_standard_card(user: User, application: Application) -> Verdict:
    """The officer fills the standard card during the merit review."""
    verdict = _acts_as(user, application, Role.OFFICER)
    if verdict and application.state != S.MERIT_REVIEW:
        return _refused(_("The standard card is filled during the merit review."))
    return verdict


def can_commission_audit(user: User, application: Application) -> Verdict:
    """The officer commissions the audit once the standard card is complete."""
    verdict = _can(user, application, Role.OFFICER, application.commission_audit)
    if verdict:
        card = application.standard_cards.first()
        if card is None or not card.is_complete:
            return _pending(_("Complete the standard card first."))
    return verdict


def can_refuse(user: User, application: Application) -> Verdict:
    """The officer refuses the certificate, with reasons; during the merit
    review, on the evidence of a completed standard card.
    """
    verdict = _can(user, application, Role.OFFICER, application.refuse)
    if verdict and application.state == S.MERIT_REVIEW:
        card = application.standard_cards.first()
        if card is None or not card.is_complete:
            return _pending(_("Complete the standard card first."))
    return verdict


def can_grant(user: User, application: Application) -> Verdict:
    """The officer grants the certificate on a delivered audit report."""
    verdict = _can(user, application, Role.OFFICER, application.grant)
    if verdict:
        audit = application.audits.first()
        if audit is None or audit.report_drawn_up_on is None:
            return _pending(
                _("A certificate is granted only on a delivered audit report.")
            )
    return verdict


def can_finalise(user: User, application: Application) -> Verdict:
    """The officer closes a refusal not appealed by the deadline."""
    from certification import deadlines

    verdict = _can(user, application, Role.OFFICER, application.finalise)
    if (
        verdict
        and application.appeal_deadline
        and (deadlines.today() <= application.appeal_deadline)
    ):
        return _pending(
            _("The applicant may still appeal until %(date)s.")
            % {"date": application.appeal_deadline.strftime("%d.%m.%Y")}
        )
    return verdict


def can_reconsider(user: User, application: Application) -> Verdict:
    """The officer grants the certificate on its own review of an appeal."""
    return _can(user, application, Role.OFFICER, application.reconsider)


def can_forward(user: User, application: Application) -> Verdict:
    """The officer forwards an appeal to the appeal unit."""
    return _can(user, application, Role.OFFICER, application.forward)


def can_start_audit(user: User, application: Application) -> Verdict:
    """The auditor opens the audit with a team of three."""
    return _can(user, application, Role.AUDITOR, application.start_audit)


def can_edit_audit_card(user: User, application: Application) -> Verdict:
    """The auditor fills the audit card while the audit is in progress."""
    verdict = _acts_as(user, application, Role.AUDITOR)
    if verdict and application.state != S.AUDIT_IN_PROGRESS:
        return _refused(_("The audit card is filled while the audit is in progress."))
    return verdict


def can_deliver_report(user: User, application: Application) -> Verdict:
    """The auditor delivers the report once the audit card is complete."""
    verdict = _can(user, application, Role.AUDITOR, application.deliver_report)
    if verdict:
        audit = application.audits.first()
        if (
            audit is None
            or not audit.conclusion
            or audit.conclusion_positive is None
            or not audit.register_entry_confirmation
            or audit.findings.filter(confirmed__isnull=True).exists()
        ):
            return _pending(
                _(
                    "Complete the audit card first: every criterion, the "
                    "confirmation of the register entry and the final conclusion."
                )
            )
    return verdict


def can_dismiss(user: User, application: Application) -> Verdict:
    """The appeal officer dismisses an appeal."""
    return _can(user, application, Role.APPEAL_OFFICER, application.dismiss)


def can_uphold(user: User, application: Application) -> Verdict:
    """The appeal officer upholds an appeal and returns the case."""
    return _can(user, application, Role.APPEAL_OFFICER, application.uphold_to_decision)


def can_correct_decision(user: User, decision: Decision) -> Verdict:
    """An officer of the certifying unit that issued a decision corrects an
    obvious error in it (KPA art. 113); the correction is a new decision.
    """
    if (
        not user.is_authenticated
        or user.role != Role.OFFICER
        or user.unit_id != decision.certifying_unit_id
    ):
        return _refused(
            _("Only the certifying unit that issued the decision can correct it.")
        )
    if decision.corrects_id is not None:
        # Every correction points at the decision as issued, so that each
        # one says plainly what it changes in that decision.
        return _refused(
            _("A correction cannot itself be corrected: correct the original decision.")
        )
    return ALLOWED


def can_view_monitoring(user: User) -> bool:
    """The people of the certifying, audit and appeal units read the
    monitoring of the regions (recommendation II.5); it holds aggregates only.
    """
    return (
        user.is_authenticated
        and user.unit_id is not None
        and user.role in (Role.OFFICER, Role.AUDITOR, Role.APPEAL_OFFICER)
    )


def can_assign(user: User, application: Application) -> Verdict:
    """An officer of the case's certifying unit puts an officer of that unit
    in charge of it; an auditor of its audit unit, an auditor of that unit.
    """
    if not user.is_authenticated or user.role not in (Role.OFFICER, Role.AUDITOR):
        return _refused(
            _("Only the certifying unit or the audit unit of the case assigns it.")
        )
    verdict = _acts_as(user, application, user.role)
    if not verdict:
        return verdict
    if user.role == Role.OFFICER and application.submitted_at is None:
        return _refused(
            _("Only the certifying unit or the audit unit of the case assigns it.")
        )
    if application.state in FINAL:
        return _refused(_("A finished case cannot be assigned."))
    return ALLOWED
