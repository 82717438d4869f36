"""The application (Formularz 1) as the applicant fills it: a task list of
sections, one page per section saved as the applicant goes, and a page to
check every answer before submitting.

Nothing typed is lost when the session ends: a section posted after the
login expired is kept in the session while the person logs in again, and
shown back, unsaved, for them to check and save.
"""

import datetime
import json

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db import transaction
from django.forms import CheckboxInput
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from certification import application_sections, permissions, selectors, services
from certification.application_sections import SectionKind
from certification.forms import ConfirmForm
from certification.forms_applicant import (
    AuthorisedPersonForm,
    ClubSectionForm,
    CriteriaSectionForm,
    InstitutionForm,
    RegisterEntryForm,
)
from certification.models import SubmissionRecord
from certification.services import ActionRefused, SectionChanged
from certification.states import ApplicationState as S

# Where the session keeps sections posted after the login had expired.
PENDING_KEY = "pending_sections"
# How much is kept while logged out: a few pages, each as large as a section
# filled to its limits can be.
PENDING_MAX_PAGES = 5
PENDING_MAX_BYTES = 200_000
# The query parameter that brings the applicant back to the check page.
RETURN_TO_CHECK = "sprawdz"


def _is_autosave(request: HttpRequest) -> bool:
    return request.headers.get("X-Autosave") == "1"


class ApplicationPageMixin:
    """Reads the application the person may see, or answers 404."""

    def load(self, request: HttpRequest, pk: int):
        self.application = selectors.application_for(request.user, pk)
        self.verdict = permissions.can_edit(request.user, self.application)
        section = getattr(self, "section", None)
        if (
            self.verdict
            and section is not None
            and section.kind == SectionKind.APPLICANT
        ):
            # The institution's data are shared by all its applications.
            self.verdict = permissions.can_edit_institution(
                request.user, self.application.applicant_unit
            )


class TaskListView(ApplicationPageMixin, View):
    """The sections of the application with their status."""

    template_name = "certification/applicant/task_list.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.load(request, pk)
        application = self.application
        states = application_sections.task_list(application)
        required = [state for state in states if not state.section.optional]
        context = {
            "application": application,
            "verdict": self.verdict,
            "sections": states,
            "complete_count": sum(1 for state in required if not state.gaps),
            "required_count": len(required),
            "ready": all(not state.gaps for state in required),
            "S": S,
        }
        status = 200 if self.verdict else 403
        return render(request, self.template_name, context, status=status)


