"""The business verbs of certification: the only callers of transitions.

Each service takes keyword-only arguments with the actor as `by`, runs in one
transaction, checks the permission on a locked and re-read row, moves the
state, records the step, schedules e-mail on commit and returns the object.
A refused step raises `ActionRefused` and changes nothing.
"""

import datetime
import hashlib
import logging
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition

from certification import (
    application_sections,
    deadlines,
    events,
    permissions,
    selectors,
)
from certification.models import (
    Appeal,
    Application,
    Audit,
    AuditExpert,
    AuditFinding,
    Certificate,
    Club,
    CorrectionFault,
    CriteriaVersion,
    Criterion,
    Decision,
    Declaration,
    StandardCard,
    StandardCardRow,
    SubmissionRecord,
    Transition,
    Unit,
    User,
)
from certification.notifications import notify
from certification.states import (
    AppealOutcome,
    ApplicationKind,
    ApplicationState,
    DecisionKind,
    Level,
    Result,
)

logger = logging.getLogger(__name__)


class ActionRefused(Exception):
    """A step the user may not take now; the message says why, for the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class StaleEdit(ActionRefused):
    """Someone else saved the same card since this user opened it."""


def _require(verdict: permissions.Verdict, application: Application, verb: str) -> None:
    if not verdict:
        logger.warning("Refused %s on application %s", verb, application.pk)
        raise ActionRefused(verdict.reason)


def _lock(application: Application) -> Application:
    """Re-read the application under a row lock, so that of two people acting
    at once the second sees the first one's result.
    """
    return Application.objects.select_for_update().get(pk=application.pk)


def _record(
    application: Application,
    *,
    by: User | None,
    event: str,
    from_state: str,
    note: str = "",
) -> Transition:
    try:
        application.save()
    except ConcurrentTransition:
        # Another request moved the case first; this one changes nothing.
        raise ActionRefused(
            _("Someone else has just changed this case. Reload it and try again.")
        ) from None
    transition = Transition.objects.create(
        application=application,
        event=event,
        from_state=from_state,
        to_state=application.state,
        actor=by,
        actor_unit_name=by.unit.full_name if by is not None and by.unit_id else "",
        at=timezone.now(),
        note=note,
    )
    logger.info(
        "Application %s: %s (%s -> %s)",
        application.pk,
        event,
        from_state,
        application.state,
    )
    return transition


def _record_work(
    application: Application, *, by: User, event: str, note: str = ""
) -> Transition:
    """Record work on a card that does not move the case, in the same history."""
    return Transition.objects.create(
        application=application,
        event=event,
        from_state=application.state,
        to_state=application.state,
        actor=by,
        actor_unit_name=by.unit.full_name if by.unit_id else "",
        at=timezone.now(),
        note=note,
    )


def _required_text(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError({field: message})
    return value


# The applicant's side.


@transaction.atomic
def club_create(*, by: User, data: dict, token: uuid.UUID | None = None) -> Club:
    """Register a club founded by the user's institution."""
    if by.role != "applicant":
        raise ActionRefused(_("Only an applicant institution can register a club."))

    # Serialise creations per institution, so that a double click cannot
    # pass the token check twice.
    Unit.objects.select_for_update().get(pk=by.unit_id)
    if token is not None:
        existing = Club.objects.filter(creation_token=token).first()
        if existing is not None:
            if existing.founding_unit_id != by.unit_id:
                raise ActionRefused(_("This form has expired. Open it again."))
            return existing

    club = Club(founding_unit=by.unit, creation_token=token, **data)
    club.full_clean()
    club.save()

    logger.info("Club %s created", club.pk)
    return club


@transaction.atomic
def club_update(*, club: Club, by: User, data: dict) -> Club:
    """Correct the data of a club, as its founding institution."""
    club = Club.objects.select_for_update().get(pk=club.pk)
    verdict = permissions.can_edit_club(by, club)
    if not verdict:
        raise ActionRefused(verdict.reason)
    if club.applications.exists() and data.get("voivodeship") not in (
        None,
        club.voivodeship,
    ):
        raise ValidationError(
            {
                "voivodeship": _(
                    "The voivodeship cannot change once the club has applied: "
                    "the application is with that voivodeship's units."
                )
            }
        )

    for name, value in data.items():
        setattr(club, name, value)
    club.full_clean()
    club.save()

    logger.info("Club %s updated", club.pk)
    return club


@transaction.atomic
def application_create(
    *, by: User, club: Club, token: uuid.UUID | None = None
) -> Application:
    """Open a draft application for a club, with one declaration per criterion."""
    verdict = permissions.can_start_application(by, club)
    if token is not None:
        existing = Application.objects.filter(creation_token=token).first()
        if existing is not None:
            if existing.applicant_unit_id != by.unit_id:
                raise ActionRefused(_("This form has expired. Open it again."))
            return existing
    if not verdict:
        raise ActionRefused(verdict.reason)

    # Lock the club: of two requests at once, the second sees the first's draft.
    club = Club.objects.select_for_update().get(pk=club.pk)
    verdict = permissions.can_start_application(by, club)
    if not verdict:
        raise ActionRefused(verdict.reason)
    version = CriteriaVersion.current()
    certifying_unit = selectors.certifying_unit_of(club.voivodeship_id)
    if version is None or certifying_unit is None:
        raise ActionRefused(
            _(
                "Applications cannot be filed yet: the system is not configured "
                "for this voivodeship. Contact the administrator."
            )
        )

    application = Application.objects.create(
        club=club,
        kind=ApplicationKind.INITIAL,
        applicant_unit=club.founding_unit,
        certifying_unit=certifying_unit,
        criteria_version=version,
        creation_token=token,
        created_by=by,
    )
    Declaration.objects.bulk_create(
        Declaration(application=application, criterion=criterion)
        for criterion in version.criteria.all()
    )

    logger.info("Application %s created for club %s", application.pk, club.pk)
    return application


