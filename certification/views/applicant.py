"""The applicant's screens: registering a club, the club's page, and filling
in the application (Formularz 1).
"""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views import View

from certification import permissions, selectors, services
from certification.forms_applicant import (
    ClubForm,
    StartApplicationForm,
)
from certification.models import Certificate, Club
from certification.services import ActionRefused
from certification.states import Role

from .common import UnitMemberMixin


class ApplicantMixin(UnitMemberMixin):
    """Screens of an applicant institution; to anyone else they do not exist."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if request.user.role != Role.APPLICANT:
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class ClubCreateView(ApplicantMixin, View):
    """Register a club founded by the user's institution."""

    template_name = "certification/applicant/club_form.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = ClubForm(
            initial={
                "token": uuid.uuid4(),
                "voivodeship": request.user.unit.voivodeship_id,
            }
        )
        return render(request, self.template_name, {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = ClubForm(request.POST)
        if form.is_valid():
            try:
                club = services.club_create(
                    by=request.user,
                    data=form.club_data(),
                    token=form.cleaned_data["token"],
                )
            except ActionRefused as refusal:
                messages.error(request, refusal.reason)
                return redirect("certification:home")
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("The club has been registered."))
                # The answers of the readiness check, when the club was
                # registered from it, go on to the start of its application.
                if request.GET:
                    return redirect(
                        f"{club.get_absolute_url()}?{request.GET.urlencode()}"
                    )
                return redirect(club)
        return render(request, self.template_name, {"form": form}, status=400)


class ClubEditView(ApplicantMixin, View):
    """Correct the data of a club."""

    template_name = "certification/applicant/club_form.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        club = selectors.club_for(request.user, pk)
        verdict = permissions.can_edit_club(request.user, club)
        if not verdict:
            messages.error(request, verdict.reason)
            return redirect(club)
        form = ClubForm(instance=club)
        return render(request, self.template_name, {"form": form, "club": club})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        club = selectors.club_for(request.user, pk)
        form = ClubForm(request.POST, instance=Club.objects.get(pk=club.pk))
        if form.is_valid():
            try:
                services.club_update(club=club, by=request.user, data=form.club_data())
            except ActionRefused as refusal:
                messages.error(request, refusal.reason)
                return redirect(club)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, _("The club's data have been saved."))
                return redirect(club)
        context = {"form": form, "club": club}
        return render(request, self.template_name, context, status=400)


class ClubDetailView(ApplicantMixin, View):
    """A club's data and applications; the start of a new application."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        club = selectors.club_for(request.user, pk)
        context = {
            "club": club,
            "applications": selectors.applications_visible_to(request.user).filter(
                club=club
            ),
            # Answers of the readiness self-check arrive in the query string.
            "start_form": StartApplicationForm(
                initial={"token": uuid.uuid4(), "answers": request.GET.urlencode()}
            ),
            "can_start": permissions.can_start_application(request.user, club),
            "can_edit_club": permissions.can_edit_club(request.user, club),
        }
        latest = club.certificates.order_by("-valid_until", "-pk").first()
        if latest is not None and permissions.can_start_renewal(request.user, latest):
            context["renewable"] = latest
            context["renewal_form"] = StartApplicationForm(
                initial={"token": uuid.uuid4()}
            )
        return render(request, "certification/applicant/club_detail.html", context)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        club = selectors.club_for(request.user, pk)
        form = StartApplicationForm(request.POST)
        token = form.cleaned_data["token"] if form.is_valid() else None
        try:
            application = services.application_create(
                by=request.user, club=club, token=token
            )
        except ActionRefused as refusal:
            messages.error(request, refusal.reason)
            return redirect(club)
        levels = form.levels() if form.is_valid() else {}
        if levels:
            try:
                services.application_prefill(
                    application=application, by=request.user, levels=levels
                )
            except ActionRefused as refusal:
                messages.error(request, refusal.reason)
        return redirect("certification:application_edit", application.pk)


class RenewalCreateView(ApplicantMixin, View):
    """Open a draft renewal of a club's certificate."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        certificate = Certificate.objects.filter(pk=pk).first()
        if certificate is None:
            raise Http404
        club = selectors.club_for(request.user, certificate.club_id)
        form = StartApplicationForm(request.POST)
        token = form.cleaned_data["token"] if form.is_valid() else None
        try:
            application = services.renewal_create(
                by=request.user, certificate=certificate, token=token
            )
        except ActionRefused as refusal:
            messages.error(request, refusal.reason)
            return redirect(club)
        return redirect("certification:application_edit", application.pk)
