"""The form an applicant institution registers itself with, and the login
form its people use.
"""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from certification.accounts import InstitutionData
from certification.fields import (
    EmailAddressField,
    KRSField,
    NIPField,
    PostalCodeField,
    REGONField,
)
from certification.forms_applicant import ErrorSummaryMixin
from certification.models import User, Voivodeship


class LoginForm(AuthenticationForm):
    """Django's login, where an applicant's e-mail address is its user name
    however its letters are cased: the account is stored in lower case, the
    person types it as they wrote it when registering.
    """

    def clean_username(self) -> str:
        typed = self.cleaned_data["username"]
        matching = list(
            User.objects.filter(username__iexact=typed).values_list(
                "username", flat=True
            )[:2]
        )
        # Two accounts differing only in case (made by the administrator)
        # keep the exact match.
        return matching[0] if len(matching) == 1 else typed


class RegistrationForm(ErrorSummaryMixin, forms.Form):
    """A person, the password they chose, and the institution they act for."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Surname"), max_length=150)
    email = EmailAddressField(
        label=_("E-mail"),
        help_text=_("You will log in with it; the confirmation link is sent to it."),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Password again"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    institution_name = forms.CharField(
        label=_("Name of the institution"), max_length=255
    )
    nip = NIPField(
        label="NIP",
        help_text=_("If the institution is already in SC KIS, your account joins it."),
    )
    regon = REGONField(label="REGON")
    krs = KRSField(label=_("KRS number"), required=False)
    street = forms.CharField(label=_("Street and number"), max_length=200)
    postal_code = PostalCodeField(
        label=_("Postal code"), help_text=_("Format: NN-NNN, for example 00-950.")
    )
    city = forms.CharField(label=_("City"), max_length=100)
    voivodeship = forms.ModelChoiceField(
        label=_("Voivodeship"),
        queryset=Voivodeship.objects.order_by("name"),
        empty_label=_("Choose the voivodeship"),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"
        self.fields["postal_code"].widget.attrs.update({"size": 6, "class": "w-auto"})

    def clean(self) -> dict:
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error(
                "password2", _("The two passwords differ. Type the same one twice.")
            )
        elif first:
            try:
                password_validation.validate_password(first)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned

    def full_clean(self) -> None:
        super().full_clean()
        self.errors_changed()

    def errors_changed(self) -> None:
        self.mark_invalid_fields()

    def institution(self) -> InstitutionData:
        data = self.cleaned_data
        return InstitutionData(
            name=data["institution_name"],
            nip=data["nip"],
            regon=data["regon"],
            krs=data["krs"],
            street=data["street"],
            postal_code=data["postal_code"],
            city=data["city"],
            voivodeship=data["voivodeship"],
        )