@transaction.atomic
def application_update(
    *,
    application: Application,
    by: User,
    authorised_person: str | None = None,
    authorised_person_contact: str | None = None,
    declarations: dict[int, dict] | None = None,
) -> Application:
    """Save what the applicant typed into its draft or corrected application.

    Each section of the form saves only its own part: what is left as None
    stays as it was. `declarations` maps a criterion id to its `level`,
    `not_applicable` and `description`, and for a renewal
    `changed_since_last`.
    """
    application = _lock(application)
    _require(permissions.can_edit(by, application), application, "update")
    declarations = declarations or {}

    errors = {}
    for field, value in (
        ("authorised_person", authorised_person),
        ("authorised_person_contact", authorised_person_contact),
    ):
        if value is not None and len(value.strip()) > 200:
            errors[field] = _("Use at most 200 characters.")
    for criterion_id, values in declarations.items():
        if values.get("level") not in (None, *Level.values):
            errors[f"level_{criterion_id}"] = _("Choose one of the levels.")
        if len(values.get("description") or "") > 4000:
            errors[f"description_{criterion_id}"] = _("Use at most 4000 characters.")
    if errors:
        raise ValidationError(errors)

    if authorised_person is not None:
        application.authorised_person = authorised_person.strip()
    if authorised_person_contact is not None:
        application.authorised_person_contact = authorised_person_contact.strip()
    application.save(
        update_fields=["authorised_person", "authorised_person_contact", "updated_at"]
    )

    for declaration in application.declarations.select_related("criterion"):
        values = declarations.get(declaration.criterion_id)
        if values is None:
            continue
        declaration.level = values.get("level")
        declaration.not_applicable = bool(values.get("not_applicable")) and (
            declaration.criterion.applies_only_where_needed
        )
        declaration.description = (values.get("description") or "").strip()
        if "changed_since_last" in values:
            declaration.changed_since_last = bool(values["changed_since_last"]) and (
                application.kind == ApplicationKind.RENEWAL
            )
        declaration.save()

    return application


class SectionChanged(Exception):
    """The section was saved by someone else since the page was opened."""


def check_section_revision(*, application: Application, section, revision: str) -> None:
    """Within the transaction of a section's save: lock the rows the section
    is saved to and refuse the save if its answers are no longer those the
    page was opened with.

    The application is locked first, then the row that holds the section's
    data where it is shared: the club (also edited from the club's page) or
    the institution (shared by all its applications). Two saves of the same
    data thus never interleave, whichever page or application they come from.
    """
    application = _lock(application)
    kind = application_sections.SectionKind
    if section.kind == kind.APPLICANT:
        Unit.objects.select_for_update().get(pk=application.applicant_unit_id)
    elif section.kind in (kind.CLUB, kind.REGISTER):
        Club.objects.select_for_update().get(pk=application.club_id)
    if not revision:
        # A form sent without a fingerprint (not one of our pages) is not
        # compared; every page of a section sends one.
        return
    material = application_sections.Material.of(
        Application.objects.get(pk=application.pk)
    )
    if application_sections.revision(material, section) != revision:
        raise SectionChanged(
            _(
                "This section was saved in another window or by a colleague "
                "after you opened it. Nothing of yours has been saved yet: "
                "compare with the saved answers below and save again to keep "
                "your version."
            )
        )


@transaction.atomic
def institution_update(*, by: User, unit: Unit, data: dict) -> Unit:
    """Correct the name, address and contact of the applicant institution,
    as one of its people. Issued decisions and certificates keep the names
    they were issued with; the PDFs of the application and of the receipt are
    rendered from the current data.
    """
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    verdict = permissions.can_edit_institution(by, unit)
    if not verdict:
        raise ActionRefused(verdict.reason)
    allowed = {"name", "street", "postal_code", "city", "phone", "email"}
    for name, value in data.items():
        if name in allowed:
            setattr(unit, name, value.strip() if isinstance(value, str) else value)
    unit.full_clean()
    unit.save()
    logger.info("Institution %s updated", unit.pk)
    return unit


@transaction.atomic
def application_prefill(
    *, application: Application, by: User, levels: dict[str, int | None]
) -> Application:
    """Pre-fill the declared levels with the answers of the readiness check.

    `levels` maps a criterion code to a level, or to None where the club says
    the criterion does not apply. Only declarations still empty are filled,
    so a resent form never overwrites what the applicant has typed since.
    """
    application = _lock(application)
    _require(permissions.can_edit(by, application), application, "prefill")

    for declaration in application.declarations.select_related("criterion"):
        criterion = declaration.criterion
        if criterion.code not in levels:
            continue
        if declaration.level is not None or declaration.not_applicable:
            continue
        level = levels[criterion.code]
        if level is None and criterion.applies_only_where_needed:
            declaration.not_applicable = True
        elif level in Level.values:
            declaration.level = level
        else:
            continue
        declaration.save(update_fields=["level", "not_applicable"])

    logger.info("Application %s pre-filled from the readiness check", application.pk)
    return application


