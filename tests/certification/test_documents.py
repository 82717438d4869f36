"""The certificate PDF (Formularz 6) and the renderer's URL fetcher."""

import datetime
import io
import re

import pypdf
import pytest
import segno
from django.utils import translation

from certification import documents
from certification.models import Certificate

CLUB_NAME = "KIS Łódź – Świętokrzyska Żółć"
ADDRESS = "ul. Zażółć Gęślą Jaźń 5, 91-735 Łódź"
FOUNDER = "Stowarzyszenie ZAŻÓŁĆ GĘŚLĄ JAŹŃ"
UNIT = "Wydział Polityki Społecznej, Łódzki Urząd Wojewódzki w Łodzi"


def unsaved_certificate(number: str = "KIS-10-2026-0001") -> Certificate:
    # services._issue_certificate renders the PDF before the row is saved.
    return Certificate(
        number=number,
        club_name=CLUB_NAME,
        club_address=ADDRESS,
        founding_unit_name=FOUNDER,
        certifying_unit_name=UNIT,
        voivodeship_name="łódzkie",
        issued_on=datetime.date(2026, 2, 3),
        valid_from=datetime.date(2026, 2, 3),
        valid_until=datetime.date(2029, 2, 2),
    )


def pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    # Layout breaks long lines; compare words, not line breaks.
    return re.sub(r"\s+", " ", text)


