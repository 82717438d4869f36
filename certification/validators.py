"""Validators of Polish formats shared by models and forms."""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

postal_code_validator = RegexValidator(
    r"^\d{2}-\d{3}$",
    _("Enter the postal code as NN-NNN, for example 00-950."),
    code="invalid_postal_code",
)