@transaction.atomic
def renewal_create(
    *, by: User, certificate: Certificate, token: uuid.UUID | None = None
) -> Application:
    """Open a draft renewal of a certificate, copying what the club declared.

    The declarations of the certificate's application are copied for the
    criteria of the current version with the same code; new criteria are
    left empty. Allowed while the certificate is valid or ended within the
    last 30 days (permissions.RENEWAL_GRACE_DAYS).
    """
    verdict = permissions.can_start_renewal(by, certificate)
    if token is not None:
        existing = Application.objects.filter(creation_token=token).first()
        if existing is not None:
            if existing.applicant_unit_id != by.unit_id:
                raise ActionRefused(_("This form has expired. Open it again."))
            return existing
    if not verdict:
        logger.warning("Refused renewal of certificate %s", certificate.pk)
        raise ActionRefused(verdict.reason)

    # Lock the club: of two requests at once, the second sees the first's draft.
    club = Club.objects.select_for_update().get(pk=certificate.club_id)
    certificate = Certificate.objects.select_related("application").get(
        pk=certificate.pk
    )
    verdict = permissions.can_start_renewal(by, certificate)
    if not verdict:
        logger.warning("Refused renewal of certificate %s", certificate.pk)
        raise ActionRefused(verdict.reason)
    version = CriteriaVersion.current()
    certifying_unit = selectors.certifying_unit_of(club.voivodeship_id)
    if version is None or certifying_unit is None:
        raise ActionRefused(
            _(
                "Applications cannot be filed yet: the system is not configured "
                "for this voivodeship. Contact the administrator."
            )
        )
    last = club.applications.order_by("-created_at", "-pk").first()

    application = Application.objects.create(
        club=club,
        kind=ApplicationKind.RENEWAL,
        renewal_of=certificate,
        applicant_unit=club.founding_unit,
        certifying_unit=certifying_unit,
        criteria_version=version,
        authorised_person=last.authorised_person if last else "",
        authorised_person_contact=last.authorised_person_contact if last else "",
        creation_token=token,
        created_by=by,
    )
    previous = {
        declaration.criterion.code: declaration
        for declaration in certificate.application.declarations.select_related(
            "criterion"
        )
    }
    declarations = []
    for criterion in version.criteria.all():
        old = previous.get(criterion.code)
        declaration = Declaration(application=application, criterion=criterion)
        if old is not None:
            declaration.level = old.level
            declaration.not_applicable = (
                old.not_applicable and criterion.applies_only_where_needed
            )
            declaration.description = old.description
        declarations.append(declaration)
    Declaration.objects.bulk_create(declarations)

    logger.info("Renewal %s created of certificate %s", application.pk, certificate.pk)
    return application


def application_gaps(application: Application) -> list[str]:
    """What is still missing before the application can be filed."""
    return application_sections.submission_gaps(application)


def _record_submission(application: Application, transition: Transition) -> None:
    """Keep the answers as filed, to show later what a correction changed."""
    SubmissionRecord.objects.create(
        application=application,
        transition=transition,
        answers=application_sections.record(application),
    )


def _case_number(application: Application) -> str:
    """The next case number of the certifying unit in the current year."""
    unit = Unit.objects.select_for_update().get(pk=application.certifying_unit_id)
    year = timezone.localdate().year
    prefix = unit.case_prefix or f"KIS-{unit.voivodeship.teryt}"
    # Numbers are unique nationwide while prefixes are editable data: count
    # every unit's numbers with this prefix, or two units sharing one would
    # issue the same number and the second submission would fail.
    taken = Application.objects.filter(number__startswith=f"{prefix}/{year}/").count()
    return f"{prefix}/{year}/{taken + 1:04d}"


def submit_application(*, application: Application, by: User) -> Application:
    """File a draft application with the certifying unit; a receipt follows."""
    with transaction.atomic():
        application = _lock(application)
        _require(permissions.can_submit(by, application), application, "submit")

        gaps = application_gaps(application)
        if gaps:
            raise ActionRefused(
                _("Fill in before submitting: %(gaps)s.") % {"gaps": "; ".join(gaps)}
            )

        from_state = application.state
        application.submit()
        application.number = _case_number(application)
        application.submitted_at = timezone.now()
        application.decision_deadline = deadlines.decision_deadline(
            timezone.localdate(application.submitted_at)
        )
        transition = _record(
            application, by=by, event=events.SUBMITTED, from_state=from_state
        )
        _record_submission(application, transition)

        notify(
            application,
            events.SUBMITTED,
            [application.applicant_unit, application.certifying_unit],
            transition=transition,
        )
    return application


def request_correction(
    *,
    application: Application,
    by: User,
    faults: str = "",
    listed: list[dict] | None = None,
) -> Application:
    """Return a submitted application to the applicant with its faults and a
    deadline for their correction (KPA art. 64 §2).

    `listed` holds faults tied to what they concern: each a `section` (a
    value of application_sections.SectionKind), an optional `criterion` and
    a `message`. `faults` is a general note. At least one fault is needed.
    """
    with transaction.atomic():
        application = _lock(application)
        _require(
            permissions.can_request_correction(by, application),
            application,
            "request_correction",
        )
        listed = _listed_faults(application, listed or [])
        general = (faults or "").strip()
        if not general and not listed:
            raise ValidationError({"faults": _("List the faults to correct.")})
        text = _faults_text(general, listed)

        from_state = application.state
        application.request_correction()
        application.correction_faults = text
        application.correction_deadline = deadlines.correction_deadline()
        # KPA art. 35 §5: the time the applicant takes to correct does not count.
        application.decision_clock_paused_on = deadlines.today()
        transition = _record(
            application,
            by=by,
            event=events.CORRECTION_REQUESTED,
            from_state=from_state,
            note=text,
        )
        CorrectionFault.objects.bulk_create(
            CorrectionFault(
                application=application,
                requested_in=transition,
                section=fault["section"],
                criterion=fault["criterion"],
                message=fault["message"],
                position=position,
            )
            for position, fault in enumerate(listed)
        )
        if general:
            # The general note is the fault tied to no section.
            CorrectionFault.objects.create(
                application=application,
                requested_in=transition,
                section="",
                message=general,
                position=len(listed),
            )

        notify(
            application,
            events.CORRECTION_REQUESTED,
            [application.applicant_unit],
            note=_("Faults to correct:\n%(faults)s\n\nCorrect them by %(date)s.")
            % {
                "faults": text,
                "date": application.correction_deadline.strftime("%d.%m.%Y"),
            },
            transition=transition,
        )
    return application