class SectionView(ApplicationPageMixin, View):
    """One section of the application, saved on its own."""

    template_name = "certification/applicant/section.html"

    def dispatch(self, request, *args, **kwargs):
        self.section = application_sections.BY_SLUG.get(kwargs["slug"])
        if self.section is None or self.section.kind == SectionKind.ATTACHMENTS:
            raise Http404
        if not request.user.is_authenticated:
            return self.logged_out(request)
        self.load(request, kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def logged_out(self, request: HttpRequest) -> HttpResponse:
        """The login has expired: keep what was posted for after the login."""
        if request.method == "POST":
            pending = request.session.get(PENDING_KEY, {})
            data = {
                key: request.POST.getlist(key)
                for key in request.POST
                if key != "csrfmiddlewaretoken"
            }
            if sum(len(value) for values in data.values() for value in values) <= (
                PENDING_MAX_BYTES
            ):
                pending = dict(list(pending.items())[-(PENDING_MAX_PAGES - 1) :])
                pending[request.path] = data
                request.session[PENDING_KEY] = pending
            if not _is_autosave(request):
                messages.info(
                    request,
                    _(
                        "Your session has ended, so the page was not saved. Log "
                        "in again: what you typed is kept and will be shown back "
                        "to you."
                    ),
                )
            if _is_autosave(request):
                return JsonResponse(
                    {
                        "saved": False,
                        "logged_out": True,
                        "message": _(
                            "Your session has ended. Log in again: what you "
                            "typed is kept in this browser."
                        ),
                    },
                    status=401,
                )
        return redirect_to_login(request.get_full_path())

    # The forms of each kind of section.

    def make_form(self, data=None):
        application = self.application
        kind = self.section.kind
        if kind == SectionKind.APPLICANT:
            return InstitutionForm(data, instance=self._fresh_unit())
        if kind == SectionKind.AUTHORISED_PERSON:
            return AuthorisedPersonForm(
                data,
                initial={
                    "authorised_person": application.authorised_person,
                    "authorised_person_contact": (
                        application.authorised_person_contact
                    ),
                },
            )
        if kind == SectionKind.CLUB:
            return ClubSectionForm(data, instance=self._fresh_club())
        if kind == SectionKind.REGISTER:
            return RegisterEntryForm(data, instance=self._fresh_club())
        return CriteriaSectionForm(
            data, application=application, group=self.section.group
        )

    def _fresh_unit(self):
        # A copy the form may change while validating; the service saves.
        unit = self.application.applicant_unit
        return type(unit).objects.get(pk=unit.pk)

    def _fresh_club(self):
        club = self.application.club
        return type(club).objects.get(pk=club.pk)

    def save(self, request: HttpRequest, form) -> None:
        application = self.application
        kind = self.section.kind
        if kind == SectionKind.APPLICANT:
            services.institution_update(
                by=request.user,
                unit=application.applicant_unit,
                data=form.section_data(),
            )
        elif kind == SectionKind.AUTHORISED_PERSON:
            services.application_update(
                application=application,
                by=request.user,
                authorised_person=form.cleaned_data["authorised_person"],
                authorised_person_contact=form.cleaned_data[
                    "authorised_person_contact"
                ],
            )
        elif kind in (SectionKind.CLUB, SectionKind.REGISTER):
            services.club_update(
                club=application.club,
                by=request.user,
                data={name: form.cleaned_data[name] for name in form._meta.fields},
            )
        else:
            services.application_update(
                application=application,
                by=request.user,
                declarations=form.declarations_data(),
            )

    def render_section(self, request, form, *, status=200, restored=False, conflict=""):
        application = self.application
        material = application_sections.Material.of(
            type(application).objects.get(pk=application.pk)
        )
        faults = application_sections.by_section(
            application_sections.faults_to_correct(application)
        ).get(self.section.kind, [])
        section_faults = [fault for fault in faults if fault.criterion_id is None]
        faults_by_criterion = application_sections.by_criterion(faults)
        following = application_sections.next_section(self.section)
        context = {
            "application": application,
            "verdict": self.verdict,
            "section": self.section,
            "position": application_sections.SECTIONS.index(self.section) + 1,
            "section_count": len(application_sections.SECTIONS),
            "next_section": following,
            "form": form,
            "rows": (
                form.rows(faults_by_criterion)
                if isinstance(form, CriteriaSectionForm)
                else []
            ),
            "section_faults": section_faults,
            "error_summary": form.error_summary() if form.is_bound else [],
            "return_to_check": request.GET.get("powrot") == RETURN_TO_CHECK,
            "restored": restored,
            # The fingerprint of the saved answers this page is shown with.
            "revision": getattr(self, "posted_revision", "")
            or application_sections.revision(material, self.section),
            "conflict": conflict,
            # What the page's fields held when it was shown, to tell later
            # which of them this page changed.
            "base": getattr(self, "posted_base", "")
            or json.dumps(_base_of(self.make_form())),
            "saved_answers": (
                application_sections.answers(material, self.section) if conflict else []
            ),
            "S": S,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int, slug: str) -> HttpResponse:
        if not self.verdict:
            return render(
                request,
                self.template_name,
                {
                    "application": self.application,
                    "verdict": self.verdict,
                    "section": self.section,
                },
                status=403,
            )
        pending = request.session.get(PENDING_KEY, {})
        if request.path in pending:
            data = pending.pop(request.path)
            request.session[PENDING_KEY] = pending
            form = self.make_form(_query_dict(data))
            form.is_valid()
            # Compared, when saved, with the answers the page was first
            # opened with: a colleague's save in between is not undone.
            self.posted_revision = (data.get("revision") or [""])[0]
            self.posted_base = (data.get("base") or [""])[0]
            messages.warning(
                request,
                _(
                    "Your session had ended before this page was saved. We kept "
                    "what you typed: check it and save it."
                ),
            )
            return self.render_section(request, form, restored=True)
        return self.render_section(request, self.make_form())

    def post(self, request: HttpRequest, pk: int, slug: str) -> HttpResponse:
        autosave = _is_autosave(request)
        if not self.verdict:
            if autosave:
                return JsonResponse(
                    {"saved": False, "message": str(self.verdict.reason)}, status=403
                )
            messages.error(request, self.verdict.reason)
            return redirect(self.application)
        form = self.make_form(request.POST)
        if form.is_valid():
            try:
                with transaction.atomic():
                    services.check_section_revision(
                        application=self.application,
                        section=self.section,
                        revision=request.POST.get("revision", ""),
                    )
                    self.save(request, form)
            except SectionChanged as conflict:
                if autosave:
                    return JsonResponse(
                        {"saved": False, "conflict": True, "message": str(conflict)},
                        status=409,
                    )
                return self.render_section(
                    request,
                    self._merged_form(request, form),
                    status=409,
                    conflict=str(conflict),
                )
            except ActionRefused as refusal:
                if autosave:
                    return JsonResponse(
                        {"saved": False, "message": str(refusal.reason)}, status=403
                    )
                messages.error(request, refusal.reason)
                return redirect(self.application)
            except ValidationError as error:
                form.add_service_errors(error)
        if form.errors:
            if autosave:
                return JsonResponse(
                    {
                        "saved": False,
                        "errors": {
                            name: [str(message) for message in messages_]
                            for name, messages_ in form.errors.items()
                        },
                    },
                    status=400,
                )
            return self.render_section(request, form, status=400)

        if autosave:
            return JsonResponse(self._saved_state())
        messages.success(request, _("The section has been saved."))
        return redirect(self._after_save(request))

    def _merged_form(self, request: HttpRequest, form):
        """The form of a refused save, put together for a second look: what
        this page changed since it was opened stays as typed, every other
        field shows what is saved now, so saving again keeps both people's
        work.
        """
        try:
            base = json.loads(request.POST.get("base") or "")
        except ValueError:
            return form
        saved = self.make_form()
        merged = QueryDict(mutable=True)
        for name in form.fields:
            unchanged = (
                name in base
                and _serialised(form.cleaned_data.get(name)) == (base[name])
            )
            if unchanged:
                merged.setlist(name, _as_posted(saved, name))
            else:
                merged.setlist(name, request.POST.getlist(name))
        merged_form = self.make_form(merged)
        merged_form.is_valid()
        return merged_form

    def _saved_state(self) -> dict:
        # The services saved copies of their own: read what they saved,
        # the application with its club and institution.
        self.application.refresh_from_db()
        material = application_sections.Material.of(self.application)
        status = application_sections.status(material, self.section)
        return {
            "saved": True,
            "revision": application_sections.revision(material, self.section),
            "saved_at": timezone.localtime().strftime("%H:%M"),
            "status": status.value,
            "status_label": str(status.label),
        }

    def _after_save(self, request: HttpRequest) -> str:
        pk = self.application.pk
        if request.GET.get("powrot") == RETURN_TO_CHECK:
            return reverse("certification:application_check", args=[pk])
        if request.POST.get("next") == "continue":
            following = application_sections.next_section(self.section)
            if following is not None:
                return section_url(pk, following)
            return reverse("certification:application_check", args=[pk])
        return reverse("certification:application_edit", args=[pk])


def _serialised(value) -> str:
    """A field's value in one comparable form, typed or as stored."""
    if value is None or value is False or value == "":
        return ""
    if value is True:
        return "1"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value)


