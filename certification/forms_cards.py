"""Forms of the two card screens: the standard card (Formularz 3) and the
audit card (Karta audytu). The services hold the rules; these forms carry
what the user typed, criterion by criterion, so that a refused save can show
it again with each message next to its field.
"""

from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import ValidationError
from django.forms.boundfield import BoundField
from django.utils.translation import gettext_lazy as _

from certification.models import (
    Audit,
    AuditFinding,
    Declaration,
    StandardCard,
    StandardCardRow,
)
from certification.states import (
    INSTITUTIONAL_GROUPS,
    SERVICE_GROUPS,
    CriterionGroup,
    Result,
)

# The two parts of the standard, in the order of Formularz 3.
SCOPES = [
    (_("Institutional scope"), INSTITUTIONAL_GROUPS),
    (_("Service scope"), SERVICE_GROUPS),
]

STALE_FORM = _("This form is incomplete or out of date. Reload the page.")


class CardBoundField(BoundField):
    """Marks a field with errors with Bootstrap's `is-invalid` as well as the
    `aria-invalid` Django adds, so the mark is not colour alone.
    """

    def build_widget_attrs(self, attrs, widget=None):
        attrs = super().build_widget_attrs(attrs, widget)
        widget = widget or self.field.widget
        if self.errors and not widget.is_hidden:
            base = attrs.get("class") or widget.attrs.get("class", "")
            attrs["class"] = f"{base} is-invalid".strip()
        return attrs


@dataclass
class CardLine:
    """One criterion on a card screen: the saved row and its input fields."""

    item: StandardCardRow | AuditFinding
    declaration: Declaration | None
    fields: dict[str, BoundField] = field(default_factory=dict)

    @property
    def criterion(self):
        return self.item.criterion


@dataclass
class CardGroup:
    group: CriterionGroup
    lines: list[CardLine]

    @property
    def label(self) -> str:
        return self.group.label


@dataclass
class CardScope:
    title: str
    groups: list[CardGroup]


class CardForm(forms.Form):
    """What both cards share: the revision they were opened at (optimistic
    locking in the services), and the grouping of criteria as in Formularz 3.
    """

    bound_field_class = CardBoundField

    revision = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={"required": STALE_FORM, "invalid": STALE_FORM},
    )

    # Names of the per-criterion fields, as `key: prefix`; the field of an
    # item is f"{prefix}_{item.pk}".
    line_fields: dict[str, str] = {}

    def __init__(self, *args, items, declarations, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        self.declarations = declarations

    def add_service_errors(self, error: ValidationError) -> None:
        """Put a service's messages next to the fields they name."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error.messages)
            return
        for name, messages in error.message_dict.items():
            self.add_error(name if name in self.fields else None, messages)

    def error_summary(self) -> list[dict]:
        """Every message of the form, in the order of the fields, each with
        the id of its field so the summary at the top can link to it.
        """
        summary = [{"message": message} for message in self.non_field_errors()]
        for bound in self:
            for message in bound.errors:
                if bound.is_hidden:
                    summary.append({"message": message})
                else:
                    summary.append(
                        {
                            "anchor": bound.auto_id,
                            "label": bound.label,
                            "message": message,
                        }
                    )
        return summary

    def scopes(self) -> list[CardScope]:
        """The criteria with their fields, grouped as in Formularz 3."""
        by_group: dict[str, list[CardLine]] = {}
        for item in self.items:
            line = CardLine(
                item=item,
                declaration=self.declarations.get(item.criterion_id),
                fields={
                    key: self[f"{prefix}_{item.pk}"]
                    for key, prefix in self.line_fields.items()
                },
            )
            by_group.setdefault(item.criterion.group, []).append(line)
        scopes = []
        for title, groups in SCOPES:
            present = [
                CardGroup(CriterionGroup(group), by_group[group])
                for group in groups
                if group in by_group
            ]
            if present:
                scopes.append(CardScope(str(title), present))
        return scopes


class StandardCardForm(CardForm):
    """The officer's results on the standard card, with the final opinion."""

    final_opinion = forms.CharField(
        label=_("Final opinion"),
        required=False,
        help_text=_("Required to complete the card."),
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
    )
    # Set by the button the officer pressed, never rendered as a field.
    complete = forms.BooleanField(required=False)

    line_fields = {"result": "result", "reason": "reason"}

    def __init__(self, *args, card: StandardCard, **kwargs):
        super().__init__(*args, items=card.rows.all(), **kwargs)
        self.card = card
        self.fields["revision"].initial = card.revision
        self.fields["final_opinion"].initial = card.final_opinion
        for row in self.items:
            name = row.criterion.name
            self.fields[f"result_{row.pk}"] = forms.ChoiceField(
                label=_("Result: %(criterion)s") % {"criterion": name},
                choices=Result.choices,
                initial=row.result,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                error_messages={"required": _("Choose the result.")},
            )
            # The name matches the key of the service's error for this row.
            self.fields[f"reason_{row.pk}"] = forms.CharField(
                label=_("Reason for changing: %(criterion)s") % {"criterion": name},
                required=False,
                initial=row.override_reason,
                widget=forms.Textarea(
                    attrs={"rows": 2, "class": "form-control form-control-sm"}
                ),
            )

    def results(self) -> dict[int, dict]:
        """The results in the shape `services.standard_card_save` takes."""
        return {
            row.pk: {
                "result": self.cleaned_data[f"result_{row.pk}"],
                "override_reason": self.cleaned_data[f"reason_{row.pk}"],
            }
            for row in self.items
        }


YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def _yes_no(value: bool | None) -> str | None:
    if value is None:
        return None
    return "yes" if value else "no"


def _yes_no_field(label, initial: bool | None) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        empty_value=None,
        required=False,
        initial=_yes_no(initial),
        widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
    )