def _listed_faults(application: Application, listed: list[dict]) -> list[dict]:
    """Check each listed fault names a section, and a criterion of this very
    application where it names one; drop the empty ones.
    """
    kinds = {kind.value for kind in application_sections.SectionKind}
    criteria = {
        criterion.pk: criterion
        for criterion in Criterion.objects.filter(declaration__application=application)
    }
    cleaned = []
    for fault in listed:
        message = (fault.get("message") or "").strip()
        if not message:
            continue
        if len(message) > 2000:
            raise ValidationError(
                {"faults": _("Describe each fault in at most 2000 characters.")}
            )
        section = fault.get("section")
        criterion = fault.get("criterion")
        criterion_id = getattr(criterion, "pk", criterion)
        criterion_found = criteria.get(criterion_id)
        section_group = (
            application_sections.BY_KIND[section].group if section in kinds else None
        )
        if (
            section not in kinds
            or (criterion_id is not None and criterion_found is None)
            or (criterion_found is not None and criterion_found.group != section_group)
        ):
            raise ValidationError(
                {"faults": _("A fault names a part the application does not have.")}
            )
        cleaned.append(
            {
                "section": section,
                "criterion": criteria.get(criterion_id),
                "message": message,
            }
        )
    return cleaned


def _faults_text(general: str, listed: list[dict]) -> str:
    """The faults as one text, for the history, the e-mail and the documents."""
    lines = []
    for fault in listed:
        with translation.override(settings.LANGUAGE_CODE):
            where = str(application_sections.SectionKind(fault["section"]).label)
        if fault["criterion"] is not None:
            where = f"{where}, {fault['criterion'].name}"
        lines.append(f"- {where}: {fault['message']}")
    if general:
        lines.append(general)
    return "\n".join(lines)


def resubmit_application(*, application: Application, by: User) -> Application:
    """File the corrected application again."""
    with transaction.atomic():
        application = _lock(application)
        _require(permissions.can_resubmit(by, application), application, "resubmit")

        gaps = application_gaps(application)
        if gaps:
            raise ActionRefused(
                _("Fill in before submitting: %(gaps)s.") % {"gaps": "; ".join(gaps)}
            )

        from_state = application.state
        application.resubmit()
        application.correction_deadline = None
        if application.decision_deadline and application.decision_clock_paused_on:
            application.decision_deadline = deadlines.decision_deadline_resumed(
                application.decision_deadline,
                paused_on=application.decision_clock_paused_on,
                resumed_on=deadlines.today(),
            )
        application.decision_clock_paused_on = None
        transition = _record(
            application, by=by, event=events.RESUBMITTED, from_state=from_state
        )
        _record_submission(application, transition)

        notify(
            application,
            events.RESUBMITTED,
            [application.certifying_unit],
            transition=transition,
        )
    return application


def leave_unprocessed(*, application: Application, by: User) -> Application:
    """Close an application that was not corrected by the deadline."""
    with transaction.atomic():
        application = _lock(application)
        _require(
            permissions.can_leave_unprocessed(by, application),
            application,
            "leave_unprocessed",
        )

        from_state = application.state
        application.leave_unprocessed()
        transition = _record(
            application, by=by, event=events.LEFT_UNPROCESSED, from_state=from_state
        )

        notify(
            application,
            events.LEFT_UNPROCESSED,
            [application.applicant_unit],
            transition=transition,
        )
    return application


def withdraw_application(
    *, application: Application, by: User, note: str = ""
) -> Application:
    """Withdraw the application; participation is voluntary (Nr 9)."""
    with transaction.atomic():
        application = _lock(application)
        _require(permissions.can_withdraw(by, application), application, "withdraw")

        from_state = application.state
        application.withdraw()
        transition = _record(
            application,
            by=by,
            event=events.WITHDRAWN,
            from_state=from_state,
            note=note.strip(),
        )

        if from_state != ApplicationState.DRAFT:
            notify(
                application,
                events.WITHDRAWN,
                [application.certifying_unit, application.audit_unit],
                transition=transition,
            )
    return application


# The certifying unit: formal check and merit review.


def accept_formally(*, application: Application, by: User) -> Application:
    """Admit the application to the merit review and open its standard card,
    pre-filled from the declarations.
    """
    with transaction.atomic():
        application = _lock(application)
        _require(
            permissions.can_accept_formally(by, application),
            application,
            "accept_formally",
        )

        from_state = application.state
        application.accept_formally()
        transition = _record(
            application, by=by, event=events.ACCEPTED_FORMALLY, from_state=from_state
        )
        _open_standard_card(application, by=by)

        notify(
            application,
            events.ACCEPTED_FORMALLY,
            [application.applicant_unit],
            transition=transition,
        )
    return application


def computed_result(required: int, declared: int | None, not_applicable: bool) -> str:
    """Fulfilled where the declared level reaches the required one."""
    if not_applicable:
        return Result.FULFILLED
    if declared is not None and declared >= required:
        return Result.FULFILLED
    return Result.DEVIATION


def _open_standard_card(application: Application, *, by: User) -> StandardCard:
    card = StandardCard.objects.create(
        application=application,
        criteria_version=application.criteria_version,
        coordinator=by,
    )
    rows = []
    for declaration in application.declarations.select_related("criterion"):
        criterion = declaration.criterion
        result = computed_result(
            criterion.required_level, declaration.level, declaration.not_applicable
        )
        rows.append(
            StandardCardRow(
                card=card,
                criterion=criterion,
                required_level=criterion.required_level,
                declared_level=declaration.level,
                declared_not_applicable=declaration.not_applicable,
                computed_result=result,
                result=result,
            )
        )
    StandardCardRow.objects.bulk_create(rows)
    return card


