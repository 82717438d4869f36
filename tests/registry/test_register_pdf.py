"""Formularz 7, the register of institutions that founded certified clubs,
as PDF: its table spans pages with its head on each, and its addresses."""

import datetime
import io
import re

import pypdf
import pytest
from django.urls import reverse
from django.utils import translation

from certification.models import Certificate, Club, Unit
from registry import documents, selectors
from tests import factories

HEADER = [
    "No.",
    "Founding institution (name, address)",
    "Social integration club (name, address)",
    "Certificate number",
    "Date of issue",
    "Valid until",
]


def pages_text(pdf: bytes) -> list[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return [re.sub(r"\s+", " ", page.extract_text()) for page in reader.pages]


def polish(msgid: str) -> str:
    with translation.override("pl"):
        return translation.gettext(msgid)


def certificate_in_memory(n: int, *, voivodeship_name: str = "mazowieckie"):
    founder = Unit(
        name=f"Ośrodek Pomocy Społecznej w Gminie Żółkiewka nr {n}",
        street=f"ul. Zażółć {n}",
        postal_code="22-335",
        city="Żółkiewka",
    )
    club = Club(
        founding_unit=founder,
        name=f"KIS Żółkiewka {n}",
        register_entry_date=datetime.date(2011, 3, 9),
        register_entry_number=f"KIS/{n:03d}/2011",
    )
    return Certificate(
        number=f"KIS-14-2026-{n:04d}",
        club=club,
        club_name=club.name,
        club_address=f"ul. Klubowa {n}, 22-335 Żółkiewka",
        founding_unit_name=founder.name,
        certifying_unit_name="Wydział Polityki Społecznej",
        voivodeship_name=voivodeship_name,
        issued_on=datetime.date(2026, 2, 3),
        valid_from=datetime.date(2026, 2, 3),
        valid_until=datetime.date(2029, 2, 2),
    )


@pytest.fixture(scope="module")
def sixty_rows() -> bytes:
    entries = [
        certificate_in_memory(
            n, voivodeship_name="mazowieckie" if n <= 45 else "łódzkie"
        )
        for n in range(1, 61)
    ]
    return documents.register_pdf(entries=entries)


class TestLongRegister:
    def test_table_spans_pages(self, sixty_rows):
        assert len(pages_text(sixty_rows)) > 2

    def test_table_head_is_on_every_page(self, sixty_rows):
        for number, text in enumerate(pages_text(sixty_rows), start=1):
            for msgid in HEADER:
                assert polish(msgid) in text, (number, msgid)

    def test_every_row_once_and_in_order(self, sixty_rows):
        text = " ".join(pages_text(sixty_rows))

        positions = []
        for n in range(1, 61):
            number = f"KIS-14-2026-{n:04d}"
            assert text.count(number) == 1, number
            positions.append(text.index(number))
        assert positions == sorted(positions)

    def test_prints_every_column(self, sixty_rows):
        text = " ".join(pages_text(sixty_rows))

        assert "Ośrodek Pomocy Społecznej w Gminie Żółkiewka nr 7" in text
        assert "ul. Zażółć 7, 22-335 Żółkiewka" in text
        assert "KIS Żółkiewka 7" in text
        assert "ul. Klubowa 7, 22-335 Żółkiewka" in text
        assert "03.02.2026" in text
        assert "02.02.2029" in text
        assert "09.03.2011" in text
        assert "KIS/007/2011" in text

    def test_national_register_has_a_heading_per_voivodeship(self, sixty_rows):
        text = " ".join(pages_text(sixty_rows))

        with translation.override("pl"):
            mazowieckie = translation.gettext("%(name)s voivodeship") % {
                "name": "mazowieckie"
            }
            lodzkie = translation.gettext("%(name)s voivodeship") % {"name": "łódzkie"}
        assert text.index(mazowieckie) < text.index("KIS-14-2026-0001")
        assert text.index("KIS-14-2026-0045") < text.index(lodzkie)
        assert text.index(lodzkie) < text.index("KIS-14-2026-0046")

    def test_is_a4_landscape(self, sixty_rows):
        for page in pypdf.PdfReader(io.BytesIO(sixty_rows)).pages:
            assert (round(page.mediabox.width), round(page.mediabox.height)) == (
                842,
                595,
            )


def test_long_names_wrap_inside_their_column():
    entry = certificate_in_memory(1)
    entry.club_name = "Klub" + "Integracji" * 12
    entry.founding_unit_name = "Stowarzyszenie" * 8

    pdf = documents.register_pdf(entries=[entry])

    (text,) = pages_text(pdf)
    # Wrapped, a word comes back in pieces; nothing of it is cut off.
    joined = re.sub(r"\s+", "", text)
    assert entry.club_name in joined
    assert entry.founding_unit_name in joined
    assert "KIS-14-2026-0001" in text


def test_blank_form_is_one_page_of_empty_numbered_rows():
    pdf = documents.register_pdf(blank=True)

    (text,) = pages_text(pdf)
    for msgid in HEADER:
        assert polish(msgid) in text
    for n in range(1, documents.BLANK_ROWS + 1):
        assert f"{n}." in text
    assert "KIS-" not in text


@pytest.mark.django_db
class TestFromTheDatabase:
    @pytest.fixture
    def certificate(self, mazowieckie):
        application = factories.CertifiedApplicationFactory(
            club__founding_unit__voivodeship=mazowieckie
        )
        return application.certificate

    def test_voivodeship_register_is_headed_by_its_certifying_unit(
        self, certificate, mazowieckie
    ):
        pdf = documents.register_pdf(voivodeship=mazowieckie)

        text = " ".join(pages_text(pdf))
        assert selectors.certifying_unit_name(mazowieckie) in text
        assert certificate.number in text
        assert certificate.club_name in text
        assert certificate.club.founding_unit.address in text
        assert certificate.club.register_entry_number in text

    def test_voivodeship_register_leaves_out_other_voivodeships(
        self, certificate, lubuskie
    ):
        pdf = documents.register_pdf(voivodeship=lubuskie)

        text = " ".join(pages_text(pdf))
        assert certificate.number not in text
        assert polish("No club holds a valid certificate.") in text

    def test_national_register_lists_the_certificate(self, certificate):
        text = " ".join(pages_text(documents.register_pdf()))

        assert certificate.number in text

    def test_national_register_address(self, client, certificate):
        response = client.get("/rejestr.pdf")

        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert certificate.number in " ".join(pages_text(response.content))

    def test_voivodeship_register_address(self, client, certificate, mazowieckie):
        url = reverse("registry:voivodeship_register_pdf", args=["mazowieckie"])

        response = client.get(url)

        assert url == "/rejestr/mazowieckie.pdf"
        assert response.status_code == 200
        assert 'filename="rejestr-mazowieckie.pdf"' in response["Content-Disposition"]
        assert certificate.number in " ".join(pages_text(response.content))

    def test_unknown_voivodeship_gets_404(self, client):
        assert client.get("/rejestr/atlantyda.pdf").status_code == 404

    def test_register_pages_link_to_their_pdf(self, client, mazowieckie):
        national = client.get(reverse("registry:register")).content.decode()
        voivodeship = client.get(
            reverse("registry:voivodeship_register", args=["mazowieckie"])
        ).content.decode()

        assert 'href="/rejestr.pdf"' in national
        assert 'href="/rejestr/mazowieckie.pdf"' in voivodeship


@pytest.mark.django_db
def test_register_pdf_is_rendered_again_when_a_certificate_is_issued(client, units):
    from django.core.cache import cache

    cache.clear()
    first = factories.CertifiedApplicationFactory()
    before = client.get("/rejestr.pdf").content
    assert client.get("/rejestr.pdf").content == before

    second = factories.CertifiedApplicationFactory()
    after = client.get("/rejestr.pdf").content

    assert after != before
    text = "".join(
        page.extract_text() for page in pypdf.PdfReader(io.BytesIO(after)).pages
    )
    assert first.certificate.number in text
    assert second.certificate.number in text
