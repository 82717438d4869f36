"""The application (Formularz 1) as a list of sections the applicant fills
one by one, and what each section holds.

Formularz 1 asks for the applicant, the authorised person, the club with its
leader, the entry in the voivode's register, then the criteria of the
standard in six groups; the attachments back them. Each section knows:

- which answers it holds (for the check-your-answers page, the record of
  each submission and the list of what changed since the last one);
- what it still lacks before the application can be filed;
- its status: not started, in progress or complete.

The criteria come from the application's declarations, that is from the
version of the criteria dictionary the application was opened with.
"""

import hashlib
import json
from dataclasses import dataclass, field

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from certification.models import Application, Attachment, Declaration
from certification.models.attachments import AttachmentKind
from certification.states import (
    ApplicationKind,
    ApplicationState,
    CriterionGroup,
    Level,
)


class SectionKind(models.TextChoices):
    """The sections of Formularz 1, in its order. The values name the fault
    targets of a correction and the keys of recorded answers, so they never
    change.
    """

    APPLICANT = "applicant", _("Applicant")
    AUTHORISED_PERSON = "authorised_person", _("Person authorised to file")
    CLUB = "club", _("Club and its leader")
    REGISTER = "register", _("Entry in the voivode's register")
    # The six sections of criteria are named as the groups they hold.
    PREMISES = "premises", CriterionGroup.PREMISES.label
    STAFF = "staff", CriterionGroup.STAFF.label
    ORGANISATION = "organisation", CriterionGroup.ORGANISATION.label
    COOPERATION = "cooperation", CriterionGroup.COOPERATION.label
    INDIVIDUAL = "individual", CriterionGroup.INDIVIDUAL.label
    GROUP = "group", CriterionGroup.GROUP.label
    ATTACHMENTS = "attachments", _("Attachments")


class SectionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETE = "complete", pgettext_lazy("section", "Complete")


@dataclass(frozen=True)
class Section:
    kind: SectionKind
    # The address of the section's page, in Polish.
    slug: str
    # The criteria group the section holds, for the six sections of criteria.
    group: CriterionGroup | None = None
    # Sections whose lack does not stop the submission.
    optional: bool = False

    @property
    def title(self) -> str:
        return self.kind.label

    @property
    def is_criteria(self) -> bool:
        return self.group is not None


SECTIONS = [
    Section(SectionKind.APPLICANT, "wnioskodawca"),
    Section(SectionKind.AUTHORISED_PERSON, "osoba-upowazniona"),
    Section(SectionKind.CLUB, "klub"),
    Section(SectionKind.REGISTER, "rejestr-wojewody"),
    Section(SectionKind.PREMISES, "baza-lokalowa", CriterionGroup.PREMISES),
    Section(SectionKind.STAFF, "kadra", CriterionGroup.STAFF),
    Section(
        SectionKind.ORGANISATION,
        "przygotowanie-organizacyjne",
        CriterionGroup.ORGANISATION,
    ),
    Section(SectionKind.COOPERATION, "wspolpraca-lokalna", CriterionGroup.COOPERATION),
    Section(SectionKind.INDIVIDUAL, "uslugi-indywidualne", CriterionGroup.INDIVIDUAL),
    Section(SectionKind.GROUP, "uslugi-grupowe", CriterionGroup.GROUP),
    # Formularz 1 lists no attachments; they back the declarations and the
    # certifying unit may ask for them in a correction.
    Section(SectionKind.ATTACHMENTS, "zalaczniki", optional=True),
]

BY_SLUG = {section.slug: section for section in SECTIONS}
BY_KIND = {section.kind: section for section in SECTIONS}
OF_GROUP = {section.group: section for section in SECTIONS if section.group}

# The kinds of document a complete set of attachments has; "other" is extra.
EXPECTED_ATTACHMENTS = [
    AttachmentKind.PUP_AGREEMENT,
    AttachmentKind.OPS_AGREEMENT,
    AttachmentKind.RULES,
    AttachmentKind.DIAGNOSIS,
]