@transaction.atomic
def standard_card_save(
    *,
    card: StandardCard,
    by: User,
    revision: int,
    results: dict[int, dict],
    final_opinion: str,
    complete: bool,
) -> StandardCard:
    """Save the officer's results on the standard card.

    `results` maps a row id to its `result` and `override_reason`. A result
    that differs from the computed one needs a reason. `revision` is the one
    the officer's form was opened with: if someone saved since, nothing is
    saved.
    """
    card = StandardCard.objects.select_for_update().get(pk=card.pk)
    application = _lock(card.application)
    _require(
        permissions.can_edit_standard_card(by, application),
        application,
        "standard_card_save",
    )
    if card.revision != revision:
        raise StaleEdit(
            _(
                "Someone else saved this card while you were editing it. "
                "Reload the page to see their changes, then enter yours again."
            )
        )

    errors = {}
    for row in card.rows.all():
        values = results.get(row.pk)
        if values is None:
            continue
        if values["result"] not in Result.values:
            errors[f"result_{row.pk}"] = _("Choose fulfilled or deviation.")
            continue
        row.result = values["result"]
        row.override_reason = (values.get("override_reason") or "").strip()
        if row.is_overridden and not row.override_reason:
            errors[f"reason_{row.pk}"] = _(
                "Give the reason for changing the computed result."
            )
        row.save()
    if complete and not final_opinion.strip():
        errors["final_opinion"] = _("Write the final opinion to complete the card.")
    if errors:
        raise ValidationError(errors)

    card.final_opinion = final_opinion.strip()
    card.completed_on = deadlines.today() if complete else None
    card.coordinator = by
    card.revision += 1
    card.save()

    overridden = [row for row in card.rows.all() if row.is_overridden]
    note = "; ".join(
        f"{row.criterion.name}: {row.get_result_display()} ({row.override_reason})"
        for row in overridden
    )
    _record_work(
        application,
        by=by,
        event=events.STANDARD_CARD_COMPLETED
        if complete
        else events.STANDARD_CARD_SAVED,
        note=note,
    )
    return card


def commission_audit(*, application: Application, by: User) -> Application:
    """Commission the on-site audit to the ROPS of the club's voivodeship."""
    with transaction.atomic():
        application = _lock(application)
        _require(
            permissions.can_commission_audit(by, application),
            application,
            "commission_audit",
        )

        from_state = application.state
        application.commission_audit()
        application.audit_unit = selectors.audit_unit_of(
            application.club.voivodeship_id
        )
        if application.audit_unit is None:
            raise ActionRefused(
                _(
                    "No audit unit is configured for this voivodeship. "
                    "Contact the administrator."
                )
            )
        audit = Audit.objects.create(
            application=application,
            audit_unit=application.audit_unit,
            criteria_version=application.criteria_version,
            commissioned_at=timezone.now(),
        )
        AuditFinding.objects.bulk_create(
            AuditFinding(audit=audit, criterion=criterion)
            for criterion in application.criteria_version.criteria.all()
        )
        transition = _record(
            application,
            by=by,
            event=events.AUDIT_COMMISSIONED,
            from_state=from_state,
            note=application.audit_unit.name,
        )

        notify(
            application,
            events.AUDIT_COMMISSIONED,
            [application.audit_unit, application.applicant_unit],
            transition=transition,
        )
    return application


# The audit unit.


def start_audit(
    *,
    application: Application,
    by: User,
    experts: list[dict],
    planned_on: datetime.date,
) -> Application:
    """Open the audit with a team of three experts, each of whom declares no
    conflict of interest with the club, its founding institution and partners.
    """
    with transaction.atomic():
        application = _lock(application)
        _require(
            permissions.can_start_audit(by, application), application, "start_audit"
        )

        errors = {}
        if len(experts) != 3:
            errors["__all__"] = _("The audit team has exactly three experts.")
        for position, expert in enumerate(experts, start=1):
            if not (expert.get("name") or "").strip():
                errors[f"expert_{position}_name"] = _("Enter the expert's name.")
            if not (expert.get("contact") or "").strip():
                errors[f"expert_{position}_contact"] = _("Enter the expert's contact.")
            if not expert.get("no_conflict_declared"):
                errors[f"expert_{position}_no_conflict_declared"] = _(
                    "Each expert must declare no conflict of interest."
                )
        if planned_on is None:
            errors["planned_on"] = _("Enter the date of the audit visit.")
        elif planned_on < timezone.localdate(application.submitted_at):
            errors["planned_on"] = _(
                "The audit visit cannot be earlier than the submission of the "
                "application (%(date)s)."
            ) % {
                "date": timezone.localdate(application.submitted_at).strftime(
                    "%d.%m.%Y"
                )
            }
        names = [(e.get("name") or "").strip().casefold() for e in experts]
        if all(names) and len(set(names)) < len(names):
            errors["__all__"] = _("The audit team has three different experts.")
        if errors:
            raise ValidationError(errors)

        audit = selectors.current_audit(application)
        audit.planned_on = planned_on
        audit.save()
        for position, expert in enumerate(experts, start=1):
            AuditExpert.objects.create(
                audit=audit,
                position=position,
                name=expert["name"].strip(),
                contact=expert["contact"].strip(),
                no_conflict_declared=True,
            )

        from_state = application.state
        application.start_audit()
        transition = _record(
            application,
            by=by,
            event=events.AUDIT_STARTED,
            from_state=from_state,
            note=_("Audit visit on %(date)s")
            % {"date": planned_on.strftime("%d.%m.%Y")},
        )

        notify(
            application,
            events.AUDIT_STARTED,
            [application.applicant_unit, application.certifying_unit],
            note=transition.note,
            transition=transition,
        )
    return application


