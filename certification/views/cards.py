"""The two card screens: the officer's standard card (Formularz 3) and the
auditors' audit card. Whoever may see the case may read a card; the services
decide who may save it, and refuse a save based on an outdated revision.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View

from certification import permissions, selectors, services
from certification.forms_cards import AuditCardForm, CardForm, StandardCardForm
from certification.states import Result

from .common import UnitMemberMixin


class CardView(UnitMemberMixin, View):
    """One card of a case: read on GET, saved through its service on POST.

    Subclasses name the template and the permission, build the form from the
    card (None while the case has no card yet) and call the service.
    """

    template_name: str

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.application = selectors.application_for(request.user, kwargs["pk"])
        self.verdict = self.permission(request.user, self.application)
        return super().dispatch(request, *args, **kwargs)

    def permission(self, user, application) -> permissions.Verdict:
        raise NotImplementedError

    def make_form(self, data=None) -> CardForm | None:
        raise NotImplementedError

    def save(self, form) -> None:
        raise NotImplementedError

    def saved(self, form) -> HttpResponse:
        raise NotImplementedError

    def context(self, form) -> dict:
        return {}

    def declarations(self) -> dict:
        return {
            declaration.criterion_id: declaration
            for declaration in self.application.declarations.all()
        }

    def render_card(self, form, *, status: int = 200, refusal: str = ""):
        context = {
            "application": self.application,
            "verdict": self.verdict,
            "editable": bool(self.verdict) and form is not None,
            "form": form,
            "refusal": refusal,
            **(self.context(form) if form is not None else {}),
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_card(self.make_form())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not self.verdict:
            return self.render_card(
                self.make_form(), status=403, refusal=self.verdict.reason
            )
        form = self.make_form(request.POST)
        if form is None:
            return self.render_card(form, status=404)
        if not form.is_valid():
            return self.render_card(form, status=400)

        try:
            self.save(form)
        except services.StaleEdit as stale:
            # Keep what the user typed: they copy it into the current version.
            return self.render_card(form, status=409, refusal=stale.reason)
        except services.ActionRefused as refusal:
            # The case moved on since the page was opened.
            self.verdict = permissions.Verdict(False, refusal.reason)
            return self.render_card(form, status=403, refusal=refusal.reason)
        except ValidationError as error:
            form.add_service_errors(error)
            return self.render_card(form, status=400)

        return self.saved(form)


class StandardCardView(CardView):
    """The officer compares the declared levels with the required ones."""

    template_name = "certification/cards/standard_card.html"

    def permission(self, user, application) -> permissions.Verdict:
        return permissions.can_edit_standard_card(user, application)

    def make_form(self, data=None) -> StandardCardForm | None:
        card = selectors.current_standard_card(self.application)
        if card is None:
            return None
        return StandardCardForm(data, card=card, declarations=self.declarations())

    def context(self, form) -> dict:
        results = [row.result for row in form.items]
        return {
            "card": form.card,
            "fulfilled": results.count(Result.FULFILLED),
            "deviation": results.count(Result.DEVIATION),
        }

    def save(self, form) -> None:
        services.standard_card_save(
            card=form.card,
            by=self.request.user,
            revision=form.cleaned_data["revision"],
            results=form.results(),
            final_opinion=form.cleaned_data["final_opinion"],
            complete=form.cleaned_data["complete"],
        )

    def saved(self, form) -> HttpResponse:
        if form.cleaned_data["complete"]:
            messages.success(self.request, _("The standard card has been completed."))
            return redirect(self.application)
        messages.success(self.request, _("The standard card has been saved."))
        return redirect("certification:standard_card", pk=self.application.pk)


class AuditCardView(CardView):
    """The auditors record what they found on site and conclude the audit."""

    template_name = "certification/cards/audit_card.html"

    def permission(self, user, application) -> permissions.Verdict:
        return permissions.can_edit_audit_card(user, application)

    def make_form(self, data=None) -> AuditCardForm | None:
        audit = selectors.current_audit(self.application)
        if audit is None:
            return None
        return AuditCardForm(data, audit=audit, declarations=self.declarations())

    def context(self, form) -> dict:
        return {
            "audit": form.audit,
            "can_deliver_report": permissions.can_deliver_report(
                self.request.user, self.application
            ),
        }

    def save(self, form) -> None:
        services.audit_card_save(
            audit=form.audit,
            by=self.request.user,
            revision=form.cleaned_data["revision"],
            findings=form.findings(),
            register_entry_confirmation=form.cleaned_data[
                "register_entry_confirmation"
            ],
            conclusion=form.cleaned_data["conclusion"],
            conclusion_positive=form.cleaned_data["conclusion_positive"],
        )

    def saved(self, form) -> HttpResponse:
        messages.success(self.request, _("The audit card has been saved."))
        return redirect("certification:audit_card", pk=self.application.pk)
