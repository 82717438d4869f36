"""The states of an application: the only place their names are written."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationState(models.TextChoices):
    """Where an application stands in the certification process."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    CORRECTION = "correction", _("Awaiting correction")
    MERIT_REVIEW = "merit_review", _("Merit review")
    AUDIT = "audit", _("Audit commissioned")
    AUDIT_IN_PROGRESS = "audit_in_progress", _("Audit in progress")
    DECISION = "decision", _("Awaiting decision")
    CERTIFIED = "certified", _("Certified")
    REFUSED = "refused", _("Refused")
    APPEALED = "appealed", _("Appeal lodged")
    APPEAL_REVIEW = "appeal_review", _("Appeal under review")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


S = ApplicationState

# Participation is voluntary (recommendation Nr 9): the applicant may withdraw
# from every state before a decision is issued.
BEFORE_DECISION = [
    S.DRAFT,
    S.SUBMITTED,
    S.CORRECTION,
    S.MERIT_REVIEW,
    S.AUDIT,
    S.AUDIT_IN_PROGRESS,
    S.DECISION,
]

# States in which the case waits for the certifying unit.
WITH_CERTIFYING_UNIT = [S.SUBMITTED, S.MERIT_REVIEW, S.DECISION, S.APPEALED]
WITH_AUDIT_UNIT = [S.AUDIT, S.AUDIT_IN_PROGRESS]
WITH_APPEAL_UNIT = [S.APPEAL_REVIEW]
WITH_APPLICANT = [S.DRAFT, S.CORRECTION, S.REFUSED]
FINAL = [S.CERTIFIED, S.CLOSED, S.WITHDRAWN]


class UnitKind(models.TextChoices):
    """The four kinds of institution taking part in SC KIS."""

    APPLICANT = "applicant", _("Applicant institution")
    CERTIFYING = "certifying", _("Certifying unit (WPS UW)")
    AUDIT = "audit", _("Audit unit (ROPS)")
    APPEAL = "appeal", _("Appeal unit")


class Role(models.TextChoices):
    """What a user does, which follows from the kind of their unit."""

    APPLICANT = "applicant", _("Applicant")
    OFFICER = "officer", _("Certifying officer")
    AUDITOR = "auditor", _("Auditor")
    APPEAL_OFFICER = "appeal_officer", _("Appeal officer")


ROLE_OF_UNIT_KIND = {
    UnitKind.APPLICANT: Role.APPLICANT,
    UnitKind.CERTIFYING: Role.OFFICER,
    UnitKind.AUDIT: Role.AUDITOR,
    UnitKind.APPEAL: Role.APPEAL_OFFICER,
}


class ApplicationKind(models.TextChoices):
    INITIAL = "initial", _("Application for a certificate")
    RENEWAL = "renewal", _("Renewal of a certificate")


class Level(models.IntegerChoices):
    """How far a club meets one criterion of the standard."""

    NONE = 0, _("Not met")
    PARTIAL = 1, _("Partly met")
    FULL = 2, _("Fully met")


class Result(models.TextChoices):
    FULFILLED = "fulfilled", _("Fulfilled")
    DEVIATION = "deviation", _("Deviation")


class CriterionGroup(models.TextChoices):
    """The groups of criteria of the standard card (Formularz 3)."""

    PREMISES = "premises", _("Premises")
    STAFF = "staff", _("Staff")
    ORGANISATION = "organisation", _("Organisational preparation")
    COOPERATION = "cooperation", _("Local cooperation")
    INDIVIDUAL = "individual", _("Individual services")
    GROUP = "group", _("Group services")


INSTITUTIONAL_GROUPS = [
    CriterionGroup.PREMISES,
    CriterionGroup.STAFF,
    CriterionGroup.ORGANISATION,
    CriterionGroup.COOPERATION,
]
SERVICE_GROUPS = [CriterionGroup.INDIVIDUAL, CriterionGroup.GROUP]


class DecisionKind(models.TextChoices):
    GRANT = "grant", _("Grant of the certificate")
    REFUSAL = "refusal", _("Refusal of the certificate")


class AppealOutcome(models.TextChoices):
    RECONSIDERED = "reconsidered", _("Granted by the certifying unit on review")
    DISMISSED = "dismissed", _("Dismissed")
    UPHELD = "upheld", _("Upheld, case returned")