def next_section(section: Section) -> Section | None:
    position = SECTIONS.index(section)
    return SECTIONS[position + 1] if position + 1 < len(SECTIONS) else None


@dataclass(frozen=True)
class Answer:
    """One answer of the application as the check page and the record of a
    submission show it. `value` is what is compared between submissions;
    `display` is what a person reads.
    """

    key: str
    label: str
    value: str
    display: str
    section: SectionKind
    # The criterion the answer belongs to, where it belongs to one.
    criterion_code: str = ""


def _text(key, label, value, section) -> Answer:
    value = (value or "").strip()
    return Answer(key, str(label), value, value or "–", section)


def _level_value(declaration: Declaration) -> str:
    if declaration.not_applicable:
        return "na"
    if declaration.level is None:
        return ""
    return str(declaration.level)


def display_level(value: str) -> str:
    """The words of a recorded level: a level, "does not apply" or a dash."""
    if value == "na":
        return gettext("does not apply")
    if value in {str(level) for level in Level.values}:
        return str(Level(int(value)).label)
    return "–"


@dataclass
class Material:
    """What the sections are read from, fetched once per page."""

    application: Application
    declarations: list[Declaration]
    attachments: list[Attachment]

    @classmethod
    def of(cls, application: Application) -> "Material":
        return cls(
            application=application,
            declarations=list(
                application.declarations.select_related("criterion").order_by(
                    "criterion__position", "criterion__pk"
                )
            ),
            attachments=list(application.attachments.present()),
        )

    def declarations_of(self, group: CriterionGroup) -> list[Declaration]:
        return [d for d in self.declarations if d.criterion.group == group]


def answers(material: Material, section: Section) -> list[Answer]:
    """The answers one section holds, in the order of the form."""
    application = material.application
    kind = section.kind
    if kind == SectionKind.APPLICANT:
        unit = application.applicant_unit
        return [
            _text("applicant.name", _("Name"), unit.name, kind),
            _text("applicant.address", _("Address"), unit.address, kind),
            _text("applicant.phone", _("Phone"), unit.phone, kind),
            _text("applicant.email", _("E-mail"), unit.email, kind),
        ]
    if kind == SectionKind.AUTHORISED_PERSON:
        return [
            _text(
                "authorised_person.name",
                _("First name and surname"),
                application.authorised_person,
                kind,
            ),
            _text(
                "authorised_person.contact",
                _("Phone or e-mail"),
                application.authorised_person_contact,
                kind,
            ),
        ]
    if kind == SectionKind.CLUB:
        club = application.club
        return [
            _text("club.name", _("Club name"), club.name, kind),
            _text("club.address", _("Address"), club.address, kind),
            _text("club.gmina", _("Municipality (gmina)"), club.gmina, kind),
            _text("club.phone", _("Phone"), club.phone, kind),
            _text("club.email", _("E-mail"), club.email, kind),
            _text("club.leader_name", _("Club leader"), club.leader_name, kind),
            _text(
                "club.leader_contact",
                _("Leader's phone or e-mail"),
                club.leader_contact,
                kind,
            ),
        ]
    if kind == SectionKind.REGISTER:
        club = application.club
        date = club.register_entry_date
        return [
            _text(
                "register.date",
                _("Date of the entry"),
                date.strftime("%d.%m.%Y") if date else "",
                kind,
            ),
            _text(
                "register.number",
                _("Number in the register"),
                club.register_entry_number,
                kind,
            ),
        ]
    if kind == SectionKind.ATTACHMENTS:
        return [
            Answer(
                f"attachment.{attachment.sha256}",
                str(attachment.get_kind_display()),
                attachment.original_name,
                attachment.original_name,
                kind,
            )
            for attachment in material.attachments
        ]
    result = []
    renewal = application.kind == ApplicationKind.RENEWAL
    for declaration in material.declarations_of(section.group):
        criterion = declaration.criterion
        level = _level_value(declaration)
        result.append(
            Answer(
                f"criterion.{criterion.code}.level",
                gettext("%(criterion)s: declared level") % {"criterion": criterion},
                level,
                display_level(level),
                kind,
                criterion.code,
            )
        )
        result.append(
            Answer(
                f"criterion.{criterion.code}.description",
                gettext("%(criterion)s: what the club has") % {"criterion": criterion},
                declaration.description,
                declaration.description or "–",
                kind,
                criterion.code,
            )
        )
        if renewal:
            changed = declaration.changed_since_last
            result.append(
                Answer(
                    f"criterion.{criterion.code}.changed",
                    gettext("%(criterion)s: changed since the last application")
                    % {"criterion": criterion},
                    "1" if changed else "",
                    gettext("yes") if changed else gettext("no"),
                    kind,
                    criterion.code,
                )
            )
    return result


