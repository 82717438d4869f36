"""Screens shared by every role: start page, case page, and the generic
screen of one step of the process.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View

from certification import (
    actions,
    case_status,
    events,
    permissions,
    queues,
    selectors,
)
from certification.models import Decision
from certification.services import ActionRefused
from certification.states import ApplicationState as S
from certification.states import Role
from certification.views import assignment


def home(request: HttpRequest) -> HttpResponse:
    """The public start page."""
    return render(request, "home.html")


class UnitMemberMixin(LoginRequiredMixin):
    """Screens for people acting for a unit; others are sent to log in."""


class DashboardView(UnitMemberMixin, View):
    """The start page: how many cases wait in each list, and the chosen list."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.unit_id is None:
            messages.info(
                request,
                _("Your account is not attached to any unit. Ask the administrator."),
            )
            return render(request, "certification/dashboard.html", {"sections": []})
        form = queues.QueueFilterForm(request.GET, user=user)
        values = form.values()
        context = {
            "form": form,
            "tallies": queues.tallies(user, values),
            "sections": queues.sections(user, values),
            "is_applicant": user.role == Role.APPLICANT,
            "clubs": selectors.clubs_of(user),
        }
        return render(request, "certification/dashboard.html", context)


class ApplicationDetailView(UnitMemberMixin, View):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = selectors.application_for(request.user, pk)
        context = {
            "application": application,
            "available_actions": [
                (action, action.url(application))
                for action in actions.available(request.user, application)
            ],
            "pending_actions": actions.pending(request.user, application),
            "declarations": application.declarations.select_related("criterion"),
            "card": selectors.current_standard_card(application),
            "audit": selectors.current_audit(application),
            # Corrections (KPA art. 113) are listed under the decision they
            # correct, oldest first.
            "decisions": application.decisions.filter(
                corrects__isnull=True
            ).prefetch_related(
                Prefetch("corrections", queryset=Decision.objects.order_by("issued_at"))
            ),
            "correctable_decisions": {
                decision.pk
                for decision in application.decisions.filter(corrects__isnull=True)
                if permissions.can_correct_decision(request.user, decision)
            },
            "appeals": application.appeals.all(),
            "certificate": getattr(application, "certificate", None),
            "history": [
                (transition, events.label(transition.event))
                for transition in selectors.history(application)
            ],
            "can_edit": permissions.can_edit(request.user, application),
            "correction": selectors.correction_faults(application),
            "resubmission": selectors.changes_in_last_resubmission(application),
            "assign_form": assignment.form_for(request.user, application),
            "case_status": case_status.case_status(application, request.user),
            "S": S,
        }
        return render(request, "certification/application_detail.html", context)


class ReceiptView(UnitMemberMixin, View):
    """The receipt of submission (recommendation Nr 4: no trial certificate)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = selectors.application_for(request.user, pk)
        submitted = application.transitions.filter(event=events.SUBMITTED).first()
        if submitted is None:
            return redirect(application)
        return render(
            request,
            "certification/receipt.html",
            {
                "application": application,
                "submitted": submitted,
                "case_status": case_status.case_status(application, request.user),
            },
        )


class ActionView(UnitMemberMixin, View):
    """One step of the process: a form on GET, the service on POST."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.action = actions.BY_NAME.get(kwargs["name"])
        if self.action is None or self.action.url_name != "certification:action":
            raise Http404
        self.application = selectors.application_for(request.user, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def make_form(self, data=None, initial=None):
        extra = (
            {"application": self.application}
            if self.action.form_needs_application
            else {}
        )
        return self.action.form_class(data, initial=initial, **extra)

    def render_form(self, request, form, status=200):
        verdict = self.action.permission(request.user, self.application)
        return render(
            request,
            self.action.template_name,
            {
                "application": self.application,
                "action": self.action,
                "form": form,
                "verdict": verdict,
            },
            status=status,
        )

    def get(self, request: HttpRequest, pk: int, name: str) -> HttpResponse:
        form = self.make_form(initial={"expected_state": self.application.state})
        return self.render_form(request, form)

    def post(self, request: HttpRequest, pk: int, name: str) -> HttpResponse:
        form = self.make_form(request.POST)
        if not form.is_valid():
            return self.render_form(request, form, status=400)
        expected = form.cleaned_data.get("expected_state")
        if expected and expected != self.application.state:
            # A second click or a resent form: the step was already taken.
            messages.info(
                request,
                _("This step has already been taken; the case is now: %(state)s.")
                % {"state": self.application.get_state_display()},
            )
            return redirect(self.application)
        try:
            self.action.perform(
                application=self.application, by=request.user, data=form.cleaned_data
            )
        except ActionRefused as refusal:
            messages.error(request, refusal.reason)
            return redirect(self.application)
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
            return self.render_form(request, form, status=400)
        messages.success(request, self.action.done_message)
        return redirect(self.action.redirect_to(self.application))
