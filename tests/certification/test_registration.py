"""Self-registration of applicant institutions, the confirmation of the
e-mail address, and the password reset.
"""

import re

import pytest
from django.core import mail
from django.core.cache import cache
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


# No dead end when the confirmation link is lost.

OTHER_EMAIL = "basia.nowak@ops.example.pl"


@pytest.fixture(autouse=True)
def _no_link_sent_lately():
    # The time of the last link sent to an address is kept in the cache,
    # which outlives a test's database.
    cache.clear()
    yield
    cache.clear()


def _minutes_later() -> None:
    """The few minutes between two links to one address have passed."""
    cache.clear()


def _resend(client, capture, email: str):
    with capture(execute=True):
        return client.post(reverse("account_confirm_resend"), {"email": email})


def _confirmed(client, link: str) -> None:
    client.post(link)
    client.logout()


class TestTakeOverOfAnUnconfirmedInstitution:
    def test_new_registration_takes_over_and_the_old_link_stops_working(
        self, client, mazowieckie, django_capture_on_commit_callbacks
    ):
        # Someone registered the institution with a mistyped address.
        _register(
            client,
            django_capture_on_commit_callbacks,
            voivodeship=mazowieckie.pk,
            email="anna.kowalska@ops.exmaple.pl",
            institution_name="OPS Lipowo (typo)",
        )
        old_link = _link_in(mail.outbox[0])
        unit = User.objects.get().unit

        response = _register(
            client,
            django_capture_on_commit_callbacks,
            voivodeship=mazowieckie.pk,
            email=OTHER_EMAIL,
            nip="526-104-08-28",
        )

        assert response.status_code == 200
        assert shown("Check your e-mail") in response.content.decode()
        user = User.objects.get()
        assert user.email == OTHER_EMAIL
        assert user.unit == unit
        unit.refresh_from_db()
        assert unit.name == "Ośrodek Pomocy Społecznej w Lipowie"
        assert Unit.objects.filter(kind=UnitKind.APPLICANT).count() == 1
        assert len(mail.outbox) == 2
        assert mail.outbox[1].to == [OTHER_EMAIL]
        assert client.post(old_link).status_code == 400
        assert client.post(_link_in(mail.outbox[1])).status_code == 302
        user.refresh_from_db()
        assert user.is_active

    def test_takeover_by_regon_alone(
        self, client, mazowieckie, django_capture_on_commit_callbacks
    ):
        _register(
            client, django_capture_on_commit_callbacks, voivodeship=mazowieckie.pk
        )

        response = _register(
            client,
            django_capture_on_commit_callbacks,
            voivodeship=mazowieckie.pk,
            email=OTHER_EMAIL,
            nip="5425232693",
        )

        assert response.status_code == 200
        unit = User.objects.get(email=OTHER_EMAIL).unit
        assert (unit.nip, unit.regon) == ("5425232693", "123456785")
        assert not User.objects.filter(email="anna.kowalska@ops.example.pl").exists()

    def test_institution_with_a_confirmed_person_still_refuses(
        self, client, mazowieckie, django_capture_on_commit_callbacks
    ):
        _register(
            client, django_capture_on_commit_callbacks, voivodeship=mazowieckie.pk
        )
        _confirmed(client, _link_in(mail.outbox[0]))

        response = _register(
            client,
            django_capture_on_commit_callbacks,
            voivodeship=mazowieckie.pk,
            email=OTHER_EMAIL,
        )

        assert response.status_code == 400
        assert (
            shown(
                "This institution already has an account in SC KIS. Ask "
                "the administrator to add you to it, with a letter from "
                "the institution authorising you."
            )
            in response.content.decode()
        )
        assert not User.objects.filter(email=OTHER_EMAIL).exists()
        assert User.objects.get().is_active
        assert len(mail.outbox) == 1

    def test_institution_whose_person_was_switched_off_after_use_refuses(
        self, client, mazowieckie, django_capture_on_commit_callbacks
    ):
        _register(
            client, django_capture_on_commit_callbacks, voivodeship=mazowieckie.pk
        )
        _confirmed(client, _link_in(mail.outbox[0]))
        client.login(username="anna.kowalska@ops.example.pl", password=PASSWORD)
        client.logout()
        User.objects.update(is_active=False)

        response = _register(
            client,
            django_capture_on_commit_callbacks,
            voivodeship=mazowieckie.pk,
            email=OTHER_EMAIL,
        )

        assert response.status_code == 400
        assert User.objects.count() == 1

    def test_unconfirmed_institution_with_a_club_refuses(
        self, client, mazowieckie, django_capture_on_commit_callbacks
    ):
        _register(
            client, django_capture_on_commit_callbacks, voivodeship=mazowieckie.pk
        )
        factories.ClubFactory(founding_unit=User.objects.get().unit)

        response = _register(
            client,
            django_capture_on_commit_callbacks,
            voivodeship=mazowieckie.pk,
            email=OTHER_EMAIL,
        )

        assert response.status_code == 400
        assert not User.objects.filter(email=OTHER_EMAIL).exists()
        assert client.post(_link_in(mail.outbox[0])).status_code == 302