def revision(material: Material, section: Section) -> str:
    """A short fingerprint of the section's saved answers. A page carries the
    one it was shown with, so a save from a page opened before someone else
    saved the section is caught instead of silently undoing their work.
    """
    values = [(answer.key, answer.value) for answer in answers(material, section)]
    encoded = json.dumps(values, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()[:16]


def gaps(material: Material, section: Section) -> list[str]:
    """What the section still lacks before the application can be filed, in
    words that name the field.
    """
    application = material.application
    kind = section.kind
    missing = []
    if kind == SectionKind.APPLICANT:
        unit = application.applicant_unit
        if not unit.name:
            missing.append(gettext("the name of the applicant"))
        if not (unit.street and unit.postal_code and unit.city):
            missing.append(gettext("the address of the applicant"))
    elif kind == SectionKind.AUTHORISED_PERSON:
        if not application.authorised_person:
            missing.append(gettext("the person authorised to file the application"))
        if not application.authorised_person_contact:
            missing.append(gettext("the contact of the authorised person"))
    elif kind == SectionKind.CLUB:
        club = application.club
        if not (club.name and club.street and club.postal_code and club.city):
            missing.append(gettext("the name and address of the club"))
        if not (club.phone or club.email):
            missing.append(gettext("the club's phone or e-mail"))
        if not club.leader_name:
            missing.append(gettext("the club leader"))
        if not club.leader_contact:
            missing.append(gettext("the leader's phone or e-mail"))
    elif kind == SectionKind.REGISTER:
        if not application.club.register_entry_date:
            missing.append(gettext("the date of the entry in the voivode's register"))
    elif kind == SectionKind.ATTACHMENTS:
        present = {attachment.kind for attachment in material.attachments}
        missing.extend(
            gettext("attachment: %(kind)s") % {"kind": kind.label}
            for kind in EXPECTED_ATTACHMENTS
            if kind not in present
        )
    else:
        for declaration in material.declarations_of(section.group):
            name = declaration.criterion.name
            if declaration.level is None and not declaration.not_applicable:
                missing.append(
                    gettext("the declared level of: %(criterion)s")
                    % {"criterion": name}
                )
            if not declaration.description.strip():
                missing.append(
                    gettext("the description of: %(criterion)s") % {"criterion": name}
                )
    return missing


def _started(material: Material, section: Section) -> bool:
    """Whether the applicant has put anything into the section yet."""
    kind = section.kind
    if kind in (SectionKind.APPLICANT, SectionKind.CLUB, SectionKind.REGISTER):
        # Filled from the registration of the institution and of the club.
        return any(answer.value for answer in answers(material, section))
    if kind == SectionKind.AUTHORISED_PERSON:
        application = material.application
        return bool(
            application.authorised_person or application.authorised_person_contact
        )
    if kind == SectionKind.ATTACHMENTS:
        return bool(material.attachments)
    return any(
        declaration.level is not None
        or declaration.not_applicable
        or declaration.description.strip()
        for declaration in material.declarations_of(section.group)
    )


def status(material: Material, section: Section) -> SectionStatus:
    if not gaps(material, section):
        return SectionStatus.COMPLETE
    if _started(material, section):
        return SectionStatus.IN_PROGRESS
    return SectionStatus.NOT_STARTED


@dataclass
class SectionState:
    """One line of the task list."""

    section: Section
    status: SectionStatus
    gaps: list[str]
    faults: list = field(default_factory=list)


def task_list(application: Application, material: Material | None = None):
    """Every section of the application with its status and what it lacks,
    and the faults of the current correction that concern it.
    """
    material = material or Material.of(application)
    faults = by_section(faults_to_correct(application))
    return [
        SectionState(
            section=section,
            status=status(material, section),
            gaps=gaps(material, section),
            faults=faults.get(section.kind, []),
        )
        for section in SECTIONS
    ]


def submission_gaps(application: Application) -> list[str]:
    """What stops the application from being filed, section by section."""
    material = Material.of(application)
    return [
        gap
        for section in SECTIONS
        if not section.optional
        for gap in gaps(material, section)
    ]


def all_answers(application: Application) -> list[Answer]:
    material = Material.of(application)
    return [answer for section in SECTIONS for answer in answers(material, section)]


def record(application: Application) -> dict:
    """The answers as recorded with a submission: enough to tell later what
    changed and to show what was filed.
    """
    # Kept in the language of the documents, whatever the browser of the
    # person who submitted: officers read it in the list of changes.
    with translation.override(settings.LANGUAGE_CODE):
        return {
            answer.key: {
                "label": answer.label,
                "value": answer.value,
                "display": answer.display,
                "section": answer.section.value,
            }
            for answer in all_answers(application)
        }


@dataclass(frozen=True)
class Change:
    """One answer that differs from the last submission."""

    key: str
    label: str
    section: SectionKind
    before: str
    after: str


def changes(before: dict, after: dict) -> list[Change]:
    """The answers that differ between two records, in the form's order:
    changed and added answers, then removed ones (such as a deleted file).
    """
    found = []
    for key, now in after.items():
        then = before.get(key)
        if then is None or then["value"] != now["value"]:
            found.append(
                Change(
                    key,
                    now["label"],
                    SectionKind(now["section"]),
                    then["display"] if then else "–",
                    now["display"],
                )
            )
    for key, then in before.items():
        if key not in after:
            found.append(
                Change(
                    key,
                    then["label"],
                    SectionKind(then["section"]),
                    then["display"],
                    "–",
                )
            )
    return found


def faults_to_correct(application: Application) -> list:
    """The faults the applicant is to correct now: none unless the
    application waits for a correction.
    """
    if application.state != ApplicationState.CORRECTION:
        return []
    return current_faults(application)


def by_section(faults) -> dict[str, list]:
    """Faults grouped by the value of the section they concern."""
    grouped: dict[str, list] = {}
    for fault in faults:
        grouped.setdefault(fault.section, []).append(fault)
    return grouped


def by_criterion(faults) -> dict[int, list]:
    """Faults tied to a criterion, grouped by the criterion's id."""
    grouped: dict[int, list] = {}
    for fault in faults:
        if fault.criterion_id:
            grouped.setdefault(fault.criterion_id, []).append(fault)
    return grouped


def current_faults(application: Application):
    """The faults of the correction the application is waiting for, or of the
    last one while it is being checked again.
    """
    from certification.models import CorrectionFault

    latest = (
        CorrectionFault.objects.filter(application=application)
        .order_by("-requested_in__at", "-requested_in__pk")
        .values_list("requested_in", flat=True)
        .first()
    )
    if latest is None:
        return []
    return list(
        CorrectionFault.objects.filter(requested_in=latest)
        .select_related("criterion")
        .order_by("position", "pk")
    )