@transaction.atomic
def audit_card_save(
    *,
    audit: Audit,
    by: User,
    revision: int,
    findings: dict[int, dict],
    register_entry_confirmation: str,
    conclusion: str,
    conclusion_positive: bool | None,
) -> Audit:
    """Save the auditors' annotations, criterion by criterion, and the conclusion."""
    audit = Audit.objects.select_for_update().get(pk=audit.pk)
    application = _lock(audit.application)
    _require(
        permissions.can_edit_audit_card(by, application), application, "audit_card_save"
    )
    if audit.revision != revision:
        raise StaleEdit(
            _(
                "Someone else saved this card while you were editing it. "
                "Reload the page to see their changes, then enter yours again."
            )
        )

    for finding in audit.findings.all():
        values = findings.get(finding.pk)
        if values is None:
            continue
        finding.confirmed = values.get("confirmed")
        finding.annotation = (values.get("annotation") or "").strip()
        finding.save()

    audit.register_entry_confirmation = register_entry_confirmation.strip()
    audit.conclusion = conclusion.strip()
    audit.conclusion_positive = conclusion_positive
    audit.revision += 1
    audit.save()

    _record_work(application, by=by, event=events.AUDIT_CARD_SAVED)
    return audit


def deliver_report(*, application: Application, by: User) -> Application:
    """Deliver the audit report to the certifying unit for its decision."""
    with transaction.atomic():
        application = _lock(application)
        _require(
            permissions.can_deliver_report(by, application),
            application,
            "deliver_report",
        )

        audit = selectors.current_audit(application)
        audit.report_drawn_up_on = audit.report_drawn_up_on or deadlines.today()
        audit.save()

        from_state = application.state
        application.deliver_report()
        transition = _record(
            application,
            by=by,
            event=events.REPORT_DELIVERED,
            from_state=from_state,
            note=audit.conclusion,
        )
        from certification import document_forms

        audit.report_sha256 = _store_record(
            audit.report_pdf,
            f"karta-audytu-{audit.pk}.pdf",
            document_forms.audit_card_pdf(application),
        )
        audit.save(update_fields=["report_pdf", "report_sha256"])

        notify(
            application,
            events.REPORT_DELIVERED,
            [application.certifying_unit],
            transition=transition,
        )
    return application


# Decisions.


def _certificate_number(application: Application, issued_on: datetime.date) -> str:
    unit = Unit.objects.select_for_update().get(pk=application.certifying_unit_id)
    prefix = f"KIS-{unit.voivodeship.teryt}-{issued_on.year}-"
    taken = Certificate.objects.filter(number__startswith=prefix).count()
    return f"{prefix}{taken + 1:04d}"


def _store_record(field_file, name: str, pdf: bytes) -> str:
    """Store an issued document's PDF once; return its SHA-256."""
    field_file.save(name, ContentFile(pdf), save=False)
    return hashlib.sha256(pdf).hexdigest()


def _issue_certificate(
    application: Application, *, by: User, reasons: str
) -> Certificate:
    from certification import document_forms, documents, signing

    now = timezone.now()
    issued_on = timezone.localdate(now)
    unit = application.certifying_unit
    decision = Decision.objects.create(
        application=application,
        kind=DecisionKind.GRANT,
        issued_at=now,
        issued_by=by,
        certifying_unit=unit,
        certifying_unit_name=unit.full_name,
        reasons=reasons,
    )
    valid_from = issued_on
    if application.renewal_of is not None:
        valid_from = max(
            issued_on, application.renewal_of.valid_until + datetime.timedelta(days=1)
        )
    club = application.club
    certificate = Certificate(
        number=_certificate_number(application, issued_on),
        application=application,
        club=club,
        decision=decision,
        issued_on=issued_on,
        valid_from=valid_from,
        valid_until=deadlines.certificate_valid_until(valid_from),
        club_name=club.name,
        club_address=club.address,
        founding_unit_name=club.founding_unit.name,
        certifying_unit_name=unit.full_name,
        voivodeship_name=club.voivodeship.name,
    )
    # The checksum is of the signed bytes: exactly the file stored and served.
    pdf = signing.sign_pdf(documents.certificate_pdf(certificate), unit)
    certificate.sha256 = hashlib.sha256(pdf).hexdigest()
    certificate.pdf.save(f"{certificate.number}.pdf", ContentFile(pdf), save=False)
    try:
        with transaction.atomic():
            certificate.save()
    except IntegrityError:
        certificate.pdf.delete(save=False)
        raise

    decision.sha256 = _store_record(
        decision.pdf,
        f"decyzja-{certificate.number}.pdf",
        document_forms.decision_pdf(decision),
    )
    decision.save(update_fields=["pdf", "sha256"])
    return certificate


def grant_certificate(
    *, application: Application, by: User, reasons: str = ""
) -> Certificate:
    """Grant the certificate for three years and enter it in the register."""
    with transaction.atomic():
        application = _lock(application)
        _require(permissions.can_grant(by, application), application, "grant")

        from_state = application.state
        application.grant()
        certificate = _issue_certificate(application, by=by, reasons=reasons.strip())
        transition = _record(
            application,
            by=by,
            event=events.GRANTED,
            from_state=from_state,
            note=certificate.number,
        )

        notify(
            application,
            events.GRANTED,
            [application.applicant_unit],
            transition=transition,
        )
    return certificate


def refuse_certificate(*, application: Application, by: User, reasons: str) -> Decision:
    """Refuse the certificate with reasons; the applicant may appeal within
    the appeal term (KPA art. 129).
    """
    with transaction.atomic():
        application = _lock(application)
        _require(permissions.can_refuse(by, application), application, "refuse")
        reasons = _required_text(
            reasons, "reasons", _("State the reasons for the refusal.")
        )

        now = timezone.now()
        application.appeal_deadline = deadlines.appeal_deadline(timezone.localdate(now))
        unit = application.certifying_unit
        decision = Decision.objects.create(
            application=application,
            kind=DecisionKind.REFUSAL,
            issued_at=now,
            issued_by=by,
            certifying_unit=unit,
            certifying_unit_name=unit.full_name,
            reasons=reasons,
            appeal_instructions=_appeal_instructions(application),
        )

        from_state = application.state
        application.refuse()
        transition = _record(
            application,
            by=by,
            event=events.REFUSED,
            from_state=from_state,
            note=reasons,
        )
        from certification import document_forms

        decision.sha256 = _store_record(
            decision.pdf,
            f"odmowa-{decision.pk}.pdf",
            document_forms.decision_pdf(decision),
        )
        decision.save(update_fields=["pdf", "sha256"])

        notify(
            application,
            events.REFUSED,
            [application.applicant_unit],
            note=f"{reasons}\n\n{decision.appeal_instructions}",
            transition=transition,
        )
    return decision


