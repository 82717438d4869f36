from .applications import (
    Application,
    CorrectionFault,
    Declaration,
    Notification,
    SubmissionRecord,
    Transition,
)
from .attachments import Attachment, AttachmentKind
from .cards import Audit, AuditExpert, AuditFinding, StandardCard, StandardCardRow
from .clubs import Club
from .criteria import CriteriaVersion, Criterion
from .decisions import Appeal, Certificate, Decision
from .units import Unit, User, Voivodeship

__all__ = [
    "Appeal",
    "Application",
    "Attachment",
    "AttachmentKind",
    "Audit",
    "AuditExpert",
    "AuditFinding",
    "Certificate",
    "Club",
    "CorrectionFault",
    "CriteriaVersion",
    "Criterion",
    "Decision",
    "Declaration",
    "Notification",
    "StandardCard",
    "StandardCardRow",
    "SubmissionRecord",
    "Transition",
    "Unit",
    "User",
    "Voivodeship",
]
