"""Form fields for Polish identifiers and contact data.

Each field accepts the usual ways of typing a value and cleans it to the one
form we store, with the message of certification.validators when it cannot.
"""

from collections.abc import Callable

from django import forms

from certification.validators import (
    normalise_email,
    normalise_krs,
    normalise_nip,
    normalise_phone,
    normalise_postal_code,
    normalise_regon,
)


class NormalisedField(forms.CharField):
    """A text field whose clean returns the normalised value."""

    normalise: Callable[[str], str]

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return value
        return type(self).normalise(value)


class NIPField(NormalisedField):
    normalise = staticmethod(normalise_nip)

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)


class REGONField(NormalisedField):
    normalise = staticmethod(normalise_regon)

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)


class KRSField(NormalisedField):
    normalise = staticmethod(normalise_krs)

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)


class PostalCodeField(NormalisedField):
    normalise = staticmethod(normalise_postal_code)

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", 10)
        super().__init__(**kwargs)


class PhoneField(NormalisedField):
    normalise = staticmethod(normalise_phone)

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", 30)
        super().__init__(**kwargs)


class EmailAddressField(NormalisedField):
    normalise = staticmethod(normalise_email)

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", 254)
        super().__init__(**kwargs)
