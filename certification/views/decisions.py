"""Correcting an obvious error in an issued decision (KPA art. 113,
sprostowanie): a form for the officer of the unit that issued it.

Whoever may not see the case gets 404; a person who sees it but may not
correct the decision reads the reason. The service keeps the corrected
decision as issued and issues the correction as a new decision.
"""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View

from certification import permissions, selectors, services

from .common import UnitMemberMixin


class DecisionCorrectionForm(forms.Form):
    correction = forms.CharField(
        max_length=5000,
        label=_("What is corrected"),
        help_text=_(
            "Name the obvious error (a misspelt name, a wrong date or number) "
            "and give the correct wording. The correction is issued as a new "
            "decision; the corrected one stays as it was issued."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Say what is corrected and how.")},
    )
    # How many corrections the officer saw: a resent form changes nothing.
    expected_corrections = forms.IntegerField(
        widget=forms.HiddenInput, required=False, min_value=0
    )


class DecisionCorrectView(UnitMemberMixin, View):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.application = selectors.application_for(request.user, kwargs["pk"])
        self.decision = self.application.decisions.filter(
            pk=kwargs["decision_pk"]
        ).first()
        if self.decision is None:
            raise Http404
        self.verdict = permissions.can_correct_decision(request.user, self.decision)
        return super().dispatch(request, *args, **kwargs)

    def render_form(self, form, *, status: int = 200) -> HttpResponse:
        context = {
            "application": self.application,
            "decision": self.decision,
            "form": form,
            "verdict": self.verdict,
        }
        return render(
            self.request, "certification/decision_correct.html", context, status=status
        )

    def get(self, request: HttpRequest, pk: int, decision_pk: int) -> HttpResponse:
        form = DecisionCorrectionForm(
            initial={"expected_corrections": self.decision.corrections.count()}
        )
        return self.render_form(form)

    def post(self, request: HttpRequest, pk: int, decision_pk: int) -> HttpResponse:
        form = DecisionCorrectionForm(request.POST)
        if not self.verdict:
            return self.render_form(form, status=403)
        if not form.is_valid():
            return self.render_form(form, status=400)
        try:
            services.correct_decision(
                decision=self.decision,
                by=request.user,
                correction=form.cleaned_data["correction"],
                expected_corrections=form.cleaned_data["expected_corrections"],
            )
        except services.ActionRefused as refusal:
            messages.error(request, refusal.reason)
            return redirect(self.application)
        except ValidationError as error:
            for field, field_errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, field_errors)
            return self.render_form(form, status=400)
        messages.success(
            request,
            _(
                "The correction has been issued as a new decision; the corrected "
                "decision stays as it was issued."
            ),
        )
        return redirect(
            f"{self.application.get_absolute_url()}#decision-{self.decision.pk}"
        )
