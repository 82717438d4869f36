"""The public page of blank forms, /formularze/, and their PDFs."""

import io
import re

import pypdf
import pytest
from django.urls import reverse
from django.utils import translation

from registry import documents
from registry.documents import BLANK_FORMS, BLANK_FORMS_BY_SLUG, BlankForm

pytestmark = pytest.mark.django_db

SLUGS = [
    "wniosek",
    "objasnienia",
    "karta-standardu",
    "wytyczne",
    "karta-audytu",
    "certyfikat",
    "rejestr",
    "karta-procesu",
]

# Calls of fake_pdf, the renderer of a form these tests add.
RENDERS = []


def fake_pdf() -> bytes:
    RENDERS.append(1)
    return b"%PDF-1.7 fake"


def polish(message) -> str:
    with translation.override("pl"):
        return str(message)


def pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.fixture(autouse=True, scope="module")
def _fresh_cache():
    # Blank forms are cached per process; these tests start and end clean.
    documents.clear_blank_forms()
    yield
    documents.clear_blank_forms()


@pytest.fixture(autouse=True)
def _criteria(criteria):
    """Forms 1, 3 and 5 list the criteria of the current version."""


@pytest.fixture
def extra_form(monkeypatch):
    """Adds a form whose renderer is fake_pdf in this module."""

    def add(slug: str, module: str = __name__, function: str = "fake_pdf"):
        form = BlankForm(slug, "Test form", "A form of the tests.", module, function)
        monkeypatch.setattr(documents, "BLANK_FORMS", [*BLANK_FORMS, form])
        monkeypatch.setitem(BLANK_FORMS_BY_SLUG, slug, form)
        return form

    return add


def test_offers_the_seven_forms_and_the_process_card():
    assert [form.slug for form in BLANK_FORMS] == SLUGS


class TestPage:
    @pytest.fixture
    def forms_page(self, client):
        # The first view renders every form; later ones read the cache.
        return client.get("/formularze/")

    def test_address(self, forms_page):
        assert reverse("registry:forms") == "/formularze/"
        assert forms_page.status_code == 200

    def test_one_heading_per_form_under_the_page_heading(self, forms_page):
        html = forms_page.content.decode()

        assert len(re.findall(r"<h1\b", html)) == 1
        headings = re.findall(r"<h2\b[^>]*>(.*?)</h2>", html)
        assert headings == [polish(form.title) for form in BLANK_FORMS]

    def test_links_each_pdf_with_its_type_and_size(self, forms_page):
        html = forms_page.content.decode()

        for slug in SLUGS:
            match = re.search(
                rf'<a href="/formularze/{slug}\.pdf" type="application/pdf">(.*?)</a>',
                html,
                flags=re.DOTALL,
            )
            assert match, slug
            link = match.group(1)
            assert "PDF" in link
            # The size, as Django's filesizeformat writes it.
            assert re.search(r"\d+([,.]\d+)?\s?(KB|kB|MB|bajt|B)", link), link

    def test_link_text_names_the_form(self, forms_page):
        html = forms_page.content.decode()

        guidelines = BLANK_FORMS_BY_SLUG["wytyczne"]
        assert f'<span class="visually-hidden">: {polish(guidelines.title)}</span>' in (
            html
        )

    def test_main_menu_links_to_the_page(self, forms_page):
        html = forms_page.content.decode()

        menu = re.search(r'<nav[^>]*aria-label="[^"]*"[^>]*>.*?</nav>', html, re.DOTALL)
        assert (
            f'<a class="nav-link" href="/formularze/">{polish_msgid("Forms")}</a>'
            in (menu.group(0))
        )


def polish_msgid(msgid: str) -> str:
    with translation.override("pl"):
        return translation.gettext(msgid)


class TestDownload:
    @pytest.mark.parametrize("slug", SLUGS)
    def test_each_form_is_a_pdf(self, client, slug):
        response = client.get(reverse("registry:form_pdf", args=[slug]))

        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert f'filename="{slug}.pdf"' in response["Content-Disposition"]
        assert response.content.startswith(b"%PDF-")
        assert len(pypdf.PdfReader(io.BytesIO(response.content)).pages) >= 1

    def test_unknown_form_gets_404(self, client):
        assert client.get("/formularze/nieznany.pdf").status_code == 404

    def test_certificate_specimen_is_marked_and_has_placeholders(self, client):
        response = client.get("/formularze/certyfikat.pdf")

        text = pdf_text(response.content)
        assert polish_msgid("SPECIMEN") in text
        assert polish_msgid("[name of the social integration club]") in text
        assert len(pypdf.PdfReader(io.BytesIO(response.content)).pages) == 1

    def test_guidelines_are_form_4(self, client):
        response = client.get("/formularze/wytyczne.pdf")

        text = pdf_text(response.content)
        assert polish_msgid("Form 4") in text
        assert "request_correction" in text

    def test_register_form_is_blank(self, client):
        response = client.get("/formularze/rejestr.pdf")

        text = pdf_text(response.content)
        assert polish_msgid("Certificate number") in text
        assert "KIS-" not in text


class TestCache:
    @pytest.fixture(autouse=True)
    def _empty_cache(self):
        documents.clear_blank_forms()
        RENDERS.clear()

    def test_a_form_is_rendered_once_per_process(self, client, extra_form):
        extra_form("test-form")

        first = client.get("/formularze/test-form.pdf")
        second = client.get("/formularze/test-form.pdf")

        assert first.content == second.content == b"%PDF-1.7 fake"
        assert len(RENDERS) == 1

    def test_changed_terms_render_again(self, client, extra_form, settings):
        extra_form("test-form")
        client.get("/formularze/test-form.pdf")

        settings.SCKIS_DEADLINES = {**settings.SCKIS_DEADLINES, "appeal_days": 21}
        client.get("/formularze/test-form.pdf")

        assert len(RENDERS) == 2


class TestUnavailableForm:
    def test_is_listed_without_a_link(self, client, extra_form, monkeypatch):
        extra_form("not-yet", module="certification.no_such_module")
        # Only the added form matters here: skip rendering the real ones.
        monkeypatch.setattr(documents, "BLANK_FORMS", [BLANK_FORMS_BY_SLUG["not-yet"]])

        response = client.get("/formularze/")

        html = response.content.decode()
        assert response.status_code == 200
        assert "Test form" in html
        assert "/formularze/not-yet.pdf" not in html
        assert polish_msgid("Not available for download at the moment.") in html

    def test_download_gets_404(self, client, extra_form):
        extra_form("not-yet", module="certification.no_such_module")

        assert client.get("/formularze/not-yet.pdf").status_code == 404
