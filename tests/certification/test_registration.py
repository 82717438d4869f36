"""Self-registration of applicant institutions, the confirmation of the
e-mail address, and the password reset.
"""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from certification.models import Unit, User
from certification.states import UnitKind
from tests import factories

SITE_URL = "https://sckis.example.gov.pl"
PASSWORD = "Kl0b-integracji!2026"


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SCKIS_SITE_URL = SITE_URL


def shown(msgid: str) -> str:
    return escape(polish(msgid))


def polish(msgid: str) -> str:
    with translation.override("pl"):
        return translation.gettext(msgid)


def _registration(**changes) -> dict:
    data = {
        "first_name": "Anna",
        "last_name": "Kowalska",
        "email": "anna.kowalska@ops.example.pl",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "institution_name": "Ośrodek Pomocy Społecznej w Lipowie",
        "nip": "PL 526-104-08-28",
        "regon": "123456785",
        "krs": "",
        "street": "ul. Lipowa 5",
        "postal_code": "00950",
        "city": "Lipowo",
        "voivodeship": "",
    }
    data.update(changes)
    return data


def _register(client, capture, **changes):
    with capture(execute=True):
        return client.post(reverse("account_register"), _registration(**changes))


def _link_in(message) -> str:
    match = re.search(re.escape(SITE_URL) + r"(/\S+)", message.body)
    assert match, message.body
    return match.group(1)


class TestRegistration:
    def test_new_institution_gets_an_inactive_account_and_a_link(
        self, client, mazowieckie, django_capture_on_commit_callbacks
    ):
        response = _register(
            client, django_capture_on_commit_callbacks, voivodeship=mazowieckie.pk
        )

        assert response.status_code == 200
        user = User.objects.get(username="anna.kowalska@ops.example.pl")
        assert not user.is_active
        assert user.unit.kind == UnitKind.APPLICANT
        assert user.unit.nip == "5261040828"
        assert user.unit.postal_code == "00-950"
        assert user.unit.voivodeship == mazowieckie
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == ["anna.kowalska@ops.example.pl"]
        assert _link_in(mail.outbox[0]).startswith("/konto/potwierdz/")

    def test_account_cannot_log_in_before_it_is_confirmed(
        self, client, mazowieckie, django_capture_on_commit_callbacks
    ):
        _register(
            client, django_capture_on_commit_callbacks, voivodeship=mazowieckie.pk
        )

        assert not client.login(
            username="anna.kowalska@ops.example.pl", password=PASSWORD
        )

    def test_link_activates_the_account_and_the_person_logs_in(
        self, client, mazowieckie, django_capture_on_commit_callbacks
    ):
        _register(
            client, django_capture_on_commit_callbacks, voivodeship=mazowieckie.pk
        )
        link = _link_in(mail.outbox[0])

        page = client.get(link)
        response = client.post(link)

        assert page.status_code == 200
        assert User.objects.get(username="anna.kowalska@ops.example.pl").is_active
        assert response.status_code == 302
        assert response.url == reverse("login")
        response = client.post(
            reverse("login"),
            {"username": "anna.kowalska@ops.example.pl", "password": PASSWORD},
        )
        assert response.status_code == 302
        assert response.url == reverse("certification:home")

    def test_opening_the_link_alone_does_not_activate(
        self, client, mazowieckie, django_capture_on_commit_callbacks
    ):
        _register(
            client, django_capture_on_commit_callbacks, voivodeship=mazowieckie.pk
        )

        client.get(_link_in(mail.outbox[0]))

        assert not User.objects.get(username="anna.kowalska@ops.example.pl").is_active

    def test_registered_institution_is_not_joined_by_typing_its_nip(
        self, client, mazowieckie, django_capture_on_commit_callbacks
    ):
        # A NIP is public: typing it must not open the institution's cases.
        existing = factories.ApplicantUnitFactory(
            voivodeship=mazowieckie, nip="5261040828"
        )

        response = _register(
            client,
            django_capture_on_commit_callbacks,
            voivodeship=mazowieckie.pk,
            nip="526 104 08 28",
            institution_name="OPS Lipowo",
        )

        assert response.status_code == 400
        assert not User.objects.filter(username="anna.kowalska@ops.example.pl").exists()
        assert existing.members.count() == 0
        assert Unit.objects.filter(kind=UnitKind.APPLICANT).count() == 1
        assert mail.outbox == []

    def test_registered_institution_is_not_joined_by_its_regon_either(
        self, client, mazowieckie, django_capture_on_commit_callbacks
    ):
        existing = factories.ApplicantUnitFactory(
            voivodeship=mazowieckie, regon="123456785"
        )

        _register(
            client, django_capture_on_commit_callbacks, voivodeship=mazowieckie.pk
        )

        assert not User.objects.filter(email="anna.kowalska@ops.example.pl").exists()
        assert existing.members.count() == 0

    def test_unit_of_another_kind_is_never_joined(
        self, client, mazowieckie, django_capture_on_commit_callbacks
    ):
        officer = factories.OfficerFactory(unit__voivodeship=mazowieckie)
        Unit.objects.filter(pk=officer.unit_id).update(nip="5261040828")

        _register(
            client, django_capture_on_commit_callbacks, voivodeship=mazowieckie.pk
        )

        user = User.objects.get(email="anna.kowalska@ops.example.pl")
        assert user.unit != officer.unit
        assert user.unit.kind == UnitKind.APPLICANT

    def test_bad_nip_checksum_is_shown_at_the_field_and_nothing_is_created(
        self, client, mazowieckie, django_capture_on_commit_callbacks
    ):
        response = _register(
            client,
            django_capture_on_commit_callbacks,
            voivodeship=mazowieckie.pk,
            nip="5261040829",
        )

        html = response.content.decode()
        assert response.status_code == 400
        message = shown(
            "This NIP has a wrong check digit. Check it for a typing error."
        )
        assert message in html
        assert 'href="#id_nip"' in html
        field_error = html[html.index('id="id_nip_error"') :]
        assert field_error.index(message) < field_error.index("</div>")
        assert not User.objects.exists()
        assert not Unit.objects.filter(kind=UnitKind.APPLICANT).exists()
        assert mail.outbox == []

    def test_different_passwords_are_refused(
        self, client, mazowieckie, django_capture_on_commit_callbacks
    ):
        response = _register(
            client,
            django_capture_on_commit_callbacks,
            voivodeship=mazowieckie.pk,
            password2="something-else-2026",
        )

        assert response.status_code == 400
        assert not User.objects.exists()

    def test_e_mail_of_an_existing_account_is_refused(
        self, client, mazowieckie, django_capture_on_commit_callbacks
    ):
        factories.ApplicantFactory(email="Anna.Kowalska@ops.example.pl")

        response = _register(
            client, django_capture_on_commit_callbacks, voivodeship=mazowieckie.pk
        )

        assert response.status_code == 400
        assert User.objects.count() == 1
        assert mail.outbox == []


