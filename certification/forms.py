"""Forms of the certification screens. Services hold the rules; forms hold
what the user typed, with messages next to the fields.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

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


class FaultsForm(ExpectedStateForm):
    faults = forms.CharField(
        max_length=5000,
        label=_("Faults to correct"),
        help_text=_("List each fault on its own line; the applicant sees this list."),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("List the faults to correct.")},
    )


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