def pdf_font_names(pdf: bytes) -> set[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


@pytest.fixture(scope="module")
def certificate_pdf_in_polish() -> bytes:
    with translation.override("pl"):
        return documents.certificate_pdf(unsaved_certificate())


class TestCertificatePdf:
    def test_is_one_a4_page(self, certificate_pdf_in_polish):
        reader = pypdf.PdfReader(io.BytesIO(certificate_pdf_in_polish))

        assert len(reader.pages) == 1
        box = reader.pages[0].mediabox
        # A4 is 595 × 842 points.
        assert (round(box.width), round(box.height)) == (595, 842)

    def test_long_real_names_still_fit_on_one_page(self):
        certificate = unsaved_certificate()
        certificate.club_name = (
            "Klub Integracji Społecznej „Łódź – Świętokrzyska Żółć” przy Miejskim"
            " Ośrodku Pomocy Społecznej im. Jana Pawła II w Łodzi"
        )
        certificate.club_address = (
            "ul. Generała Władysława Andersa 123/45 lok. 6, 91-735 Łódź-Widzew"
        )
        certificate.founding_unit_name = (
            "Stowarzyszenie na rzecz Przeciwdziałania Wykluczeniu Społecznemu"
            " i Zawodowemu „Razem dla Regionu” w Łodzi"
        )
        certificate.certifying_unit_name = (
            "Wydział Rodziny i Polityki Społecznej, Kujawsko-Pomorski Urząd"
            " Wojewódzki w Bydgoszczy"
        )

        with translation.override("pl"):
            pdf = documents.certificate_pdf(certificate)

        assert len(pypdf.PdfReader(io.BytesIO(pdf)).pages) == 1

    def test_prints_the_texts_of_the_certificate(self, certificate_pdf_in_polish):
        text = pdf_text(certificate_pdf_in_polish)

        assert "KIS-10-2026-0001" in text
        assert CLUB_NAME in text
        assert ADDRESS in text
        assert FOUNDER in text
        assert UNIT in text
        assert "łódzkie" in text

    def test_keeps_polish_letters(self, certificate_pdf_in_polish):
        text = pdf_text(certificate_pdf_in_polish)

        for letter in "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ":
            assert letter in text
        assert "Łódź – Świętokrzyska Żółć" in text
        assert "zażółć gęślą jaźń".upper() in text

    def test_embeds_only_the_shipped_font(self, certificate_pdf_in_polish):
        names = pdf_font_names(certificate_pdf_in_polish)

        # WeasyPrint names an embedded font after its @font-face family, so a
        # system font picked as a fallback would show under its own name.
        families = {name.split("+", 1)[1] for name in names}
        assert families == {"SC-KIS-Sans", "SC-KIS-Sans-Bold"}

    def test_prints_formal_dates_with_genitive_month_names(
        self, certificate_pdf_in_polish
    ):
        text = pdf_text(certificate_pdf_in_polish)

        assert "3 lutego 2026" in text
        assert "2 lutego 2029" in text
        with translation.override("pl"):
            assert documents.formal_date(datetime.date(2029, 2, 2)) in text

    def test_prints_the_verification_address(self, certificate_pdf_in_polish):
        text = pdf_text(certificate_pdf_in_polish)

        assert documents.verification_url("KIS-10-2026-0001") in text
        assert "/certyfikat/KIS-10-2026-0001/" in text

    def test_qr_code_encodes_the_verification_address(self, settings):
        # No pure-Python QR decoder is on PyPI; instead compare the code drawn
        # in the document with a QR code of the verification address.
        settings.SCKIS_SITE_URL = "https://sckis.example.gov.pl"
        expected = segno.make(
            "https://sckis.example.gov.pl/certyfikat/KIS-10-2026-0001/",
            error="m",
            micro=False,
        )

        url = documents.verification_url("KIS-10-2026-0001")
        drawn = documents.qr_code_svg(url)

        assert url == "https://sckis.example.gov.pl/certyfikat/KIS-10-2026-0001/"
        assert drawn == expected.svg_inline(scale=1, border=4, omitsize=True)
        assert segno.make(url, error="m", micro=False) == expected


class TestFormalDate:
    def test_english(self):
        with translation.override("en"):
            assert documents.formal_date(datetime.date(2026, 2, 3)) == (
                "3 February 2026"
            )

    @pytest.mark.parametrize(
        ("day", "month"),
        [
            (datetime.date(2026, 1, 31), "stycznia"),
            (datetime.date(2026, 3, 1), "marca"),
            (datetime.date(2026, 9, 10), "września"),
            (datetime.date(2026, 12, 24), "grudnia"),
        ],
    )
    def test_polish_months_are_in_the_genitive(self, day, month):
        with translation.override("pl"):
            assert f"{day.day} {month} {day.year}" in documents.formal_date(day)

    def test_polish_ends_with_the_year_abbreviation(self):
        with translation.override("pl"):
            pattern = translation.pgettext("formal date", "%(day)s %(month)s %(year)s")
            if pattern == "%(day)s %(month)s %(year)s":
                pytest.skip("the Polish catalogue has no 'formal date' pattern yet")

            assert documents.formal_date(datetime.date(2026, 2, 3)) == (
                "3 lutego 2026 r."
            )


class TestStaticFilesOnlyFetcher:
    def test_serves_our_static_files(self):
        fetcher = documents.StaticFilesOnlyFetcher()

        response = fetcher.fetch(
            f"{documents.DOCUMENT_ORIGIN}/static/fonts/DejaVuSans.ttf"
        )

        assert response.read()[:4] == b"\x00\x01\x00\x00"
        response.close()

    def test_serves_data_addresses(self):
        fetcher = documents.StaticFilesOnlyFetcher()

        response = fetcher.fetch("data:text/plain;base64,xYHDs2TFug==")

        assert response.read().decode() == "Łódź"

    @pytest.mark.parametrize(
        "url",
        [
            "file:///etc/passwd",
            "http://127.0.0.1:8000/static/css/documents.css",
            "https://127.0.0.1/static/css/documents.css",
            f"{documents.DOCUMENT_ORIGIN}/etc/passwd",
            f"{documents.DOCUMENT_ORIGIN}/static/../../../../etc/passwd",
            f"{documents.DOCUMENT_ORIGIN}/static/%2e%2e/sckis/settings.py",
            f"{documents.DOCUMENT_ORIGIN}/static//etc/passwd",
            f"{documents.DOCUMENT_ORIGIN}.attacker.example/static/css/documents.css",
            "ftp://127.0.0.1/x",
        ],
    )
    def test_refuses_everything_else(self, url):
        fetcher = documents.StaticFilesOnlyFetcher()

        with pytest.raises(ValueError):
            fetcher.fetch(url)

    def test_a_document_cannot_pull_in_a_local_file(
        self, tmp_path, settings, monkeypatch
    ):
        secret = tmp_path / "secret.css"
        secret.write_text("body { margin: 0 }")
        (tmp_path / "doc.html").write_text(
            '{% extends "documents/base.html" %}{% block content %}'
            f'<p>Tekst</p><img src="file://{secret}"><iframe src="file://{secret}">'
            f'</iframe><link rel="stylesheet" href="file://{secret}">'
            "{% endblock %}"
        )
        settings.TEMPLATES = [
            {
                **settings.TEMPLATES[0],
                "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path],
            }
        ]
        fetched: list[str] = []
        original = documents.StaticFilesOnlyFetcher.fetch

        def spy(self, url, headers=None):
            fetched.append(url)
            return original(self, url, headers)

        monkeypatch.setattr(documents.StaticFilesOnlyFetcher, "fetch", spy)

        pdf = documents.render_pdf("doc.html", {})

        assert pdf.startswith(b"%PDF")
        assert any(url.startswith("file://") for url in fetched)
        assert "Tekst" in pdf_text(pdf)

    def test_a_missing_static_file_stops_the_render(self, tmp_path, settings):
        (tmp_path / "doc.html").write_text(
            '{% load static %}<link rel="stylesheet" '
            "href=\"{% static 'css/no-such-file.css' %}\"><p>x</p>"
        )
        settings.TEMPLATES = [
            {
                **settings.TEMPLATES[0],
                "DIRS": [*settings.TEMPLATES[0]["DIRS"], tmp_path],
            }
        ]

        with pytest.raises(documents.DocumentResourceMissing):
            documents.render_pdf("doc.html", {})