class AuditCardForm(CardForm):
    """The auditors' findings on site, criterion by criterion, and the
    final conclusion of the audit.
    """

    register_entry_confirmation = forms.CharField(
        label=_("Confirmation of the entry in the voivode's register"),
        required=False,
        help_text=_(
            "The auditor's annotation, for example: the entry in the voivode's "
            "register is confirmed."
        ),
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )
    conclusion = forms.CharField(
        label=_("Final conclusion of the audit"),
        required=False,
        help_text=_("Required, with the answer below, to deliver the report."),
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
    )

    line_fields = {"confirmed": "confirmed", "annotation": "annotation"}

    def __init__(self, *args, audit: Audit, **kwargs):
        super().__init__(*args, items=audit.findings.all(), **kwargs)
        self.audit = audit
        self.fields["revision"].initial = audit.revision
        self.fields[
            "register_entry_confirmation"
        ].initial = audit.register_entry_confirmation
        self.fields["conclusion"].initial = audit.conclusion
        self.fields["conclusion_positive"] = _yes_no_field(
            _("The club meets the standard"), audit.conclusion_positive
        )
        for finding in self.items:
            name = finding.criterion.name
            self.fields[f"confirmed_{finding.pk}"] = _yes_no_field(
                _("Confirmed on site: %(criterion)s") % {"criterion": name},
                finding.confirmed,
            )
            self.fields[f"annotation_{finding.pk}"] = forms.CharField(
                label=_("Auditor's annotation: %(criterion)s") % {"criterion": name},
                required=False,
                initial=finding.annotation,
                widget=forms.Textarea(
                    attrs={"rows": 2, "class": "form-control form-control-sm"}
                ),
            )

    def findings(self) -> dict[int, dict]:
        """The findings in the shape `services.audit_card_save` takes."""
        return {
            finding.pk: {
                "confirmed": self.cleaned_data[f"confirmed_{finding.pk}"],
                "annotation": self.cleaned_data[f"annotation_{finding.pk}"],
            }
            for finding in self.items
        }
