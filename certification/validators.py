"""Validators of Polish formats shared by models and forms."""

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, RegexValidator
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.pl import nip as stdnum_nip
from stdnum.pl import regon as stdnum_regon

postal_code_validator = RegexValidator(
    r"^\d{2}-\d{3}$",
    _("Enter the postal code as NN-NNN, for example 00-950."),
    code="invalid_postal_code",
)


# Each normalise_* function takes what a person typed, accepts the usual ways
# of typing it (spaces, dashes, a country prefix) and returns the one form we
# store, or raises ValidationError with a message for the field.


def _digits(value: str, *, allowed: str = " -") -> str:
    """The value without the separators people type between digit groups."""
    value = value.strip()
    for separator in allowed:
        value = value.replace(separator, "")
    return value


def normalise_nip(value: str) -> str:
    """NIP as 10 digits; accepts spaces, dashes and a "PL" prefix."""
    compact = _digits(value)
    if compact[:2].upper() == "PL":
        compact = compact[2:]
    if len(compact) != 10 or not compact.isdigit():
        raise ValidationError(
            _("Enter the NIP as 10 digits, for example 526-104-08-28."),
            code="invalid_nip",
        )
    try:
        stdnum_nip.validate(compact)
    except StdnumValidationError:
        raise ValidationError(
            _("This NIP has a wrong check digit. Check it for a typing error."),
            code="invalid_nip_checksum",
        ) from None
    return compact


def normalise_regon(value: str) -> str:
    """REGON as 9 or 14 digits with a valid check digit."""
    compact = _digits(value)
    if len(compact) not in (9, 14) or not compact.isdigit():
        raise ValidationError(
            _("Enter the REGON as 9 or 14 digits."), code="invalid_regon"
        )
    try:
        stdnum_regon.validate(compact)
    except StdnumValidationError:
        raise ValidationError(
            _("This REGON has a wrong check digit. Check it for a typing error."),
            code="invalid_regon_checksum",
        ) from None
    return compact


def normalise_krs(value: str) -> str:
    """KRS number as 10 digits, padded with leading zeros."""
    compact = _digits(value)
    # The register prints numbers with their leading zeros, people often
    # leave them out: "12345" is KRS 0000012345.
    if not compact.isdigit() or len(compact) > 10 or int(compact) == 0:
        raise ValidationError(
            _("Enter the KRS number: up to 10 digits, for example 0000012345."),
            code="invalid_krs",
        )
    return compact.zfill(10)


def normalise_postal_code(value: str) -> str:
    """Postal code as NN-NNN; accepts the five digits without the dash."""
    compact = _digits(value)
    if len(compact) != 5 or not compact.isdigit():
        raise ValidationError(
            _("Enter the postal code as NN-NNN, for example 00-950."),
            code="invalid_postal_code",
        )
    return f"{compact[:2]}-{compact[2:]}"


def normalise_phone(value: str) -> str:
    """A Polish phone number in the international format of its kind.

    Mobile numbers are grouped "+48 601 234 567", landlines keep their
    two-digit area code: "+48 22 123 45 67" (the numbering plan comes from
    the phonenumbers library).
    """
    compact = _digits(value, allowed=" -()")
    if compact.startswith("+48"):
        compact = compact[3:]
    elif compact.startswith("0048"):
        compact = compact[4:]
    if len(compact) != 9 or not compact.isdigit():
        raise ValidationError(
            _(
                "Enter a Polish phone number of 9 digits, for example "
                "+48 22 123 45 67 or 601 234 567."
            ),
            code="invalid_phone",
        )
    number = phonenumbers.parse(compact, "PL")
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _(
                "This is not a Polish phone number in use. Check it for a "
                "typing error, for example +48 22 123 45 67 or 601 234 567."
            ),
            code="invalid_phone",
        )
    return phonenumbers.format_number(
        number, phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )


def normalise_email(value: str) -> str:
    """An e-mail address as Django checks it, without surrounding spaces."""
    value = value.strip()
    EmailValidator(
        message=_("Enter an e-mail address, for example klub@gmina.pl."),
        code="invalid_email",
    )(value)
    return value