def _base_of(form) -> dict[str, str]:
    """The values an unbound form shows, by field name."""
    return {name: _serialised(form[name].initial) for name in form.fields}


def _as_posted(form, name: str) -> list[str]:
    """A field's shown value as a browser would post it."""
    value = form[name].initial
    widget = form.fields[name].widget
    if isinstance(widget, CheckboxInput):
        return ["on"] if value else []
    if value is None:
        return [""]
    formatted = widget.format_value(value)
    if isinstance(formatted, list):
        return [str(item) for item in formatted]
    return ["" if formatted is None else str(formatted)]


def section_url(pk: int, section: application_sections.Section) -> str:
    if section.kind == SectionKind.ATTACHMENTS:
        return reverse("certification:attachments", args=[pk])
    return reverse("certification:application_section", args=[pk, section.slug])


def _query_dict(data: dict):
    query = QueryDict(mutable=True)
    for key, values in data.items():
        query.setlist(key, values)
    return query


class CheckAnswersView(ApplicationPageMixin, View):
    """Every answer of the application, section by section, with what is
    still missing and, after a correction, what changed since the last
    submission; the submission itself is the last step of this page.
    """

    template_name = "certification/applicant/check_answers.html"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        self.load(request, pk)
        application = self.application
        material = application_sections.Material.of(application)
        sections = []
        for state in application_sections.task_list(application, material):
            sections.append(
                {
                    "state": state,
                    "answers": application_sections.answers(material, state.section),
                    "url": section_url(application.pk, state.section),
                }
            )
        last = (
            SubmissionRecord.objects.filter(application=application)
            .order_by("-transition__at", "-pk")
            .first()
        )
        changes = (
            application_sections.changes(
                last.answers, application_sections.record(application)
            )
            if last is not None
            else None
        )
        submit_action = "resubmit" if application.state == S.CORRECTION else "submit"
        can_submit = (
            permissions.can_resubmit(request.user, application)
            if submit_action == "resubmit"
            else permissions.can_submit(request.user, application)
        )
        context = {
            "application": application,
            "verdict": self.verdict,
            "sections": sections,
            "gaps": application_sections.submission_gaps(application),
            "changes": changes,
            "last_submission": last,
            "submit_action": submit_action,
            "can_submit": can_submit,
            "submit_form": ConfirmForm(initial={"expected_state": application.state}),
            "return_to_check": RETURN_TO_CHECK,
            "S": S,
        }
        return render(request, self.template_name, context)
