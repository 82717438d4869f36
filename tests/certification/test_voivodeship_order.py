"""Voivodeship lists follow the Polish alphabetical order (the TERYT codes),
not the database's collation, which puts "mazowieckie" before "małopolskie"
and the names beginning with Ł and Ś at the end.
"""

import pytest
from django.urls import reverse

from certification.forms_accounts import RegistrationForm
from certification.forms_applicant import ClubForm
from certification.models import Voivodeship

POLISH_ORDER = [
    "dolnośląskie",
    "kujawsko-pomorskie",
    "lubelskie",
    "lubuskie",
    "łódzkie",
    "małopolskie",
    "mazowieckie",
    "opolskie",
    "podkarpackie",
    "podlaskie",
    "pomorskie",
    "śląskie",
    "świętokrzyskie",
    "warmińsko-mazurskie",
    "wielkopolskie",
    "zachodniopomorskie",
]


def _names(choices) -> list[str]:
    return [str(label) for value, label in choices if value != ""]


@pytest.mark.django_db
class TestVoivodeshipChoices:
    def test_collation_order_is_not_the_polish_one(self, units):
        # The reason for the rule: ordering by name goes wrong.
        by_name = list(Voivodeship.objects.order_by("name").values_list("name"))
        assert [name for (name,) in by_name] != POLISH_ORDER

    def test_club_form_lists_voivodeships_in_polish_order(self, units):
        names = _names(ClubForm().fields["voivodeship"].choices)
        assert names == POLISH_ORDER

    def test_registration_form_lists_voivodeships_in_polish_order(self, units):
        names = _names(RegistrationForm().fields["voivodeship"].choices)
        assert names == POLISH_ORDER
        assert names.index("małopolskie") < names.index("mazowieckie")
        assert names.index("łódzkie") < names.index("opolskie")

    def test_register_filter_lists_voivodeships_in_polish_order(self, client, units):
        response = client.get(reverse("registry:register"))
        names = [str(v) for v in response.context["voivodeships"]]
        assert names == POLISH_ORDER
