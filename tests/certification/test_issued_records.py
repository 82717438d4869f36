"""Issued decisions and delivered audit cards are records: their PDFs are
stored when issued and served as stored, byte for byte, whatever changes
later in the data or the templates.
"""

import hashlib
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from certification import selectors, services
from certification.states import DecisionKind
from tests import factories

pytestmark = pytest.mark.django_db


def _text(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def test_refusal_is_stored_with_its_reasons_and_served_as_stored(client, units):
    application = factories.DecisionApplicationFactory()
    officer = factories.officer_of(application)

    decision = services.refuse_certificate(
        application=application, by=officer, reasons="Brak porozumienia z PUP."
    )

    with decision.pdf.open("rb") as stored:
        issued = stored.read()
    assert hashlib.sha256(issued).hexdigest() == decision.sha256
    assert "Brak porozumienia z PUP." in _text(issued)
    assert application.number in _text(issued)

    # The club is renamed afterwards; the decision does not change.
    application.club.name = "KIS Zupełnie Inny"
    application.club.save()
    client.force_login(officer)
    response = client.get(
        reverse("certification:document_decision", args=[application.pk, decision.pk])
    )
    assert response.status_code == 200
    assert response.content == issued


def test_grant_stores_the_decision_naming_the_certificate(units):
    application = factories.DecisionApplicationFactory()

    certificate = services.grant_certificate(
        application=application, by=factories.officer_of(application)
    )

    decision = application.decisions.get(kind=DecisionKind.GRANT)
    with decision.pdf.open("rb") as stored:
        assert certificate.number in _text(stored.read())


def test_delivered_audit_card_is_served_as_delivered(client, units):
    application = factories.DecisionApplicationFactory()
    audit = selectors.current_audit(application)
    with audit.report_pdf.open("rb") as stored:
        delivered = stored.read()
    assert hashlib.sha256(delivered).hexdigest() == audit.report_sha256

    audit.conclusion = "Zmieniono po fakcie."
    audit.save()
    client.force_login(factories.officer_of(application))
    response = client.get(
        reverse("certification:document_audit_card", args=[application.pk])
    )

    assert response.content == delivered
    assert "Zmieniono po fakcie." not in _text(response.content)


def test_decision_of_another_voivodeship_gets_404(client, units):
    application = factories.RefusedApplicationFactory()
    decision = application.decisions.get()
    stranger = factories.OfficerFactory(unit__voivodeship__slug="slaskie")
    client.force_login(stranger)

    response = client.get(
        reverse("certification:document_decision", args=[application.pk, decision.pk])
    )

    assert response.status_code == 404
