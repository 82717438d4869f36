"""The date of a club's entry in the voivode's register cannot be earlier than
the clubs themselves: they exist since the Act of 13 June 2003 on social
employment came into force, so no entry is older than 1 January 2004.
"""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from certification import services
from certification.models import Club

MESSAGE = (
    "Social integration clubs exist since the Act of 13 June 2003 on social "
    "employment came into force. Enter a date from 01.01.2004 on."
)


def shown(msgid: str) -> str:
    """A message as the page shows it: in Polish, the default language."""
    with translation.override("pl"):
        return escape(translation.gettext(msgid))


@pytest.fixture
def draft(applicant, club, criteria):
    return services.application_create(by=applicant, club=club)


def post_register_entry(client, application, typed):
    return client.post(
        reverse(
            "certification:application_section",
            args=[application.pk, "rejestr-wojewody"],
        ),
        {
            "register_entry_date": typed,
            "register_entry_number": "KIS/7/2026",
            "next": "tasks",
        },
    )


class TestRegisterSection:
    @pytest.mark.parametrize("typed", ["01.01.1850", "31.12.2003", "1999-05-01"])
    def test_date_before_the_clubs_existed_is_refused(
        self, client, applicant, draft, typed
    ):
        client.force_login(applicant)
        before = draft.club.register_entry_date

        response = post_register_entry(client, draft, typed)

        assert response.status_code == 400
        html = response.content.decode()
        assert shown(MESSAGE) in html
        assert f'value="{typed}"' in html
        draft.club.refresh_from_db()
        assert draft.club.register_entry_date == before

    @pytest.mark.parametrize(
        ("typed", "stored"),
        [
            ("01.01.2004", datetime.date(2004, 1, 1)),
            ("2004-01-01", datetime.date(2004, 1, 1)),
            ("2010-05-04", datetime.date(2010, 5, 4)),
        ],
    )
    def test_date_from_2004_on_is_accepted_also_as_iso(
        self, client, applicant, draft, typed, stored
    ):
        client.force_login(applicant)

        response = post_register_entry(client, draft, typed)

        assert response.status_code == 302
        draft.club.refresh_from_db()
        assert draft.club.register_entry_date == stored


def club_data(voivodeship, **changes) -> dict:
    data = {
        "token": str(uuid.uuid4()),
        "name": "KIS Stary Rejestr",
        "voivodeship": voivodeship.pk,
        "street": "ul. Lipowa 5",
        "postal_code": "00-950",
        "city": "Warszawa",
        "leader_name": "Ewa Zielińska",
        "register_entry_date": "01.01.1850",
    }
    data.update(changes)
    return data


class TestClubCreate:
    url = reverse("certification:club_create")

    def test_club_entered_in_1850_is_refused(self, client, applicant, mazowieckie):
        client.force_login(applicant)

        response = client.post(self.url, club_data(mazowieckie))

        assert response.status_code == 400
        assert shown(MESSAGE) in response.content.decode()
        assert not Club.objects.filter(name="KIS Stary Rejestr").exists()

    def test_club_entered_in_2004_is_created(self, client, applicant, mazowieckie):
        client.force_login(applicant)

        client.post(self.url, club_data(mazowieckie, register_entry_date="2004-01-01"))

        club = Club.objects.get(name="KIS Stary Rejestr")
        assert club.register_entry_date == datetime.date(2004, 1, 1)

    def test_service_refuses_the_date_too(self, applicant, mazowieckie):
        with pytest.raises(ValidationError) as raised:
            services.club_create(
                by=applicant,
                data={
                    "name": "KIS Stary Rejestr",
                    "voivodeship": mazowieckie,
                    "street": "ul. Lipowa 5",
                    "postal_code": "00-950",
                    "city": "Warszawa",
                    "leader_name": "Ewa Zielińska",
                    "register_entry_date": datetime.date(2003, 12, 31),
                },
            )

        assert "register_entry_date" in raised.value.message_dict
        assert not Club.objects.filter(name="KIS Stary Rejestr").exists()
