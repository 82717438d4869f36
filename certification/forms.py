"""Forms of the certification screens. Services hold the rules; forms hold
what the user typed, with messages next to the fields.
"""

from dataclasses import dataclass
from dataclasses import field as dataclass_field

from django import forms
from django.utils.translation import gettext_lazy as _

from certification import application_sections
from certification.forms_applicant import DescriptionField, SummaryError
from certification.states import ApplicationState


class ExpectedStateForm(forms.Form):
    """Carries the state the user saw, so a repeated click changes nothing."""

    expected_state = forms.CharField(widget=forms.HiddenInput, required=False)


class ConfirmForm(ExpectedStateForm):
    pass


class NoteForm(ExpectedStateForm):
    note = forms.CharField(
        max_length=5000,
        label=_("Note (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


# The limits of a correction request: one fault tied to a part of the
# application, and the general note about the whole of it.
FAULT_MAX_LENGTH = 2000
GENERAL_NOTE_MAX_LENGTH = 5000


def _fault_field(label, limit: int) -> forms.CharField:
    return DescriptionField(
        max_length=limit,
        label=label,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        error_messages={
            "max_length": _(
                "Describe the fault in at most %(limit_value)d characters "
                "(the text has %(show_value)d)."
            )
        },
    )


@dataclass
class FaultBox:
    """One text box of the correction form with what it concerns: the
    answers the officer reads while writing the fault.
    """

    field: forms.BoundField
    answers: list = dataclass_field(default_factory=list)


@dataclass
class FaultSection:
    """A section of the application on the correction form: one box for a
    section of data, one box per criterion for a section of criteria.
    """

    section: application_sections.Section
    boxes: list[FaultBox]

    @property
    def is_criteria(self) -> bool:
        return self.section.is_criteria

    @property
    def open(self) -> bool:
        """Shown unfolded when something was typed in it or is wrong."""
        return any(box.field.value() or box.field.errors for box in self.boxes)


class CorrectionFaultsForm(ExpectedStateForm):
    """The faults the certifying unit lists when it asks for a correction:
    one box per section of data and per criterion of this application, so
    the applicant sees each fault next to what it concerns, and a general
    note. At least one of them must be filled in.
    """

    faults = _fault_field(_("Other faults (general note)"), GENERAL_NOTE_MAX_LENGTH)

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        self.fields["faults"].help_text = _(
            "Faults that concern no single part of the application, such as a "
            "missing signature. The applicant sees this note with the list."
        )
        self.fields["faults"].widget.attrs["rows"] = 4
        self.material = application_sections.Material.of(application)
        # Where each box's fault belongs: (section value, criterion id).
        self.target_of_field = {}
        for section in application_sections.SECTIONS:
            if section.is_criteria:
                for declaration in self.material.declarations_of(section.group):
                    criterion = declaration.criterion
                    name = f"criterion_{criterion.pk}"
                    self.fields[name] = _fault_field(criterion.name, FAULT_MAX_LENGTH)
                    self.target_of_field[name] = (section.kind.value, criterion.pk)
            else:
                name = f"section_{section.kind.value}"
                self.fields[name] = _fault_field(section.title, FAULT_MAX_LENGTH)
                self.target_of_field[name] = (section.kind.value, None)

    def add_error(self, field, error):
        super().add_error(field, error)
        self._describe_fields()

    def full_clean(self):
        super().full_clean()
        self._describe_fields()

    def _describe_fields(self) -> None:
        """Tie each box to its help text and its error for screen readers,
        and mark the boxes in error for the eye.
        """
        for name, field in self.fields.items():
            if name == "expected_state":
                continue
            bound = self[name]
            ids = [f"{bound.auto_id}_helptext"] if field.help_text else []
            classes = [
                c
                for c in field.widget.attrs.get("class", "").split()
                if c != "is-invalid"
            ]
            if self.is_bound and name in self.errors:
                ids.append(f"{bound.auto_id}_error")
                classes.append("is-invalid")
            field.widget.attrs["class"] = " ".join(classes)
            if ids:
                field.widget.attrs["aria-describedby"] = " ".join(ids)
            else:
                field.widget.attrs.pop("aria-describedby", None)

    def clean(self):
        cleaned = super().clean()
        listed = []
        for name, (section, criterion) in self.target_of_field.items():
            message = (cleaned.get(name) or "").strip()
            if message:
                listed.append(
                    {"section": section, "criterion": criterion, "message": message}
                )
        general = (cleaned.get("faults") or "").strip()
        if not listed and not general and not self.errors:
            raise forms.ValidationError(_("List the faults to correct."))
        cleaned["faults"] = general
        cleaned["listed"] = listed
        return cleaned

    def sections(self) -> list[FaultSection]:
        """The boxes in the order of the form, section by section, each with
        the answers it concerns.
        """
        result = []
        for section in application_sections.SECTIONS:
            answers = application_sections.answers(self.material, section)
            if section.is_criteria:
                boxes = [
                    FaultBox(
                        self[f"criterion_{declaration.criterion.pk}"],
                        [
                            answer
                            for answer in answers
                            if answer.criterion_code == declaration.criterion.code
                        ],
                    )
                    for declaration in self.material.declarations_of(section.group)
                ]
            else:
                boxes = [FaultBox(self[f"section_{section.kind.value}"], answers)]
            result.append(FaultSection(section, boxes))
        return result

    def error_summary(self) -> list[SummaryError]:
        """Each error with the label and the id of its box, for the summary
        at the top of the page.
        """
        summary = []
        for name, messages in self.errors.items():
            if name not in self.fields:
                summary.extend(SummaryError("", str(m), "") for m in messages)
                continue
            bound = self[name]
            summary.extend(
                SummaryError(str(bound.label), str(m), bound.auto_id) for m in messages
            )
        return summary


class ReasonsForm(ExpectedStateForm):
    reasons = forms.CharField(
        max_length=5000,
        label=_("Reasons"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("State the reasons.")},
    )


class OptionalReasonsForm(ExpectedStateForm):
    reasons = forms.CharField(
        max_length=5000,
        label=_("Justification (optional)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class GroundsForm(ExpectedStateForm):
    grounds = forms.CharField(
        max_length=5000,
        label=_("Grounds of the appeal"),
        help_text=_("Say what you disagree with in the refusal and why."),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Write the grounds of the appeal.")},
    )


class UpholdForm(ReasonsForm):
    return_to = forms.ChoiceField(
        label=_("The case returns to the certifying unit for"),
        choices=[
            (ApplicationState.DECISION, _("a new decision")),
            (ApplicationState.MERIT_REVIEW, _("a new merit review")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose where the case returns.")},
    )


class StartAuditForm(ExpectedStateForm):
    planned_on = forms.DateField(
        label=_("Date of the audit visit"),
        help_text=_("Format: DD.MM.YYYY"),
        input_formats=["%d.%m.%Y", "%Y-%m-%d"],
        widget=forms.DateInput(format="%d.%m.%Y"),
        error_messages={
            "required": _("Enter the date of the audit visit."),
            "invalid": _(
                "Enter an existing date as DD.MM.YYYY, for example 15.01.2027."
            ),
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for position in (1, 2, 3):
            self.fields[f"expert_{position}_name"] = forms.CharField(
                label=_("Expert %(n)s: first name and surname") % {"n": position},
                max_length=200,
                error_messages={"required": _("Enter the expert's name.")},
            )
            self.fields[f"expert_{position}_contact"] = forms.CharField(
                label=_("Expert %(n)s: phone or e-mail") % {"n": position},
                max_length=200,
                error_messages={"required": _("Enter the expert's contact.")},
            )
            self.fields[f"expert_{position}_no_conflict_declared"] = forms.BooleanField(
                label=_(
                    "Expert %(n)s declares no conflict of interest with the club, "
                    "its founding institution and its partners"
                )
                % {"n": position},
                error_messages={
                    "required": _("Each expert must declare no conflict of interest.")
                },
            )

    def experts(self) -> list[dict]:
        return [
            {
                "name": self.cleaned_data[f"expert_{n}_name"],
                "contact": self.cleaned_data[f"expert_{n}_contact"],
                "no_conflict_declared": self.cleaned_data[
                    f"expert_{n}_no_conflict_declared"
                ],
            }
            for n in (1, 2, 3)
        ]
