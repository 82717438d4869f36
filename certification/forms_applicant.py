"""Forms of the applicant's screens: the club and the application (Formularz 1).

Services hold the rules; these forms hold what the user typed, keep it when
something is wrong, and put each message next to its field and in the summary
at the top of the page.
"""

from dataclasses import dataclass, field

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from certification.fields import PhoneField, PostalCodeField
from certification.models import Application, Club, Criterion, Unit, Voivodeship
from certification.states import (
    ApplicationKind,
    CriterionGroup,
    Level,
)

# The limit of one description: long enough for a page of text, short enough
# for the standard card and the PDF of the application.
DESCRIPTION_MAX_LENGTH = 4000

DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]


@dataclass(frozen=True)
class SummaryError:
    """One line of the error summary: what is wrong and where to fix it."""

    label: str
    message: str
    anchor: str


class ErrorSummaryMixin:
    """Lists every error of the form for the summary at the top of a page,
    each linked to the field it belongs to.
    """

    def summary_label(self, name: str) -> str:
        return str(self[name].label)

    def error_summary(self) -> list[SummaryError]:
        summary = []
        for name, messages in self.errors.items():
            if name == NON_FIELD_ERRORS or name not in self.fields:
                summary.extend(SummaryError("", str(m), "") for m in messages)
                continue
            bound = self[name]
            # A radio group has no element of its own id: point at its first
            # option, which is where the keyboard lands.
            anchor = bound.id_for_label or f"{bound.auto_id}_0"
            summary.extend(
                SummaryError(self.summary_label(name), str(m), anchor) for m in messages
            )
        return summary

    def add_service_errors(self, error: ValidationError) -> None:
        """Put the messages of a service's ValidationError on the fields they
        name, and the others at the top of the form.
        """
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
        else:
            for field, messages in error.message_dict.items():
                self.add_error(field if field in self.fields else None, messages)
        self.errors_changed()

    def errors_changed(self) -> None:
        """Called once the errors are known, to mark the fields that have them."""

    def mark_invalid_fields(self) -> None:
        """Add Bootstrap's is-invalid to the widgets of fields with errors."""
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                classes = widget.attrs.get("class", "")
                if "is-invalid" not in classes.split():
                    widget.attrs["class"] = f"{classes} is-invalid".strip()


def token_field() -> forms.UUIDField:
    """A one-time token sent with a form, so a double click or a resent form
    creates one object, not two. The view sets a new one on each GET.
    """
    return forms.UUIDField(
        widget=forms.HiddenInput,
        required=False,
        error_messages={
            "invalid": _("The form has expired. Reload the page and try again.")
        },
    )