class TestRegisteringAgainWithTheSameAddress:
    def test_unconfirmed_address_gets_a_new_link_and_the_same_page(
        self, client, mazowieckie, django_capture_on_commit_callbacks
    ):
        first = _register(
            client, django_capture_on_commit_callbacks, voivodeship=mazowieckie.pk
        )
        _minutes_later()

        again = _register(
            client,
            django_capture_on_commit_callbacks,
            voivodeship=mazowieckie.pk,
            email="Anna.Kowalska@ops.example.pl",
            password1="Inne-haslo-2026!",
            password2="Inne-haslo-2026!",
        )

        assert again.status_code == first.status_code == 200
        assert [t.name for t in again.templates][0] == "registration/register_done.html"
        assert User.objects.count() == 1
        assert len(mail.outbox) == 2
        assert mail.outbox[1].to == ["anna.kowalska@ops.example.pl"]
        # The password is not changed by whoever typed the address.
        client.post(_link_in(mail.outbox[1]))
        assert client.login(username="anna.kowalska@ops.example.pl", password=PASSWORD)

    def test_no_second_link_within_a_few_minutes(
        self, client, mazowieckie, django_capture_on_commit_callbacks
    ):
        _register(
            client, django_capture_on_commit_callbacks, voivodeship=mazowieckie.pk
        )

        again = _register(
            client, django_capture_on_commit_callbacks, voivodeship=mazowieckie.pk
        )

        assert again.status_code == 200
        assert len(mail.outbox) == 1

    def test_confirmed_address_is_still_refused(
        self, client, mazowieckie, django_capture_on_commit_callbacks
    ):
        _register(
            client, django_capture_on_commit_callbacks, voivodeship=mazowieckie.pk
        )
        _confirmed(client, _link_in(mail.outbox[0]))
        _minutes_later()

        response = _register(
            client, django_capture_on_commit_callbacks, voivodeship=mazowieckie.pk
        )

        assert response.status_code == 400
        assert (
            shown(
                "An account with this e-mail address already exists. "
                "Log in, or reset the password if you forgot it."
            )
            in response.content.decode()
        )
        assert len(mail.outbox) == 1


class TestSendingTheLinkAgain:
    @pytest.fixture
    def unconfirmed(self, client, mazowieckie, django_capture_on_commit_callbacks):
        _register(
            client, django_capture_on_commit_callbacks, voivodeship=mazowieckie.pk
        )
        _minutes_later()
        mail.outbox.clear()
        return User.objects.get()

    NEUTRAL = (
        "If an account not yet activated has the address %(email)s, we "
        "have sent it a new link to activate it. We send at most one link "
        "every few minutes."
    )

    def _neutral(self, email: str) -> str:
        return escape(polish(self.NEUTRAL) % {"email": email})

    def test_page_has_one_e_mail_field(self, client, db):
        html = client.get(reverse("account_confirm_resend")).content.decode()

        assert 'name="email"' in html
        assert 'name="password' not in html

    def test_unconfirmed_address_gets_exactly_one_link_that_activates(
        self, client, unconfirmed, django_capture_on_commit_callbacks
    ):
        response = _resend(
            client, django_capture_on_commit_callbacks, "ANNA.kowalska@ops.example.pl"
        )

        assert response.status_code == 200
        assert self._neutral("ANNA.kowalska@ops.example.pl") in (
            response.content.decode()
        )
        assert len(mail.outbox) == 1
        assert mail.outbox[0].to == [unconfirmed.email]
        client.post(_link_in(mail.outbox[0]))
        unconfirmed.refresh_from_db()
        assert unconfirmed.is_active

    def test_second_request_soon_after_sends_nothing(
        self, client, unconfirmed, django_capture_on_commit_callbacks
    ):
        _resend(client, django_capture_on_commit_callbacks, unconfirmed.email)

        response = _resend(
            client, django_capture_on_commit_callbacks, unconfirmed.email
        )

        assert response.status_code == 200
        assert len(mail.outbox) == 1

    def test_unknown_address_gets_the_same_page_and_no_mail(
        self, client, unconfirmed, django_capture_on_commit_callbacks
    ):
        response = _resend(
            client, django_capture_on_commit_callbacks, "nobody@example.pl"
        )

        assert response.status_code == 200
        assert self._neutral("nobody@example.pl") in response.content.decode()
        assert mail.outbox == []

    def test_confirmed_address_gets_the_same_page_and_no_mail(
        self, client, db, django_capture_on_commit_callbacks
    ):
        user = factories.ApplicantFactory(email="ops@gmina.example.pl")

        response = _resend(client, django_capture_on_commit_callbacks, user.email)

        assert response.status_code == 200
        assert self._neutral(user.email) in response.content.decode()
        assert mail.outbox == []

    def test_malformed_address_is_shown_at_the_field(
        self, client, unconfirmed, django_capture_on_commit_callbacks
    ):
        response = _resend(client, django_capture_on_commit_callbacks, "anna@")

        html = response.content.decode()
        assert response.status_code == 400
        assert 'href="#id_email"' in html
        assert 'value="anna@"' in html
        assert mail.outbox == []

    @pytest.mark.parametrize(
        "page", ["login", "password_reset", "password_reset_done", "account_register"]
    )
    def test_pages_link_to_it(self, client, db, page):
        html = client.get(reverse(page)).content.decode()

        assert reverse("account_confirm_resend") in html

    def test_check_your_e_mail_page_links_to_it(
        self, client, mazowieckie, django_capture_on_commit_callbacks
    ):
        response = _register(
            client, django_capture_on_commit_callbacks, voivodeship=mazowieckie.pk
        )

        assert reverse("account_confirm_resend") in response.content.decode()


