"""The event vocabulary: one stable name per step, shared by the history,
the process card, notifications and logs.
"""

from django.utils.translation import gettext_lazy as _

SUBMITTED = "application.submitted"
CORRECTION_REQUESTED = "application.correction_requested"
RESUBMITTED = "application.resubmitted"
LEFT_UNPROCESSED = "application.left_unprocessed"
ACCEPTED_FORMALLY = "application.accepted_formally"
AUDIT_COMMISSIONED = "audit.commissioned"
AUDIT_STARTED = "audit.started"
REPORT_DELIVERED = "audit.report_delivered"
GRANTED = "decision.granted"
REFUSED = "decision.refused"
DECISION_CORRECTED = "decision.corrected"
APPEALED = "appeal.lodged"
REFUSAL_FINAL = "decision.final"
RECONSIDERED = "appeal.reconsidered"
FORWARDED = "appeal.forwarded"
DISMISSED = "appeal.dismissed"
UPHELD = "appeal.upheld"
WITHDRAWN = "application.withdrawn"
STANDARD_CARD_SAVED = "standard_card.saved"
STANDARD_CARD_COMPLETED = "standard_card.completed"
AUDIT_CARD_SAVED = "audit_card.saved"
ASSIGNED = "case.assigned"
ATTACHMENT_ADDED = "attachment.added"
ATTACHMENT_DELETED = "attachment.deleted"

# Occasions not caused by a step of the case, sent by `run_deadlines`.
RENEWAL_REMINDER = "certificate.renewal_reminder"
CASE_OVERDUE = "application.overdue"

LABELS = {
    RENEWAL_REMINDER: _("The certificate is about to expire"),
    CASE_OVERDUE: _("A deadline of the case has passed"),
    SUBMITTED: _("Application submitted"),
    CORRECTION_REQUESTED: _("Correction requested"),
    RESUBMITTED: _("Corrected application submitted"),
    LEFT_UNPROCESSED: _("Application left unprocessed"),
    ACCEPTED_FORMALLY: _("Application accepted formally"),
    AUDIT_COMMISSIONED: _("Audit commissioned"),
    AUDIT_STARTED: _("Audit started"),
    REPORT_DELIVERED: _("Audit report delivered"),
    GRANTED: _("Certificate granted"),
    REFUSED: _("Certificate refused"),
    DECISION_CORRECTED: _("Obvious error in the decision corrected"),
    APPEALED: _("Appeal lodged"),
    REFUSAL_FINAL: _("Refusal became final"),
    RECONSIDERED: _("Certificate granted on review of the appeal"),
    FORWARDED: _("Appeal forwarded to the appeal unit"),
    DISMISSED: _("Appeal dismissed"),
    UPHELD: _("Appeal upheld, case returned to the certifying unit"),
    WITHDRAWN: _("Application withdrawn"),
    STANDARD_CARD_SAVED: _("Standard card saved"),
    STANDARD_CARD_COMPLETED: _("Standard card completed"),
    AUDIT_CARD_SAVED: _("Audit card saved"),
    ASSIGNED: _("Person in charge assigned"),
    ATTACHMENT_ADDED: _("Attachment added"),
    ATTACHMENT_DELETED: _("Attachment deleted"),
}


def label(event: str) -> str:
    return str(LABELS.get(event, event))
