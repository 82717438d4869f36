"""Applications for a certificate and the record of their transitions."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, transition

from certification.states import BEFORE_DECISION, ApplicationKind, Level
from certification.states import ApplicationState as S

from .clubs import Club
from .criteria import CriteriaVersion, Criterion
from .units import Unit


class Application(ConcurrentTransitionMixin, models.Model):
    """A club's application for a certificate, or for its renewal.

    States, and who acts in each:

    - draft: the applicant fills it in; nobody else sees it.
    - submitted: with the certifying unit (WPS UW) for the formal check.
    - correction: back with the applicant, who fixes the listed faults by
      the deadline; the officer may leave it unprocessed after that.
    - merit_review: the officer fills the standard card.
    - audit: commissioned to the ROPS of the same voivodeship.
    - audit_in_progress: the audit team works on site and fills the card.
    - decision: the report is delivered; the officer grants or refuses.
    - certified: a certificate was issued (final).
    - refused: a refusal was issued; the applicant may appeal.
    - appealed: the appeal waits at the certifying unit, which may grant
      on its own review or forward it to the appeal unit.
    - appeal_review: the ministry's appeal unit decides.
    - closed, withdrawn: final.

    Transitions are called only from certification.services.
    """

    kind = models.CharField(
        _("kind"),
        max_length=10,
        choices=ApplicationKind.choices,
        default=ApplicationKind.INITIAL,
    )
    state = FSMField(
        _("state"), default=S.DRAFT, choices=S.choices, protected=True, db_index=True
    )
    club = models.ForeignKey(
        Club,
        verbose_name=_("club"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    applicant_unit = models.ForeignKey(
        Unit,
        verbose_name=_("applicant"),
        on_delete=models.PROTECT,
        related_name="applications_filed",
    )
    certifying_unit = models.ForeignKey(
        Unit,
        verbose_name=_("certifying unit"),
        on_delete=models.PROTECT,
        related_name="applications_to_certify",
    )
    audit_unit = models.ForeignKey(
        Unit,
        verbose_name=_("audit unit"),
        on_delete=models.PROTECT,
        related_name="applications_to_audit",
        null=True,
        blank=True,
    )
    renewal_of = models.ForeignKey(
        "certification.Certificate",
        verbose_name=_("renews certificate"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewals",
    )
    criteria_version = models.ForeignKey(
        CriteriaVersion, verbose_name=_("criteria version"), on_delete=models.PROTECT
    )
    number = models.CharField(_("case number"), max_length=40, blank=True)
    authorised_person = models.CharField(
        _("person authorised to file the application"), max_length=200, blank=True
    )
    authorised_person_contact = models.CharField(
        _("authorised person's phone or e-mail"), max_length=200, blank=True
    )
    correction_faults = models.TextField(_("faults to correct"), blank=True)
    correction_deadline = models.DateField(
        _("correction deadline"), null=True, blank=True
    )
    appeal_deadline = models.DateField(_("appeal deadline"), null=True, blank=True)
    # KPA art. 35: the decision is due a month after the application is
    # filed; the time the applicant takes to correct it does not count, so
    # the clock is paused while the case waits for a correction.
    decision_deadline = models.DateField(_("decision deadline"), null=True, blank=True)
    decision_clock_paused_on = models.DateField(
        _("decision clock paused on"), null=True, blank=True
    )
    assigned_officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer in charge"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    assigned_auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auditor in charge"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("first submitted"), null=True, blank=True)
    creation_token = models.UUIDField(
        null=True, blank=True, unique=True, editable=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["number"],
                condition=~models.Q(number=""),
                name="application_number_unique",
            ),
        ]

    def __str__(self) -> str:
        return self.number or _("Draft application of %(club)s") % {"club": self.club}

    def get_absolute_url(self) -> str:
        return reverse("certification:application_detail", args=[self.pk])

    # The state machine. Guards on who may act live in permissions.py and are
    # checked by the services before any of these is called.

    @transition(field=state, source=S.DRAFT, target=S.SUBMITTED)
    def submit(self) -> None:
        pass

    @transition(field=state, source=S.SUBMITTED, target=S.CORRECTION)
    def request_correction(self) -> None:
        pass

    @transition(field=state, source=S.CORRECTION, target=S.SUBMITTED)
    def resubmit(self) -> None:
        pass

    @transition(field=state, source=S.CORRECTION, target=S.CLOSED)
    def leave_unprocessed(self) -> None:
        pass

    @transition(field=state, source=S.SUBMITTED, target=S.MERIT_REVIEW)
    def accept_formally(self) -> None:
        pass

    @transition(field=state, source=S.MERIT_REVIEW, target=S.AUDIT)
    def commission_audit(self) -> None:
        pass

    @transition(field=state, source=S.AUDIT, target=S.AUDIT_IN_PROGRESS)
    def start_audit(self) -> None:
        pass

    @transition(field=state, source=S.AUDIT_IN_PROGRESS, target=S.DECISION)
    def deliver_report(self) -> None:
        pass

    @transition(field=state, source=S.DECISION, target=S.CERTIFIED)
    def grant(self) -> None:
        pass

    @transition(field=state, source=[S.MERIT_REVIEW, S.DECISION], target=S.REFUSED)
    def refuse(self) -> None:
        pass

    @transition(field=state, source=S.REFUSED, target=S.APPEALED)
    def appeal(self) -> None:
        pass

    @transition(field=state, source=S.REFUSED, target=S.CLOSED)
    def finalise(self) -> None:
        pass

    @transition(field=state, source=S.APPEALED, target=S.CERTIFIED)
    def reconsider(self) -> None:
        pass

    @transition(field=state, source=S.APPEALED, target=S.APPEAL_REVIEW)
    def forward(self) -> None:
        pass

    @transition(field=state, source=S.APPEAL_REVIEW, target=S.CLOSED)
    def dismiss(self) -> None:
        pass

    @transition(
        field=state, source=S.APPEAL_REVIEW, target=S.DECISION, custom={"uphold": True}
    )
    def uphold_to_decision(self) -> None:
        pass

    @transition(
        field=state,
        source=S.APPEAL_REVIEW,
        target=S.MERIT_REVIEW,
        custom={"uphold": True},
    )
    def uphold_to_merit_review(self) -> None:
        pass

    @transition(field=state, source=BEFORE_DECISION, target=S.WITHDRAWN)
    def withdraw(self) -> None:
        pass


class Declaration(models.Model):
    """What the application declares about one criterion of the standard."""

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="declarations",
    )
    criterion = models.ForeignKey(
        Criterion, verbose_name=_("criterion"), on_delete=models.PROTECT
    )
    level = models.PositiveSmallIntegerField(
        _("declared level"), choices=Level.choices, null=True, blank=True
    )
    not_applicable = models.BooleanField(_("does not apply"), default=False)
    description = models.TextField(_("what the club has"), blank=True)
    # In a renewal, the applicant marks what changed since the application
    # of the certificate being renewed.
    changed_since_last = models.BooleanField(
        _("changed since the last application"), default=False
    )

    class Meta:
        ordering = ["criterion__position"]
        verbose_name = _("declaration")
        verbose_name_plural = _("declarations")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "criterion"],
                name="one_declaration_per_criterion",
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.criterion}"


class Transition(models.Model):
    """One recorded step of an application: who moved it, when, from where to
    where, and why. The case history and the process card are read from here.
    """

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="transitions",
    )
    event = models.CharField(_("event"), max_length=60)
    from_state = models.CharField(_("from"), max_length=20, choices=S.choices)
    to_state = models.CharField(_("to"), max_length=20, choices=S.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_unit_name = models.CharField(_("unit"), max_length=255, blank=True)
    at = models.DateTimeField(_("when"), db_index=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")

    def __str__(self) -> str:
        return f"{self.event} {self.at:%Y-%m-%d %H:%M}"


class Notification(models.Model):
    """One e-mail sent about one step of a case to one address.

    The case page lists them (what was sent to whom and when); the unique
    constraint makes sure one step never sends the same person two messages.
    """

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    transition = models.ForeignKey(
        Transition,
        verbose_name=_("step"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
    )
    # For messages not caused by a step (reminders, overdue notices): a key
    # naming the occasion, such as "reminder:2027-01-05".
    occasion = models.CharField(_("occasion"), max_length=80, blank=True)
    event = models.CharField(_("event"), max_length=60)
    recipient = models.EmailField(_("recipient"))
    subject = models.CharField(_("subject"), max_length=255)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["transition", "recipient"],
                condition=models.Q(transition__isnull=False),
                name="one_message_per_step_and_person",
            ),
            models.UniqueConstraint(
                fields=["application", "occasion", "recipient"],
                condition=~models.Q(occasion=""),
                name="one_message_per_occasion_and_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} -> {self.recipient}"


class CorrectionFault(models.Model):
    """One fault the certifying unit lists when it asks for a correction,
    tied to the section (and criterion) of the application it concerns, so
    that the applicant sees it next to what must be corrected.
    """

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="correction_faults_listed",
    )
    requested_in = models.ForeignKey(
        Transition,
        verbose_name=_("correction request"),
        on_delete=models.CASCADE,
        related_name="faults",
    )
    # A value of application_sections.SectionKind; empty for the general
    # note of the request, which concerns no one section.
    section = models.CharField(_("section"), max_length=30, blank=True)
    criterion = models.ForeignKey(
        Criterion,
        verbose_name=_("criterion"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    message = models.TextField(_("fault"))
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("fault to correct")
        verbose_name_plural = _("faults to correct")

    def __str__(self) -> str:
        return self.message


class SubmissionRecord(models.Model):
    """The answers of the application as they stood when it was submitted or
    resubmitted, so that anyone can tell what changed in a correction.
    """

    application = models.ForeignKey(
        Application,
        verbose_name=_("application"),
        on_delete=models.CASCADE,
        related_name="submission_records",
    )
    transition = models.OneToOneField(
        Transition,
        verbose_name=_("step"),
        on_delete=models.CASCADE,
        related_name="submission_record",
    )
    answers = models.JSONField(_("answers"))

    class Meta:
        ordering = ["transition__at", "pk"]
        verbose_name = _("record of a submission")
        verbose_name_plural = _("records of submissions")

    def __str__(self) -> str:
        return f"{self.application_id}: {self.transition}"
