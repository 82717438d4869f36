"""The public side: registers of certified clubs and certificate verification."""

import datetime
import hashlib

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone, translation

from certification.models import (
    Application,
    Certificate,
    Club,
    CriteriaVersion,
    Decision,
    Unit,
    User,
    Voivodeship,
)
from certification.states import ApplicationState, DecisionKind, UnitKind
from registry import selectors
from tests import factories

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
YEAR = datetime.timedelta(days=365)


@pytest.fixture
def private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    return tmp_path


class World:
    """Two voivodeships with their certifying units, and one applicant."""

    def __init__(self) -> None:
        self.mazowieckie = Voivodeship.objects.create(
            teryt="14", slug="mazowieckie", name="mazowieckie"
        )
        self.lodzkie = Voivodeship.objects.create(
            teryt="10", slug="lodzkie", name="łódzkie"
        )
        self.units = {
            voivodeship.pk: Unit.objects.create(
                kind=UnitKind.CERTIFYING,
                voivodeship=voivodeship,
                name="Wydział Polityki Społecznej",
                parent_name=f"Urząd Wojewódzki ({voivodeship.name})",
            )
            for voivodeship in (self.mazowieckie, self.lodzkie)
        }
        self.applicant = Unit.objects.create(
            kind=UnitKind.APPLICANT, name="Ośrodek Pomocy Społecznej w Łodzi"
        )
        self.officer = User.objects.create(username="officer")
        self.criteria = CriteriaVersion.objects.create(
            number=1, published_on=datetime.date(2026, 1, 1)
        )
        self.serial = 0

    def certificate(
        self,
        club_name: str,
        *,
        voivodeship: Voivodeship | None = None,
        city: str = "Łódź",
        valid_from: datetime.date | None = None,
        valid_until: datetime.date | None = None,
        state: str = ApplicationState.CERTIFIED,
    ) -> Certificate:
        voivodeship = voivodeship or self.lodzkie
        unit = self.units[voivodeship.pk]
        today = timezone.localdate()
        valid_from = valid_from or today - YEAR
        valid_until = valid_until or valid_from + 3 * YEAR
        self.serial += 1
        club = Club.objects.create(
            founding_unit=self.applicant,
            voivodeship=voivodeship,
            name=club_name,
            street="ul. Piotrkowska 1",
            postal_code="90-001",
            city=city,
            leader_name="Jan Kowalski-Tajny",
        )
        application = Application.objects.create(
            state=state,
            club=club,
            applicant_unit=self.applicant,
            certifying_unit=unit,
            criteria_version=self.criteria,
            created_by=self.officer,
        )
        decision = Decision.objects.create(
            application=application,
            kind=DecisionKind.GRANT,
            issued_at=timezone.now(),
            issued_by=self.officer,
            certifying_unit=unit,
            certifying_unit_name=unit.full_name,
        )
        return Certificate.objects.create(
            number=f"KIS-{voivodeship.teryt}-2026-{self.serial:04d}",
            application=application,
            club=club,
            decision=decision,
            issued_on=valid_from,
            valid_from=valid_from,
            valid_until=valid_until,
            club_name=club.name,
            club_address=club.address,
            founding_unit_name=self.applicant.name,
            certifying_unit_name=unit.full_name,
            voivodeship_name=voivodeship.name,
        )


@pytest.fixture
def world() -> World:
    return World()


def polish(client, url: str, **params):
    with translation.override("pl"):
        return client.get(url, params, headers={"accept-language": "pl"})


class TestRegisterEntries:
    def test_lists_certified_clubs_valid_today(self, world):
        valid = world.certificate("KIS Łódź – Świętokrzyska Żółć")
        world.certificate(
            "KIS Wygasły",
            valid_from=timezone.localdate() - 4 * YEAR,
            valid_until=timezone.localdate() - DAY,
        )
        world.certificate("KIS Przyszły", valid_from=timezone.localdate() + DAY)
        world.certificate("KIS Szkic", state=ApplicationState.DRAFT)

        assert list(selectors.register_entries()) == [valid]

    def test_includes_the_first_and_last_day_of_validity(self, world):
        today = timezone.localdate()
        first = world.certificate("KIS Pierwszy", valid_from=today)
        last = world.certificate(
            "KIS Ostatni", valid_from=today - 3 * YEAR, valid_until=today
        )

        assert set(selectors.register_entries()) == {first, last}

    def test_orders_by_voivodeship_then_club(self, world):
        b = world.certificate("KIS B", voivodeship=world.lodzkie)
        a = world.certificate("KIS A", voivodeship=world.lodzkie)
        m = world.certificate("KIS A", voivodeship=world.mazowieckie)

        assert list(selectors.register_entries()) == [a, b, m]

    def test_searches_club_name_and_town(self, world):
        by_name = world.certificate("KIS Pod Lipami", city="Zgierz")
        by_town = world.certificate("KIS Nadzieja", city="Pabianice")

        assert list(selectors.register_entries(search="lipami")) == [by_name]
        assert list(selectors.register_entries(search="Pabianice")) == [by_town]


