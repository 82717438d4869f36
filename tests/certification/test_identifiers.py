"""The rules of Polish identifiers and contact data: what is refused, and how
the usual typings are cleaned to the one form we store.
"""

import pytest
from django.core.exceptions import ValidationError

from certification.fields import (
    EmailAddressField,
    KRSField,
    NIPField,
    PhoneField,
    PostalCodeField,
    REGONField,
)
from certification.validators import (
    normalise_email,
    normalise_krs,
    normalise_nip,
    normalise_phone,
    normalise_postal_code,
    normalise_regon,
)


def _code_of(normalise, value: str) -> str:
    with pytest.raises(ValidationError) as refused:
        normalise(value)
    return refused.value.code


class TestNIP:
    @pytest.mark.parametrize(
        "typed",
        [
            "5261040828",
            "526-104-08-28",
            "526 104 08 28",
            "PL5261040828",
            "pl 526-104-08-28",
            " 5261040828 ",
        ],
    )
    def test_usual_typings_are_stored_as_ten_digits(self, typed):
        assert normalise_nip(typed) == "5261040828"

    def test_wrong_check_digit_is_refused(self):
        assert _code_of(normalise_nip, "5261040829") == "invalid_nip_checksum"

    @pytest.mark.parametrize("typed", ["526104082", "52610408281", "52610408A8", ""])
    def test_wrong_length_or_letters_are_refused(self, typed):
        assert _code_of(normalise_nip, typed) == "invalid_nip"


class TestREGON:
    @pytest.mark.parametrize(
        ("typed", "stored"),
        [
            ("123456785", "123456785"),
            ("123-456-785", "123456785"),
            ("12345678512347", "12345678512347"),
            ("12345678 512347", "12345678512347"),
        ],
    )
    def test_nine_or_fourteen_digits_are_accepted(self, typed, stored):
        assert normalise_regon(typed) == stored

    @pytest.mark.parametrize("typed", ["123456786", "12345678512348"])
    def test_wrong_check_digit_is_refused(self, typed):
        assert _code_of(normalise_regon, typed) == "invalid_regon_checksum"

    @pytest.mark.parametrize("typed", ["12345678", "1234567851", "12345678X"])
    def test_other_lengths_are_refused(self, typed):
        assert _code_of(normalise_regon, typed) == "invalid_regon"


class TestKRS:
    @pytest.mark.parametrize(
        ("typed", "stored"),
        [
            ("0000012345", "0000012345"),
            ("12345", "0000012345"),
            ("0000 012 345", "0000012345"),
        ],
    )
    def test_number_is_padded_to_ten_digits(self, typed, stored):
        assert normalise_krs(typed) == stored

    @pytest.mark.parametrize("typed", ["12345678901", "KRS12345", "0000000000"])
    def test_too_long_letters_or_zero_are_refused(self, typed):
        assert _code_of(normalise_krs, typed) == "invalid_krs"


class TestPostalCode:
    @pytest.mark.parametrize("typed", ["00-950", "00950", "00 950", " 00-950 "])
    def test_usual_typings_are_stored_as_nn_nnn(self, typed):
        assert normalise_postal_code(typed) == "00-950"

    @pytest.mark.parametrize("typed", ["0-950", "00-9500", "0O-950", "1234"])
    def test_other_values_are_refused(self, typed):
        assert _code_of(normalise_postal_code, typed) == "invalid_postal_code"


class TestPhone:
    @pytest.mark.parametrize(
        "typed",
        [
            "601234567",
            "601 234 567",
            "601-234-567",
            "+48 601 234 567",
            "+48601234567",
            "0048 601 234 567",
        ],
    )
    def test_usual_typings_are_stored_with_the_country_code(self, typed):
        assert normalise_phone(typed) == "+48 601 234 567"

    @pytest.mark.parametrize(
        "typed", ["22 123 45 67", "221234567", "+48 22 123-45-67", "(22) 123 45 67"]
    )
    def test_landline_number_keeps_its_two_digit_area_code(self, typed):
        stored = normalise_phone(typed)
        assert stored == "+48 22 123 45 67"
        assert stored != "+48 221 234 567"

    @pytest.mark.parametrize(
        ("typed", "stored"),
        [
            ("45 123 45 67", "+48 451 234 567"),
            ("791 234 567", "+48 791 234 567"),
            ("12 345 67 89", "+48 12 345 67 89"),
            ("+48 221 234 567", "+48 22 123 45 67"),
        ],
    )
    def test_mobile_and_landline_numbers_are_grouped_by_their_kind(self, typed, stored):
        assert normalise_phone(typed) == stored

    @pytest.mark.parametrize(
        "typed",
        ["60123456", "6012345678", "+49 601234567", "000 000 000", "999 999 999"],
    )
    def test_numbers_other_than_nine_polish_digits_are_refused(self, typed):
        assert _code_of(normalise_phone, typed) == "invalid_phone"


class TestEmail:
    def test_address_is_kept_without_surrounding_spaces(self):
        assert normalise_email(" kis@gmina.pl ") == "kis@gmina.pl"

    @pytest.mark.parametrize("typed", ["kis@", "kis.gmina.pl", "kis@gmina"])
    def test_malformed_address_is_refused(self, typed):
        assert _code_of(normalise_email, typed) == "invalid_email"


class TestFields:
    @pytest.mark.parametrize(
        ("field", "typed", "stored"),
        [
            (NIPField, "PL 526-104-08-28", "5261040828"),
            (REGONField, "123 456 785", "123456785"),
            (KRSField, "12345", "0000012345"),
            (PostalCodeField, "00950", "00-950"),
            (PhoneField, "+48 601-234-567", "+48 601 234 567"),
            (EmailAddressField, " kis@gmina.pl", "kis@gmina.pl"),
        ],
    )
    def test_clean_returns_the_stored_form(self, field, typed, stored):
        assert field().clean(typed) == stored

    def test_empty_optional_field_stays_empty(self):
        assert KRSField(required=False).clean("") == ""

    def test_bad_value_gives_the_message_of_the_rule(self):
        with pytest.raises(ValidationError) as refused:
            NIPField().clean("5261040829")

        assert refused.value.code == "invalid_nip_checksum"
