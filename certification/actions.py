"""The steps a person can take on a case page: label, form, permission and
the service each one calls. Views and templates read this list; the rules
stay in permissions and services.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django import forms as django_forms
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from certification import forms, permissions, services
from certification.models import Application, User


@dataclass(frozen=True)
class Action:
    name: str
    label: Promise
    explanation: Promise
    permission: Callable[[User, Application], permissions.Verdict]
    perform: Callable[..., object]
    form_class: type[django_forms.Form] = forms.ConfirmForm
    done_message: Promise = _("Done.")
    style: str = "primary"
    # Actions with a screen of their own (cards, forms) link there instead.
    url_name: str = "certification:action"
    redirect_name: str | None = None
    # A screen the case page links to before the step itself, such as the
    # check of the answers before a submission.
    entry_name: str | None = None
    # Forms built for one application (such as a box per criterion) take it
    # as the keyword argument `application`.
    form_needs_application: bool = False
    template_name: str = "certification/action.html"
    extra: dict = field(default_factory=dict)

    def url(self, application: Application) -> str:
        if self.entry_name:
            return reverse(self.entry_name, args=[application.pk])
        if self.url_name == "certification:action":
            return reverse(self.url_name, args=[application.pk, self.name])
        return reverse(self.url_name, args=[application.pk])

    def redirect_to(self, application: Application) -> str:
        if self.redirect_name:
            return reverse(self.redirect_name, args=[application.pk])
        return application.get_absolute_url()


def _call(service, **fixed):
    def perform(*, application, by, data):
        return service(application=application, by=by, **fixed, **data_args(data))

    def data_args(data):
        return {k: v for k, v in data.items() if k != "expected_state"}

    return perform


def _request_correction(*, application, by, data):
    return services.request_correction(
        application=application,
        by=by,
        faults=data["faults"],
        listed=data["listed"],
    )


def _start_audit(*, application, by, data):
    form_data = dict(data)
    experts = [
        {
            "name": form_data[f"expert_{n}_name"],
            "contact": form_data[f"expert_{n}_contact"],
            "no_conflict_declared": form_data[f"expert_{n}_no_conflict_declared"],
        }
        for n in (1, 2, 3)
    ]
    return services.start_audit(
        application=application,
        by=by,
        experts=experts,
        planned_on=form_data["planned_on"],
    )


ACTIONS = [
    # The applicant.
    Action(
        "edit",
        _("Fill in the application"),
        _("Complete the data of the club and the standard criteria."),
        permissions.can_edit,
        perform=lambda **kw: None,
        url_name="certification:application_edit",
        style="outline-primary",
    ),
    Action(
        "submit",
        _("Submit the application"),
        _(
            "After submitting you cannot change the application unless the "
            "certifying unit asks for a correction. You will get a receipt."
        ),
        permissions.can_submit,
        _call(services.submit_application),
        done_message=_("The application has been submitted. Here is your receipt."),
        redirect_name="certification:receipt",
        entry_name="certification:application_check",
    ),
    Action(
        "resubmit",
        _("Submit the corrected application"),
        _("The certifying unit will check the application again."),
        permissions.can_resubmit,
        _call(services.resubmit_application),
        done_message=_("The corrected application has been submitted."),
        entry_name="certification:application_check",
    ),
    Action(
        "appeal",
        _("Appeal against the refusal"),
        _(
            "The appeal goes to the appeal unit through the certifying unit that "
            "issued the refusal."
        ),
        permissions.can_appeal,
        _call(services.lodge_appeal),
        form_class=forms.GroundsForm,
        done_message=_("The appeal has been lodged."),
    ),
    Action(
        "withdraw",
        _("Withdraw the application"),
        _(
            "Taking part in certification is voluntary. A withdrawn application "
            "cannot be resumed; you may file a new one later."
        ),
        permissions.can_withdraw,
        _call(services.withdraw_application),
        form_class=forms.NoteForm,
        done_message=_("The application has been withdrawn."),
        style="outline-danger",
    ),
    # The certifying unit.
    Action(
        "accept",
        _("Accept formally"),
        _("The application is formally correct and goes to the merit review."),
        permissions.can_accept_formally,
        _call(services.accept_formally),
        done_message=_("The application has been accepted formally."),
        redirect_name="certification:standard_card",
    ),
    Action(
        "request-correction",
        _("Ask for a correction"),
        _("The applicant gets the list of faults and a deadline to correct them."),
        permissions.can_request_correction,
        _request_correction,
        form_class=forms.CorrectionFaultsForm,
        form_needs_application=True,
        template_name="certification/request_correction.html",
        done_message=_("The applicant has been asked for a correction."),
        style="outline-primary",
    ),
    Action(
        "leave-unprocessed",
        _("Leave unprocessed"),
        _("The applicant did not correct the application by the deadline."),
        permissions.can_leave_unprocessed,
        _call(services.leave_unprocessed),
        done_message=_("The application has been left unprocessed."),
        style="outline-danger",
    ),
    Action(
        "standard-card",
        _("Fill the standard card"),
        _("Compare the declared levels with the required ones."),
        permissions.can_edit_standard_card,
        perform=lambda **kw: None,
        url_name="certification:standard_card",
        style="outline-primary",
    ),
    Action(
        "commission-audit",
        _("Commission the audit"),
        _("The audit unit of the club's voivodeship audits the club on site."),
        permissions.can_commission_audit,
        _call(services.commission_audit),
        done_message=_("The audit has been commissioned."),
    ),
    Action(
        "grant",
        _("Grant the certificate"),
        _("The certificate is issued for three years and entered in the register."),
        permissions.can_grant,
        _call(services.grant_certificate),
        form_class=forms.OptionalReasonsForm,
        done_message=_("The certificate has been granted."),
        style="success",
    ),
    Action(
        "refuse",
        _("Refuse the certificate"),
        _("State the reasons; the applicant may appeal."),
        permissions.can_refuse,
        _call(services.refuse_certificate),
        form_class=forms.ReasonsForm,
        done_message=_("The certificate has been refused."),
        style="outline-danger",
    ),
    Action(
        "finalise",
        _("Close: refusal not appealed"),
        _("The deadline for an appeal has passed without one."),
        permissions.can_finalise,
        _call(services.finalise_refusal),
        done_message=_("The case has been closed."),
        style="outline-secondary",
    ),
    Action(
        "reconsider",
        _("Grant on own review of the appeal"),
        _("The certifying unit finds the appeal justified and grants the certificate."),
        permissions.can_reconsider,
        _call(services.reconsider_appeal),
        form_class=forms.ReasonsForm,
        done_message=_("The certificate has been granted on review of the appeal."),
        style="success",
    ),
    Action(
        "forward",
        _("Forward the appeal"),
        _("The appeal and the case files go to the appeal unit."),
        permissions.can_forward,
        _call(services.forward_appeal),
        done_message=_("The appeal has been forwarded to the appeal unit."),
    ),
    # The audit unit.
    Action(
        "start-audit",
        _("Start the audit"),
        _(
            "Name the team of three experts. Each declares no conflict of interest "
            "with the club, its founding institution and its partners."
        ),
        permissions.can_start_audit,
        _start_audit,
        form_class=forms.StartAuditForm,
        done_message=_("The audit has started."),
        redirect_name="certification:audit_card",
    ),
    Action(
        "audit-card",
        _("Fill the audit card"),
        _("Record what the team found on site, criterion by criterion."),
        permissions.can_edit_audit_card,
        perform=lambda **kw: None,
        url_name="certification:audit_card",
        style="outline-primary",
    ),
    Action(
        "deliver-report",
        _("Deliver the audit report"),
        _("The report goes to the certifying unit for its decision."),
        permissions.can_deliver_report,
        _call(services.deliver_report),
        done_message=_("The audit report has been delivered."),
    ),
    # The appeal unit.
    Action(
        "dismiss",
        _("Dismiss the appeal"),
        _("The refusal stands and the case is closed."),
        permissions.can_dismiss,
        _call(services.dismiss_appeal),
        form_class=forms.ReasonsForm,
        done_message=_("The appeal has been dismissed."),
        style="outline-danger",
    ),
    Action(
        "uphold",
        _("Uphold the appeal"),
        _("The case returns to the certifying unit."),
        permissions.can_uphold,
        _call(services.uphold_appeal),
        form_class=forms.UpholdForm,
        done_message=_("The appeal has been upheld."),
    ),
]

BY_NAME = {action.name: action for action in ACTIONS}


def available(user: User, application: Application) -> list[Action]:
    """The steps this user may take on this case now."""
    return [action for action in ACTIONS if action.permission(user, application)]


def pending(user: User, application: Application) -> list[tuple[Action, str]]:
    """The user's next steps that wait for something, with what they wait for."""
    waiting = []
    for action in ACTIONS:
        verdict = action.permission(user, application)
        if verdict.pending:
            waiting.append((action, verdict.reason))
    return waiting