class TestLoginOfAnUnconfirmedAccount:
    NOT_CONFIRMED = (
        "This account is not active yet: its e-mail address has not been "
        "confirmed. Open the link we sent to it when you registered, or ask "
        "for a new link."
    )

    @pytest.fixture
    def unconfirmed(self, client, mazowieckie, django_capture_on_commit_callbacks):
        _register(
            client, django_capture_on_commit_callbacks, voivodeship=mazowieckie.pk
        )
        return User.objects.get()

    def test_right_password_says_the_account_is_not_confirmed(
        self, client, unconfirmed
    ):
        response = client.post(
            reverse("login"),
            {"username": "Anna.Kowalska@ops.example.pl", "password": PASSWORD},
        )

        html = response.content.decode()
        assert response.status_code == 200
        assert shown(self.NOT_CONFIRMED) in html
        assert reverse("account_confirm_resend") in html
        assert "_auth_user_id" not in client.session

    def test_wrong_password_does_not_tell_the_account_state(self, client, unconfirmed):
        response = client.post(
            reverse("login"),
            {"username": unconfirmed.username, "password": "wrong-password"},
        )

        html = response.content.decode()
        assert shown(self.NOT_CONFIRMED) not in html
        assert "_auth_user_id" not in client.session

    def test_account_switched_off_after_use_gets_no_link_offer(self, client, db):
        user = factories.ApplicantFactory(is_active=False)
        User.objects.filter(pk=user.pk).update(last_login="2026-01-05T10:00:00Z")

        response = client.post(
            reverse("login"),
            {"username": user.username, "password": factories.PASSWORD},
        )

        assert shown(self.NOT_CONFIRMED) not in response.content.decode()


class TestPasswordResetOfAnUnconfirmedAccount:
    def test_unconfirmed_account_gets_the_confirmation_link(
        self, client, mazowieckie, django_capture_on_commit_callbacks
    ):
        _register(
            client, django_capture_on_commit_callbacks, voivodeship=mazowieckie.pk
        )
        _minutes_later()

        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("password_reset"),
                {"email": "anna.kowalska@ops.example.pl"},
            )

        assert response.status_code == 302
        assert len(mail.outbox) == 2
        assert _link_in(mail.outbox[1]).startswith("/konto/potwierdz/")

    def test_active_account_gets_only_the_reset_link(
        self, client, applicant, django_capture_on_commit_callbacks
    ):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("password_reset"), {"email": applicant.email})

        assert len(mail.outbox) == 1
        assert _link_in(mail.outbox[0]).startswith("/konto/haslo/nowe/")


class TestWording:
    def test_registration_does_not_promise_to_join_a_registered_institution(
        self, client, db
    ):
        html = client.get(reverse("account_register")).content.decode()

        assert (
            shown("If the institution is already in SC KIS, your account joins it.")
            not in html
        )
        assert "your account joins it" not in html
        assert (
            shown(
                "If your institution already has an account in SC KIS, do not "
                "register it again: typing its NIP or REGON does not join it. Ask "
                "the system administrator to add you to it, with a letter from the "
                "institution authorising you. A registration of the institution "
                "nobody confirmed by e-mail is replaced by yours."
            )
            in html
        )

    def test_login_field_says_e_mail_address_or_user_name(self, client, db):
        html = client.get(reverse("login")).content.decode()

        assert (
            f'<label class="form-label" for="id_username">'
            f"{shown('E-mail address or user name')}</label>"
        ) in html
        assert f">{shown('User name')}<" not in html
