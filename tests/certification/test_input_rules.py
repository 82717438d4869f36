"""Rules found by trying the product as its users would: impossible dates,
one expert named three times, documents and e-mails in Polish whatever the
browser's language, links in e-mails that open the case.
"""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from pypdf import PdfReader

from certification import deadlines, services
from certification.models import Club
from certification.states import ApplicationState as S
from tests import factories

pytestmark = pytest.mark.django_db


class TestStartAudit:
    def test_visit_before_the_submission_is_refused(self, units):
        application = factories.AuditApplicationFactory()
        too_early = timezone.localdate(application.submitted_at) - datetime.timedelta(
            days=1
        )

        with pytest.raises(ValidationError) as raised:
            services.start_audit(
                application=application,
                by=factories.auditor_of(application),
                experts=factories.audit_team(),
                planned_on=too_early,
            )

        assert "planned_on" in raised.value.message_dict
        application.refresh_from_db()
        assert application.state == S.AUDIT

    def test_one_expert_named_three_times_is_refused(self, units):
        application = factories.AuditApplicationFactory()
        same = {
            "name": "Jan Nowak",
            "contact": "jn@example.org",
            "no_conflict_declared": True,
        }

        with pytest.raises(ValidationError):
            services.start_audit(
                application=application,
                by=factories.auditor_of(application),
                experts=[same, dict(same), dict(same)],
                planned_on=deadlines.today(),
            )

        application.refresh_from_db()
        assert application.state == S.AUDIT


def test_club_entered_in_the_register_in_the_future_is_refused(units):
    applicant = factories.ApplicantFactory()
    tomorrow = deadlines.today() + datetime.timedelta(days=1)

    with pytest.raises(ValidationError) as raised:
        services.club_create(
            by=applicant,
            data={
                "name": "KIS Przyszłość",
                "voivodeship": applicant.unit.voivodeship,
                "street": "ul. Długa 1",
                "postal_code": "00-950",
                "city": "Warszawa",
                "leader_name": "Anna Kowalska",
                "register_entry_date": tomorrow,
            },
        )

    assert "register_entry_date" in raised.value.message_dict
    assert not Club.objects.filter(name="KIS Przyszłość").exists()


def test_certificate_is_polish_when_the_officer_browses_in_english(units):
    application = factories.DecisionApplicationFactory()

    with translation.override("en"):
        certificate = services.grant_certificate(
            application=application, by=factories.officer_of(application)
        )

    with certificate.pdf.open("rb") as stored:
        text = "".join(page.extract_text() for page in PdfReader(stored).pages)
    assert "CERTYFIKAT" in text.upper()
    assert "CERTIFICATE" not in text.upper()


def test_correction_email_names_the_faults_the_deadline_and_a_full_link(
    units, django_capture_on_commit_callbacks, settings
):
    application = factories.SubmittedApplicationFactory()
    applicant = factories.applicant_of(application)
    applicant.email = "wnioskodawca@example.org"
    applicant.save()
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.request_correction(
            application=application,
            by=factories.officer_of(application),
            faults="Brak podpisu osoby upoważnionej.",
        )

    message = next(m for m in mail.outbox if "wnioskodawca@example.org" in m.to)
    application.refresh_from_db()
    assert "Brak podpisu osoby upoważnionej." in message.body
    assert application.correction_deadline.strftime("%d.%m.%Y") in message.body
    assert f"{settings.SCKIS_SITE_URL}/panel/wnioski/{application.pk}/" in message.body


def test_grant_needs_a_delivered_audit_report(units):
    application = factories.AppealReviewApplicationFactory()
    services.uphold_appeal(
        application=application,
        by=factories.appeal_officer(),
        reasons="Ponowna decyzja.",
        return_to=S.DECISION,
    )
    application.refresh_from_db()
    application.audits.update(report_drawn_up_on=None)

    with pytest.raises(services.ActionRefused):
        services.grant_certificate(
            application=application, by=factories.officer_of(application)
        )

    application.refresh_from_db()
    assert application.state == S.DECISION