class TestConfirmation:
    @pytest.fixture
    def link(self, client, mazowieckie, django_capture_on_commit_callbacks):
        _register(
            client, django_capture_on_commit_callbacks, voivodeship=mazowieckie.pk
        )
        return _link_in(mail.outbox[0])

    def test_used_link_is_refused(self, client, link):
        client.post(link)

        response = client.post(link)

        assert response.status_code == 400

    def test_link_after_the_first_login_is_refused(self, client, link):
        client.post(link)
        assert client.login(username="anna.kowalska@ops.example.pl", password=PASSWORD)
        client.logout()
        User.objects.update(is_active=False)

        response = client.post(link)

        assert response.status_code == 400
        assert not User.objects.get().is_active

    @pytest.mark.parametrize(
        "path",
        [
            "/konto/potwierdz/{uid}/abc-123/",
            "/konto/potwierdz/Zm9v/{token}/",
            "/konto/potwierdz/!!/{token}/",
        ],
    )
    def test_invalid_link_is_refused(self, client, link, path):
        _, _, _, uid, token, _ = link.split("/")

        response = client.post(path.format(uid=uid, token=token))

        assert response.status_code == 400
        assert not User.objects.get().is_active


class TestPasswordReset:
    def test_reset_mail_has_a_link_to_our_site(
        self, client, applicant, django_capture_on_commit_callbacks
    ):
        response = client.post(reverse("password_reset"), {"email": applicant.email})

        assert response.status_code == 302
        assert response.url == reverse("password_reset_done")
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == [applicant.email]
        assert _link_in(mail.outbox[0]).startswith("/konto/haslo/nowe/")

    def test_new_password_from_the_link_lets_the_person_log_in(self, client, applicant):
        client.post(reverse("password_reset"), {"email": applicant.email})
        link = client.get(_link_in(mail.outbox[0]))
        new_password = "Nowe-has1o-2026!"

        response = client.post(
            link.url, {"new_password1": new_password, "new_password2": new_password}
        )

        assert response.status_code == 302
        assert client.login(username=applicant.username, password=new_password)

    def test_unknown_address_gets_the_same_page_and_no_mail(self, client, db):
        response = client.post(
            reverse("password_reset"), {"email": "nobody@example.pl"}
        )

        assert response.status_code == 302
        assert mail.outbox == []


def test_login_page_links_to_registration_and_password_reset(client, db):
    html = client.get(reverse("login")).content.decode()

    assert reverse("account_register") in html
    assert reverse("password_reset") in html


class TestLogout:
    def test_logout_asks_the_browser_to_forget_kept_answers(self, client, db):
        user = factories.ApplicantFactory()
        client.force_login(user)

        response = client.post(reverse("logout"))

        assert response.status_code == 302
        assert response["Clear-Site-Data"] == '"cache", "storage"'
        assert "_auth_user_id" not in client.session


class TestLoginByEmail:
    def test_e_mail_typed_with_capitals_logs_in(self, client, db):
        user = factories.ApplicantFactory(username="ops@gmina.example.pl")

        response = client.post(
            reverse("login"),
            {"username": "OPS@Gmina.Example.pl", "password": factories.PASSWORD},
        )

        assert response.status_code == 302
        assert client.session["_auth_user_id"] == str(user.pk)

    def test_wrong_password_is_still_refused(self, client, db):
        factories.ApplicantFactory(username="ops@gmina.example.pl")

        response = client.post(
            reverse("login"),
            {"username": "OPS@gmina.example.pl", "password": "wrong-password"},
        )

        assert response.status_code == 200
        assert "_auth_user_id" not in client.session