class TestNationalRegisterPage:
    def test_lists_a_certified_valid_club_and_not_an_expired_one_nor_a_draft(
        self, client, world
    ):
        world.certificate("KIS Łódź – Świętokrzyska Żółć")
        world.certificate(
            "KIS Wygasły",
            valid_from=timezone.localdate() - 4 * YEAR,
            valid_until=timezone.localdate() - DAY,
        )
        world.certificate("KIS Szkic", state=ApplicationState.DRAFT)

        response = polish(client, reverse("registry:register"))

        assert response.status_code == 200
        content = response.content.decode()
        assert "KIS Łódź – Świętokrzyska Żółć" in content
        assert "KIS Wygasły" not in content
        assert "KIS Szkic" not in content

    def test_shows_no_personal_data(self, client, world):
        world.certificate("KIS Łódź")

        response = polish(client, reverse("registry:register"))

        assert "Kowalski-Tajny" not in response.content.decode()

    def test_filters_by_voivodeship(self, client, world):
        world.certificate("KIS Łódzki", voivodeship=world.lodzkie)
        world.certificate("KIS Mazowiecki", voivodeship=world.mazowieckie)

        response = polish(client, reverse("registry:register"), wojewodztwo="lodzkie")

        content = response.content.decode()
        assert "KIS Łódzki" in content
        assert "KIS Mazowiecki" not in content
        assert '<option value="lodzkie" selected>' in content

    def test_filters_by_text(self, client, world):
        world.certificate("KIS Pod Lipami", city="Zgierz")
        world.certificate("KIS Nadzieja", city="Pabianice")

        response = polish(client, reverse("registry:register"), szukaj="zgierz")

        content = response.content.decode()
        assert "KIS Pod Lipami" in content
        assert "KIS Nadzieja" not in content

    def test_an_unknown_voivodeship_in_the_filter_shows_all(self, client, world):
        world.certificate("KIS Łódzki")

        response = polish(client, reverse("registry:register"), wojewodztwo="nie-ma")

        assert response.status_code == 200
        assert "KIS Łódzki" in response.content.decode()

    def test_every_filter_field_has_a_label(self, client, world):
        response = polish(client, reverse("registry:register"))

        content = response.content.decode()
        assert '<label for="filter-voivodeship"' in content
        assert '<label for="filter-search"' in content
        assert 'method="get"' in content

    def test_table_has_a_caption_and_column_headers(self, client, world):
        world.certificate("KIS Łódzki")

        response = polish(client, reverse("registry:register"))

        content = response.content.decode()
        assert "<caption" in content
        assert content.count('<th scope="col">') == 6


class TestVoivodeshipRegisterPage:
    def test_lists_only_that_voivodeship(self, client, world):
        world.certificate("KIS Łódzki", voivodeship=world.lodzkie)
        world.certificate("KIS Mazowiecki", voivodeship=world.mazowieckie)

        response = polish(
            client, reverse("registry:voivodeship_register", args=["mazowieckie"])
        )

        assert response.status_code == 200
        content = response.content.decode()
        assert "KIS Mazowiecki" in content
        assert "KIS Łódzki" not in content

    def test_is_headed_by_the_certifying_unit(self, client, world):
        response = polish(
            client, reverse("registry:voivodeship_register", args=["mazowieckie"])
        )

        unit = world.units[world.mazowieckie.pk]
        assert f'<h1 class="mb-1">{unit.full_name}</h1>' in response.content.decode()

    def test_unknown_slug_gets_404(self, client, world):
        response = polish(client, "/rejestr/atlantyda/")

        assert response.status_code == 404