class ClubForm(ErrorSummaryMixin, forms.ModelForm):
    """The club's data as Formularz 1 asks for them."""

    token = token_field()

    register_entry_date = forms.DateField(
        label=_("Date of entry in the voivode's register"),
        help_text=_(
            "Format: DD.MM.YYYY, for example 15.01.2026. "
            "Leave empty if the club has not been entered yet."
        ),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(format="%d.%m.%Y"),
        error_messages={
            "invalid": _(
                "Enter an existing date as DD.MM.YYYY, for example 15.01.2026."
            )
        },
    )

    class Meta:
        model = Club
        fields = [
            "name",
            "voivodeship",
            "street",
            "postal_code",
            "city",
            "gmina",
            "phone",
            "email",
            "leader_name",
            "leader_contact",
            "register_entry_date",
            "register_entry_number",
        ]
        # Both accept the usual typings ("00950", "601-234-567") and store one.
        field_classes = {"postal_code": PostalCodeField, "phone": PhoneField}
        help_texts = {
            "postal_code": _("Format: NN-NNN, for example 00-950."),
            "leader_name": _("First name and surname."),
            "register_entry_number": _("Leave empty if no number has been given yet."),
        }
        error_messages = {
            "name": {"required": _("Enter the name of the club.")},
            "voivodeship": {"required": _("Choose the voivodeship.")},
            "street": {"required": _("Enter the street and number.")},
            "postal_code": {"required": _("Enter the postal code.")},
            "city": {"required": _("Enter the town.")},
            "leader_name": {"required": _("Enter the name of the club leader.")},
            "email": {
                "invalid": _("Enter an e-mail address, for example klub@gmina.pl.")
            },
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        postal_code = self.fields["postal_code"]
        postal_code.widget.attrs.update({"size": 6, "class": "w-auto"})
        voivodeship = self.fields["voivodeship"]
        voivodeship.queryset = Voivodeship.objects.order_by("teryt")
        voivodeship.empty_label = _("Choose the voivodeship")
        self.fields["email"].widget.attrs["autocomplete"] = "off"

    def club_data(self) -> dict:
        """The cleaned values for services.club_create, without the token."""
        return {name: self.cleaned_data[name] for name in self._meta.fields}


# How the readiness self-check writes "does not apply" in its query string.
READINESS_NOT_APPLICABLE = "na"


class StartApplicationForm(forms.Form):
    """The button that opens a draft application for a club."""

    token = token_field()
    # The answers of the public readiness self-check, as its query string,
    # carried to pre-fill the declared levels of the new application.
    answers = forms.CharField(widget=forms.HiddenInput, required=False, max_length=4000)

    def levels(self) -> dict[str, int | None]:
        """The carried answers by criterion code: a level, or None where the
        club says the criterion does not apply. Anything else is dropped.
        """
        answers = QueryDict(self.cleaned_data.get("answers") or "")
        levels = {}
        for code, value in answers.items():
            if value == READINESS_NOT_APPLICABLE:
                levels[code] = None
            elif value in [str(level) for level in Level.values]:
                levels[code] = int(value)
        return levels


@dataclass(frozen=True)
class CriterionRow:
    """The fields of one criterion in the application form."""

    criterion: Criterion
    level: forms.BoundField
    not_applicable: forms.BoundField | None
    description: forms.BoundField
    # Only in a renewal: whether this changed since the last application.
    changed: forms.BoundField | None = None
    # The faults of the current correction about this criterion.
    faults: list = field(default_factory=list)

    @property
    def guidance_id(self) -> str:
        return f"guidance_{self.criterion.pk}"

    @property
    def level_described_by(self) -> str:
        ids = [self.guidance_id]
        if self.level.errors:
            ids.append(f"{self.level.auto_id}_error")
        return " ".join(ids)


class DescriptionField(forms.CharField):
    """A text box whose line breaks count as one character, as the browser
    counts them, so that a text the browser accepted is not refused here.
    """

    def to_python(self, value):
        value = super().to_python(value)
        return value.replace("\r\n", "\n") if value else value

    def widget_attrs(self, widget):
        # No maxlength for the browser: it would cut a pasted text short
        # without a word. A text too long is refused with its length instead.
        attrs = super().widget_attrs(widget)
        attrs.pop("maxlength", None)
        return attrs


class CriteriaSectionForm(ErrorSummaryMixin, forms.Form):
    """One section of criteria of the application (Formularz 1): for each
    criterion of the group, the declared level and what the club has.

    The criteria come from the application's declarations, that is from the
    version of the dictionary the application was opened with.
    """

    def __init__(
        self, *args, application: Application, group: CriterionGroup, **kwargs
    ) -> None:
        super().__init__(*args, **kwargs)
        self.application = application
        self.declarations = list(
            application.declarations.select_related("criterion")
            .filter(criterion__group=group)
            .order_by("criterion__position", "criterion__pk")
        )
        self.criterion_of_field = {}
        for declaration in self.declarations:
            self._add_criterion_fields(declaration)
        self._describe_descriptions()

    def _add_criterion_fields(self, declaration) -> None:
        criterion = declaration.criterion
        pk = criterion.pk
        self.fields[f"level_{pk}"] = forms.TypedChoiceField(
            label=_("Declared level"),
            choices=Level.choices,
            coerce=int,
            empty_value=None,
            required=False,
            initial=declaration.level,
            widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
            error_messages={"invalid_choice": _("Choose one of the levels listed.")},
        )
        self.criterion_of_field[f"level_{pk}"] = criterion
        if criterion.applies_only_where_needed:
            self.fields[f"not_applicable_{pk}"] = forms.BooleanField(
                label=_("Does not apply to this club"),
                help_text=_(
                    "Tick only if the club does not need this; say why in the "
                    "description. The declared level is then left out."
                ),
                required=False,
                initial=declaration.not_applicable,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )
            self.criterion_of_field[f"not_applicable_{pk}"] = criterion
        self.fields[f"description_{pk}"] = DescriptionField(
            label=_("What the club has"),
            help_text=_("At most %(limit)s characters.")
            % {"limit": DESCRIPTION_MAX_LENGTH},
            max_length=DESCRIPTION_MAX_LENGTH,
            required=False,
            initial=declaration.description,
            widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
            error_messages={
                "max_length": _(
                    "Write at most %(limit_value)d characters "
                    "(the text has %(show_value)d)."
                )
            },
        )
        self.criterion_of_field[f"description_{pk}"] = criterion
        if self.application.kind == ApplicationKind.RENEWAL:
            self.fields[f"changed_{pk}"] = forms.BooleanField(
                label=_("Changed since the last application"),
                required=False,
                initial=declaration.changed_since_last,
                widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
            )
            self.criterion_of_field[f"changed_{pk}"] = criterion

    def _describe_descriptions(self) -> None:
        """Tie each text box to its criterion's guidance, its help text and
        its error, so a screen reader reads them with the field.
        """
        for declaration in self.declarations:
            name = f"description_{declaration.criterion.pk}"
            bound = self[name]
            ids = [f"guidance_{declaration.criterion.pk}", f"{bound.auto_id}_helptext"]
            if self.is_bound and name in self.errors:
                ids.append(f"{bound.auto_id}_error")
            self.fields[name].widget.attrs["aria-describedby"] = " ".join(ids)

    def full_clean(self) -> None:
        super().full_clean()
        self.errors_changed()

    def errors_changed(self) -> None:
        self.mark_invalid_fields()
        self._describe_descriptions()

    def summary_label(self, name: str) -> str:
        criterion = self.criterion_of_field.get(name)
        if criterion is None:
            return super().summary_label(name)
        return f"{criterion.name}: {self[name].label}"

    def declarations_data(self) -> dict[int, dict]:
        """The declared values for services.application_update, by criterion id."""
        data = {}
        for declaration in self.declarations:
            pk = declaration.criterion.pk
            not_applicable = bool(self.cleaned_data.get(f"not_applicable_{pk}"))
            data[pk] = {
                # A radio choice cannot be undone without a script: ticking
                # "does not apply" is how the applicant takes it back.
                "level": None if not_applicable else self.cleaned_data[f"level_{pk}"],
                "not_applicable": not_applicable,
                "description": self.cleaned_data[f"description_{pk}"],
            }
            if f"changed_{pk}" in self.fields:
                data[pk]["changed_since_last"] = bool(
                    self.cleaned_data.get(f"changed_{pk}")
                )
        return data

    def rows(self, faults_by_criterion: dict | None = None) -> list[CriterionRow]:
        """The criteria of the section in the dictionary's order, each with
        the faults of the current correction that concern it.
        """
        faults_by_criterion = faults_by_criterion or {}
        rows = []
        for declaration in self.declarations:
            criterion = declaration.criterion
            pk = criterion.pk
            rows.append(
                CriterionRow(
                    criterion=criterion,
                    level=self[f"level_{pk}"],
                    not_applicable=(
                        self[f"not_applicable_{pk}"]
                        if f"not_applicable_{pk}" in self.fields
                        else None
                    ),
                    description=self[f"description_{pk}"],
                    changed=(
                        self[f"changed_{pk}"]
                        if f"changed_{pk}" in self.fields
                        else None
                    ),
                    faults=faults_by_criterion.get(pk, []),
                )
            )
        return rows


class InstitutionForm(ErrorSummaryMixin, forms.ModelForm):
    """The applicant section: the founding institution's name and address."""

    class Meta:
        model = Unit
        fields = ["name", "street", "postal_code", "city", "phone", "email"]
        field_classes = {"postal_code": PostalCodeField, "phone": PhoneField}
        labels = {
            "name": _("Name of the institution"),
            "city": _("Town"),
        }
        help_texts = {
            "name": _(
                "The institution that founded the club, for example the "
                "municipal social welfare centre."
            ),
            "postal_code": _("Format: NN-NNN, for example 00-950."),
        }
        error_messages = {
            "name": {"required": _("Enter the name of the institution.")},
            "email": {
                "invalid": _("Enter an e-mail address, for example ops@gmina.pl.")
            },
        }

    def full_clean(self) -> None:
        super().full_clean()
        self.mark_invalid_fields()

    def section_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self._meta.fields}


