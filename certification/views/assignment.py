"""Putting a person in charge of a case, from a small form on the case page."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views import View

from certification import permissions, selectors, services
from certification.models import Application, User
from certification.states import Role


class AssignForm(forms.Form):
    """A person of the user's own unit, to be put in charge of the case."""

    person = forms.ModelChoiceField(
        label=_("Person in charge"),
        queryset=User.objects.none(),
        empty_label=None,
    )

    def __init__(self, *args, user: User, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["person"]
        field.queryset = User.objects.filter(
            unit_id=user.unit_id, is_active=True
        ).order_by("last_name", "first_name", "username")
        field.label_from_instance = lambda person: person.display_name
        current = (
            application.assigned_officer_id
            if user.role == Role.OFFICER
            else application.assigned_auditor_id
        )
        field.initial = current or user.pk


def form_for(user: User, application: Application) -> AssignForm | None:
    """The assignment form for the case page, if the user may assign the case."""
    if not permissions.can_assign(user, application):
        return None
    return AssignForm(user=user, application=application)


class AssignView(LoginRequiredMixin, View):
    """POST: put the chosen person in charge, then back to the case page."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        application = selectors.application_for(request.user, pk)
        form = AssignForm(request.POST, user=request.user, application=application)
        if not form.is_valid():
            messages.error(request, _("Choose a person of your unit."))
            return redirect(application)
        person = form.cleaned_data["person"]
        role_field = "officer" if request.user.role == Role.OFFICER else "auditor"
        try:
            services.assign_case(
                application=application, by=request.user, **{role_field: person}
            )
        except services.ActionRefused as refusal:
            messages.error(request, refusal.reason)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("%(name)s is now in charge of the case.")
                % {"name": person.display_name},
            )
        return redirect(application)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return redirect(selectors.application_for(request.user, pk))