def _appeal_instructions(application: Application) -> str:
    """The instruction printed on a refusal; in Polish, as the decision is."""
    with translation.override(settings.LANGUAGE_CODE):
        return _(
            "The applicant may appeal to the appeal unit, through %(unit)s, "
            "within %(days)s days of delivery of this decision, that is by "
            "%(date)s."
        ) % {
            "unit": application.certifying_unit.full_name,
            "days": settings.SCKIS_DEADLINES["appeal_days"],
            "date": application.appeal_deadline.strftime("%d.%m.%Y"),
        }


def correct_decision(
    *,
    decision: Decision,
    by: User,
    correction: str,
    expected_corrections: int | None = None,
) -> Decision:
    """Correct an obvious error in an issued decision (KPA art. 113) by a new
    decision pointing at it; the corrected decision and its PDF stay as issued.

    `expected_corrections` is how many corrections the user saw: a resent
    form finds one more and changes nothing.
    """
    with transaction.atomic():
        application = _lock(decision.application)
        decision = Decision.objects.select_related("certifying_unit").get(
            pk=decision.pk
        )
        _require(
            permissions.can_correct_decision(by, decision),
            application,
            "correct_decision",
        )
        correction = _required_text(
            correction, "correction", _("Say what is corrected and how.")
        )
        if len(correction) > 5000:
            raise ValidationError({"correction": _("Use at most 5000 characters.")})
        if (
            expected_corrections is not None
            and decision.corrections.count() != expected_corrections
        ):
            raise ActionRefused(
                _(
                    "This decision has just been corrected. Read that correction "
                    "on the case page before adding another."
                )
            )

        # The unit's name as it is on the day of the correction. The appeal
        # instruction is not copied: a correction does not reopen the term to
        # appeal the corrected decision.
        unit = decision.certifying_unit
        corrected = Decision.objects.create(
            application=application,
            kind=decision.kind,
            issued_at=timezone.now(),
            issued_by=by,
            certifying_unit=unit,
            certifying_unit_name=unit.full_name,
            reasons=_corrected_reasons(decision, correction),
            corrects=decision,
        )
        from certification import document_forms

        corrected.sha256 = _store_record(
            corrected.pdf,
            f"sprostowanie-{corrected.pk}.pdf",
            document_forms.decision_pdf(corrected),
        )
        corrected.save(update_fields=["pdf", "sha256"])
        transition = _record_work(
            application, by=by, event=events.DECISION_CORRECTED, note=correction
        )

        with translation.override(settings.LANGUAGE_CODE):
            note = _("The decision of %(date)s has been corrected:\n%(correction)s") % {
                "date": timezone.localdate(decision.issued_at).strftime("%d.%m.%Y"),
                "correction": correction,
            }
        notify(
            application,
            events.DECISION_CORRECTED,
            [application.applicant_unit],
            note=note,
            transition=transition,
        )
    logger.info("Decision %s corrected by decision %s", decision.pk, corrected.pk)
    return corrected


def _corrected_reasons(decision: Decision, correction: str) -> str:
    """The reasons of the corrected decision, then the correction, marked; in
    Polish, as the decision is.
    """
    with translation.override(settings.LANGUAGE_CODE):
        marked = "{}\n{}".format(
            _("CORRECTION of an obvious error (KPA art. 113 § 1):"), correction
        )
    if decision.reasons:
        return f"{decision.reasons}\n\n{marked}"
    return marked


def lodge_appeal(*, application: Application, by: User, grounds: str) -> Appeal:
    """Appeal a refusal, through the certifying unit that issued it."""
    with transaction.atomic():
        application = _lock(application)
        _require(permissions.can_appeal(by, application), application, "appeal")
        grounds = _required_text(
            grounds, "grounds", _("Write the grounds of the appeal.")
        )

        # The refusal as issued, not a later correction of it (KPA art. 113).
        refusal = application.decisions.filter(
            kind=DecisionKind.REFUSAL, corrects__isnull=True
        ).first()
        appeal = Appeal.objects.create(
            application=application,
            decision=refusal,
            grounds=grounds,
            lodged_at=timezone.now(),
            lodged_by=by,
            forward_deadline=deadlines.appeal_forward_deadline(),
        )

        from_state = application.state
        application.appeal()
        transition = _record(
            application,
            by=by,
            event=events.APPEALED,
            from_state=from_state,
            note=grounds,
        )

        notify(
            application,
            events.APPEALED,
            [application.certifying_unit],
            transition=transition,
        )
    return appeal


def finalise_refusal(
    *,
    application: Application,
    by: User | None,
    today: datetime.date | None = None,
) -> Application:
    """Close a case whose refusal was not appealed by the deadline; `by=None`
    is the system acting on its daily run of deadlines.
    """
    with transaction.atomic():
        application = _lock(application)
        if by is None:
            _require(_system_may_finalise(application, today), application, "finalise")
        else:
            _require(permissions.can_finalise(by, application), application, "finalise")

        from_state = application.state
        application.finalise()
        _record(
            application,
            by=by,
            event=events.REFUSAL_FINAL,
            from_state=from_state,
            note="run_deadlines" if by is None else "",
        )
    return application


def _system_may_finalise(
    application: Application, today: datetime.date | None
) -> permissions.Verdict:
    """The system closes a refusal only once its appeal deadline has passed."""
    today = today or deadlines.today()
    deadline = application.appeal_deadline
    if application.state != ApplicationState.REFUSED or deadline is None:
        return permissions.Verdict(False, _("This step is not possible now."))
    if today <= deadline:
        return permissions.Verdict(
            False,
            _("The applicant may still appeal until %(date)s.")
            % {"date": deadline.strftime("%d.%m.%Y")},
        )
    return permissions.Verdict(True)