class AuthorisedPersonForm(ErrorSummaryMixin, forms.Form):
    """The person authorised to file the application, and how to reach them."""

    authorised_person = forms.CharField(
        label=_("Person authorised to file the application"),
        help_text=_("First name and surname."),
        max_length=200,
        required=False,
    )
    authorised_person_contact = forms.CharField(
        label=_("Authorised person's phone or e-mail"),
        help_text=_("The certifying unit uses it to ask about the application."),
        max_length=200,
        required=False,
    )

    def full_clean(self) -> None:
        super().full_clean()
        self.mark_invalid_fields()


class ClubSectionForm(ClubForm):
    """The club section: the club's name, address and contact, and its leader.
    The voivodeship is fixed once an application is open: it decides which
    units handle the case.
    """

    token = None

    class Meta(ClubForm.Meta):
        # The voivodeship is fixed; the register entry has a section of its own.
        fields = [
            name
            for name in ClubForm.Meta.fields
            if name
            not in ("voivodeship", "register_entry_date", "register_entry_number")
        ]

    def __init__(self, *args, **kwargs) -> None:
        forms.ModelForm.__init__(self, *args, **kwargs)
        self.fields["postal_code"].widget.attrs.update({"size": 6, "class": "w-auto"})
        self.fields["email"].widget.attrs["autocomplete"] = "off"
        self.fields["email"].help_text = _("At least a phone or an e-mail.")

    def full_clean(self) -> None:
        super().full_clean()
        self.mark_invalid_fields()


class RegisterEntryForm(ErrorSummaryMixin, forms.ModelForm):
    """The date and number of the club's entry in the voivode's register."""

    register_entry_date = ClubForm.base_fields["register_entry_date"]

    class Meta:
        model = Club
        fields = ["register_entry_date", "register_entry_number"]
        help_texts = {
            "register_entry_number": _("Leave empty if no number has been given yet."),
        }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["register_entry_date"].help_text = _(
            "Format: DD.MM.YYYY, for example 15.01.2026."
        )

    def full_clean(self) -> None:
        super().full_clean()
        self.mark_invalid_fields()
