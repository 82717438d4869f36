"""Screens of accounts: an applicant institution registers itself and
confirms its e-mail address, or asks for the confirmation link again.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View

from certification import accounts
from certification.forms_accounts import (
    ApplicantPasswordResetForm,
    RegistrationForm,
    ResendConfirmationForm,
)
from certification.services import ActionRefused


class RegisterView(View):
    """The registration form of an applicant institution's person."""

    template_name = "registration/register.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated:
            return redirect("certification:home")
        return render(request, self.template_name, {"form": RegistrationForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = RegistrationForm(request.POST)
        if form.is_valid():
            try:
                user = accounts.register_applicant(
                    first_name=form.cleaned_data["first_name"],
                    last_name=form.cleaned_data["last_name"],
                    email=form.cleaned_data["email"],
                    password=form.cleaned_data["password1"],
                    institution=form.institution(),
                )
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                return render(
                    request, "registration/register_done.html", {"email": user.email}
                )
        return render(request, self.template_name, {"form": form}, status=400)


class ConfirmAccountView(View):
    """The link from the e-mail: a button activates the account.

    Opening the link changes nothing, so a mail scanner that follows links
    cannot activate an account on its own.
    """

    template_name = "registration/account_confirm.html"

    def get(self, request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
        try:
            user = accounts.user_of_confirmation(uidb64=uidb64, token=token)
        except ActionRefused as refused:
            return render(
                request, self.template_name, {"refused": refused.reason}, status=400
            )
        return render(request, self.template_name, {"account": user})

    def post(self, request: HttpRequest, uidb64: str, token: str) -> HttpResponse:
        try:
            accounts.confirm_account(uidb64=uidb64, token=token)
        except ActionRefused as refused:
            return render(
                request, self.template_name, {"refused": refused.reason}, status=400
            )
        messages.success(
            request,
            _("Your account is active. Log in with your e-mail address."),
        )
        return redirect("login")


class ResendConfirmationView(View):
    """One address: a new confirmation link goes to it if its account was
    never confirmed. The same page follows whatever the address, so nobody
    learns from it which addresses have accounts.
    """

    template_name = "registration/confirmation_resend.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(request, self.template_name, {"form": ResendConfirmationForm()})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ResendConfirmationForm(request.POST)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        accounts.resend_confirmation(form.cleaned_data["email"])
        return render(
            request,
            "registration/confirmation_resend_done.html",
            {"email": form.cleaned_data["email"]},
        )


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, with the link built from our own address,
    never from the request's Host header, which a forged request controls.
    An account never confirmed gets its confirmation link instead.
    """

    form_class = ApplicantPasswordResetForm

    def form_valid(self, form):
        self.extra_email_context = {"site_url": settings.SCKIS_SITE_URL}
        return super().form_valid(form)


class LogoutView(auth_views.LogoutView):
    """Logging out also asks the browser to forget what it kept for this
    site: the copies of unsaved answers and the cached pages of cases, so the
    next person at a shared computer finds neither.
    """

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = super().post(request, *args, **kwargs)
        response["Clear-Site-Data"] = '"cache", "storage"'
        return response