def reconsider_appeal(
    *, application: Application, by: User, reasons: str
) -> Certificate:
    """Grant the certificate on the certifying unit's own review of the
    appeal (KPA art. 132).
    """
    with transaction.atomic():
        application = _lock(application)
        _require(permissions.can_reconsider(by, application), application, "reconsider")
        reasons = _required_text(
            reasons, "reasons", _("State why the appeal is granted.")
        )

        _decide_appeal(
            application, outcome=AppealOutcome.RECONSIDERED, reasons=reasons, by=by
        )

        from_state = application.state
        application.reconsider()
        certificate = _issue_certificate(application, by=by, reasons=reasons)
        transition = _record(
            application,
            by=by,
            event=events.RECONSIDERED,
            from_state=from_state,
            note=reasons,
        )

        notify(
            application,
            events.RECONSIDERED,
            [application.applicant_unit],
            transition=transition,
        )
    return certificate


def _decide_appeal(
    application: Application, *, outcome: str, reasons: str, by: User
) -> Appeal:
    """Record the outcome of the open appeal of a case."""
    appeal = selectors.open_appeal(application)
    appeal.outcome = outcome
    appeal.outcome_reasons = reasons
    appeal.decided_at = timezone.now()
    appeal.decided_by = by
    appeal.save()
    return appeal


def forward_appeal(*, application: Application, by: User) -> Appeal:
    """Forward the appeal with the case files to the appeal unit (KPA art. 133)."""
    with transaction.atomic():
        application = _lock(application)
        _require(permissions.can_forward(by, application), application, "forward")

        appeal = selectors.open_appeal(application)
        appeal.forwarded_at = timezone.now()
        appeal.save()

        from_state = application.state
        application.forward()
        transition = _record(
            application, by=by, event=events.FORWARDED, from_state=from_state
        )

        notify(
            application,
            events.FORWARDED,
            [selectors.appeal_unit(), application.applicant_unit],
            transition=transition,
        )
    return appeal


def dismiss_appeal(*, application: Application, by: User, reasons: str) -> Appeal:
    """Dismiss the appeal: the refusal stands and the case closes."""
    with transaction.atomic():
        application = _lock(application)
        _require(permissions.can_dismiss(by, application), application, "dismiss")
        reasons = _required_text(
            reasons, "reasons", _("State the reasons for the dismissal.")
        )

        appeal = _decide_appeal(
            application, outcome=AppealOutcome.DISMISSED, reasons=reasons, by=by
        )

        from_state = application.state
        application.dismiss()
        transition = _record(
            application,
            by=by,
            event=events.DISMISSED,
            from_state=from_state,
            note=reasons,
        )

        notify(
            application,
            events.DISMISSED,
            [application.applicant_unit, application.certifying_unit],
            transition=transition,
        )
    return appeal


def uphold_appeal(
    *, application: Application, by: User, reasons: str, return_to: str
) -> Appeal:
    """Uphold the appeal and return the case to the certifying unit, either
    for a new decision or for a new merit review.
    """
    with transaction.atomic():
        application = _lock(application)
        _require(permissions.can_uphold(by, application), application, "uphold")
        reasons = _required_text(
            reasons, "reasons", _("State the reasons for upholding the appeal.")
        )
        if return_to not in (ApplicationState.DECISION, ApplicationState.MERIT_REVIEW):
            raise ValidationError({"return_to": _("Choose where the case returns.")})

        appeal = _decide_appeal(
            application, outcome=AppealOutcome.UPHELD, reasons=reasons, by=by
        )

        from_state = application.state
        if return_to == ApplicationState.DECISION:
            application.uphold_to_decision()
        else:
            application.uphold_to_merit_review()
            card = selectors.current_standard_card(application)
            if card is not None:
                card.completed_on = None
                card.revision += 1
                card.save()
        application.appeal_deadline = None
        # The certifying unit decides the returned case anew, within a month.
        application.decision_deadline = deadlines.decision_deadline(deadlines.today())
        transition = _record(
            application, by=by, event=events.UPHELD, from_state=from_state, note=reasons
        )

        notify(
            application,
            events.UPHELD,
            [application.applicant_unit, application.certifying_unit],
            transition=transition,
        )
    return appeal


# The people in charge of a case.


def assign_case(
    *,
    application: Application,
    by: User,
    officer: User | None = None,
    auditor: User | None = None,
) -> Application:
    """Put a person of the unit whose step it is in charge of the case.

    The certifying unit assigns its officers, the audit unit its auditors;
    the assignment is a step of the history that does not move the case.
    """
    with transaction.atomic():
        application = _lock(application)
        _require(permissions.can_assign(by, application), application, "assign")

        if by.role == "officer":
            field, person, unit = "officer", officer, application.certifying_unit
        else:
            field, person, unit = "auditor", auditor, application.audit_unit
        other = auditor if field == "officer" else officer
        if person is None or other is not None:
            raise ValidationError({field: _("Choose the person to put in charge.")})
        if not person.is_active or person.unit_id != unit.pk:
            raise ValidationError(
                {
                    field: _(
                        "The case can be assigned only to an active member of %(unit)s."
                    )
                    % {"unit": unit.name}
                }
            )

        attribute = f"assigned_{field}"
        if getattr(application, f"{attribute}_id") == person.pk:
            # A repeated click: the person is already in charge.
            return application
        setattr(application, attribute, person)
        application.save()
        _record_work(
            application,
            by=by,
            event=events.ASSIGNED,
            note=_("In charge: %(name)s") % {"name": person.display_name},
        )

        logger.info("Application %s assigned to user %s", application.pk, person.pk)
    return application


__all__ = [
    "ActionRefused",
    "Level",
    "StaleEdit",
]