class TestVerificationPage:
    def test_a_valid_certificate_is_shown_as_valid(self, client, world):
        certificate = world.certificate("KIS Łódź – Świętokrzyska Żółć")

        response = polish(client, f"/certyfikat/{certificate.number}/")

        assert response.status_code == 200
        content = response.content.decode()
        assert 'data-status="valid"' in content
        assert certificate.number in content
        assert "KIS Łódź – Świętokrzyska Żółć" in content
        assert certificate.founding_unit_name in content
        assert certificate.certifying_unit_name in content
        assert certificate.valid_until.strftime("%d.%m.%Y") in content
        assert "Kowalski-Tajny" not in content

    def test_an_expired_certificate_is_shown_as_expired(self, client, world):
        certificate = world.certificate(
            "KIS Wygasły",
            valid_from=timezone.localdate() - 4 * YEAR,
            valid_until=timezone.localdate() - DAY,
        )

        response = polish(client, f"/certyfikat/{certificate.number}/")

        assert response.status_code == 200
        assert 'data-status="expired"' in response.content.decode()

    def test_a_renewal_starting_later_is_shown_as_not_yet_valid(self, client, world):
        certificate = world.certificate(
            "KIS Przyszły", valid_from=timezone.localdate() + DAY
        )

        response = polish(client, f"/certyfikat/{certificate.number}/")

        assert 'data-status="not_yet_valid"' in response.content.decode()

    def test_says_wazny_in_polish(self, client, world):
        with translation.override("pl"):
            if translation.gettext("Valid") == "Valid":
                pytest.skip("the Polish catalogue is not compiled yet")
        certificate = world.certificate("KIS Łódź")

        response = polish(client, f"/certyfikat/{certificate.number}/")

        content = response.content.decode()
        assert 'data-status="valid"' in content
        assert "ważny" in content.lower()

    def test_unknown_number_gets_a_404_page_saying_so(self, client, world):
        response = polish(client, "/certyfikat/KIS-99-2026-9999/")

        assert response.status_code == 404
        assert 'data-status="not_found"' in response.content.decode()
        assert "KIS-99-2026-9999" in response.content.decode()

    def test_shows_the_checksum_and_links_the_stored_pdf(
        self, client, world, private_storage
    ):
        certificate = world.certificate("KIS Łódź")
        pdf = b"%PDF-1.7 issued bytes"
        certificate.sha256 = hashlib.sha256(pdf).hexdigest()
        certificate.pdf.save(f"{certificate.number}.pdf", ContentFile(pdf))

        response = polish(client, f"/certyfikat/{certificate.number}/")

        content = response.content.decode()
        assert certificate.sha256 in content
        assert f'href="/certyfikat/{certificate.number}.pdf"' in content


class TestCertificatePdfDownload:
    def test_serves_the_stored_bytes_unchanged(self, client, world, private_storage):
        certificate = world.certificate("KIS Łódź")
        pdf = b"%PDF-1.7\n\xe2\xe3\xcf\xd3 issued bytes\n%%EOF\n"
        certificate.pdf.save(f"{certificate.number}.pdf", ContentFile(pdf))

        response = client.get(f"/certyfikat/{certificate.number}.pdf")

        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content) == pdf

    def test_unknown_number_gets_404(self, client, world):
        response = client.get("/certyfikat/KIS-99-2026-9999.pdf")

        assert response.status_code == 404

    def test_a_certificate_without_a_stored_pdf_gets_404(self, client, world):
        certificate = world.certificate("KIS Łódź")

        response = client.get(f"/certyfikat/{certificate.number}.pdf")

        assert response.status_code == 404


class TestGrantedCertificateOnThePublicSide:
    def test_is_listed_verified_and_downloadable_as_issued(
        self, client, private_storage
    ):
        application = factories.CertifiedApplicationFactory()
        certificate = application.certificate

        register = polish(client, reverse("registry:register"))
        page = polish(client, certificate.get_absolute_url())
        download = client.get(
            reverse("registry:certificate_pdf", args=[certificate.number])
        )

        assert certificate.club_name in register.content.decode()
        assert 'data-status="valid"' in page.content.decode()
        assert certificate.sha256 in page.content.decode()
        pdf = b"".join(download.streaming_content)
        assert pdf.startswith(b"%PDF")
        assert hashlib.sha256(pdf).hexdigest() == certificate.sha256


@pytest.mark.django_db
def test_certificate_number_typed_in_lower_case_opens_its_page(client, units):
    from tests import factories

    application = factories.CertifiedApplicationFactory()
    number = application.certificate.number

    response = client.get(f"/certyfikat/{number.lower()}/")

    assert response.status_code == 302
    assert response["Location"] == f"/certyfikat/{number}/"
