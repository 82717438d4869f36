"""The form an applicant institution registers itself with, and the login
form its people use.
"""

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.utils.translation import gettext_lazy as _

from certification import accounts
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

    The right password of an account whose e-mail address was never
    confirmed gets a message saying so, where Django's backend answers only
    "wrong user name or password"; `unconfirmed` tells the page to offer a
    new link. Whoever knows the password learns nothing they should not.
    """

    unconfirmed = False

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].label = _("E-mail address or user name")

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

    def get_invalid_login_error(self) -> forms.ValidationError:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        user = User.objects.filter(username=username).first() if username else None
        if (
            user is not None
            and password
            and accounts.is_unconfirmed(user)
            and user.check_password(password)
        ):
            self.unconfirmed = True
            return forms.ValidationError(
                _(
                    "This account is not active yet: its e-mail address has "
                    "not been confirmed. Open the link we sent to it when you "
                    "registered, or ask for a new link."
                ),
                code="unconfirmed",
            )
        return super().get_invalid_login_error()


class ResendConfirmationForm(ErrorSummaryMixin, forms.Form):
    """The address of an account whose confirmation link did not arrive."""

    email = EmailAddressField(label=_("E-mail"))

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].widget.attrs["autocomplete"] = "email"

    def full_clean(self) -> None:
        super().full_clean()
        self.mark_invalid_fields()


class ApplicantPasswordResetForm(PasswordResetForm):
    """Django's password reset, which also sends the confirmation link to an
    account never confirmed: Django sends nothing to an inactive account,
    and a person who lost the first link would wait in vain.
    """

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        accounts.resend_confirmation(self.cleaned_data["email"])


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
        help_text=_(
            "An institution already in SC KIS is not joined by its NIP or "
            "REGON: the administrator adds its further people. A "
            "registration nobody confirmed by e-mail is replaced by yours."
        ),
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
        queryset=Voivodeship.objects.order_by("teryt"),
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
