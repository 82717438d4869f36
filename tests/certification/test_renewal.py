"""Renewal of a certificate: a new application copied from the one granted."""

import datetime
import uuid

import pytest
from django.urls import reverse

from certification import deadlines, services
from certification.application_sections import OF_GROUP
from certification.models import Application, Certificate
from certification.services import ActionRefused
from certification.states import ApplicationKind, ApplicationState, Level
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate(units) -> Certificate:
    """A certificate valid today, granted through the whole process."""
    application = factories.CertifiedApplicationFactory(level=Level.FULL)
    return Certificate.objects.get(application=application)


@pytest.fixture
def holder(certificate):
    """A person of the institution that founded the certified club."""
    return factories.member_of(certificate.club.founding_unit)


def _renewal_count(certificate) -> int:
    return Application.objects.filter(renewal_of=certificate).count()


class TestRenewalCreate:
    def test_copies_declarations_and_authorised_person(self, certificate, holder):
        old = certificate.application

        renewal = services.renewal_create(by=holder, certificate=certificate)

        assert renewal.kind == ApplicationKind.RENEWAL
        assert renewal.state == ApplicationState.DRAFT
        assert renewal.renewal_of == certificate
        assert renewal.authorised_person == old.authorised_person
        assert renewal.authorised_person_contact == old.authorised_person_contact
        copied = {d.criterion.code: d for d in renewal.declarations.all()}
        assert len(copied) == old.declarations.count()
        for declaration in old.declarations.select_related("criterion"):
            new = copied[declaration.criterion.code]
            assert new.level == declaration.level
            assert new.not_applicable == declaration.not_applicable
            assert new.description == declaration.description
            assert not new.changed_since_last

    def test_same_token_creates_one_renewal(self, certificate, holder):
        token = uuid.uuid4()

        first = services.renewal_create(by=holder, certificate=certificate, token=token)
        second = services.renewal_create(
            by=holder, certificate=certificate, token=token
        )

        assert first.pk == second.pk
        assert _renewal_count(certificate) == 1

    def test_marked_changes_are_saved(self, certificate, holder):
        renewal = services.renewal_create(by=holder, certificate=certificate)
        changed, unchanged = list(renewal.declarations.all())[:2]

        services.application_update(
            application=renewal,
            by=holder,
            authorised_person=renewal.authorised_person,
            authorised_person_contact=renewal.authorised_person_contact,
            declarations={
                changed.criterion_id: {
                    "level": Level.FULL,
                    "description": "Nowa sala.",
                    "changed_since_last": True,
                },
                unchanged.criterion_id: {
                    "level": Level.FULL,
                    "description": unchanged.description,
                    "changed_since_last": False,
                },
            },
        )

        changed.refresh_from_db()
        unchanged.refresh_from_db()
        assert changed.changed_since_last
        assert changed.description == "Nowa sala."
        assert not unchanged.changed_since_last

    def test_refused_for_another_institution(self, certificate):
        other = factories.ApplicantFactory(
            unit__voivodeship=certificate.club.voivodeship
        )

        with pytest.raises(ActionRefused):
            services.renewal_create(by=other, certificate=certificate)

        assert _renewal_count(certificate) == 0

    def test_refused_for_a_certificate_ended_over_30_days_ago(
        self, certificate, holder
    ):
        ended = deadlines.today() - datetime.timedelta(days=31)
        Certificate.objects.filter(pk=certificate.pk).update(valid_until=ended)
        certificate.refresh_from_db()

        with pytest.raises(ActionRefused):
            services.renewal_create(by=holder, certificate=certificate)

        assert _renewal_count(certificate) == 0

    def test_allowed_within_30_days_after_the_end(self, certificate, holder):
        ended = deadlines.today() - datetime.timedelta(days=30)
        Certificate.objects.filter(pk=certificate.pk).update(valid_until=ended)
        certificate.refresh_from_db()

        renewal = services.renewal_create(by=holder, certificate=certificate)

        assert renewal.renewal_of == certificate

    def test_refused_while_an_application_is_open(self, certificate, holder):
        services.renewal_create(by=holder, certificate=certificate)

        with pytest.raises(ActionRefused):
            services.renewal_create(by=holder, certificate=certificate)

        assert _renewal_count(certificate) == 1

    def test_granted_renewal_is_valid_from_the_day_after_the_old_one_ends(
        self, certificate, holder
    ):
        renewal = services.renewal_create(by=holder, certificate=certificate)
        officer = factories.officer_of(renewal)

        services.submit_application(application=renewal, by=holder)
        services.accept_formally(application=renewal, by=officer)
        factories.complete_standard_card(renewal)
        services.commission_audit(application=renewal, by=officer)
        auditor = factories.auditor_of(renewal)
        services.start_audit(
            application=renewal,
            by=auditor,
            experts=factories.audit_team(),
            planned_on=deadlines.today(),
        )
        factories.complete_audit_card(renewal)
        services.deliver_report(application=renewal, by=auditor)
        new = services.grant_certificate(application=renewal, by=officer)

        assert new.valid_from == certificate.valid_until + datetime.timedelta(days=1)
        assert new.valid_until > certificate.valid_until


class TestRenewalView:
    def test_club_page_offers_renewal_and_post_creates_it(
        self, client, certificate, holder
    ):
        client.force_login(holder)
        url = reverse("certification:renewal_create", args=[certificate.pk])

        club_page = client.get(certificate.club.get_absolute_url())
        response = client.post(url, {"token": str(uuid.uuid4())})

        assert url in club_page.content.decode()
        renewal = Application.objects.get(renewal_of=certificate)
        assert response.status_code == 302
        assert response.url == reverse(
            "certification:application_edit", args=[renewal.pk]
        )

    def test_criteria_section_saves_changed_checkbox_for_renewals(
        self, client, certificate, holder
    ):
        renewal = services.renewal_create(by=holder, certificate=certificate)
        declaration = renewal.declarations.select_related("criterion").first()
        section = OF_GROUP[declaration.criterion.group]
        client.force_login(holder)
        url = reverse(
            "certification:application_section", args=[renewal.pk, section.slug]
        )

        page = client.get(url)
        form = page.context["form"]
        # What the page shows, posted back as it is, plus the one tick.
        data = {}
        for name in form.fields:
            value = form[name].value()
            if value is True:
                data[name] = "on"
            elif value not in (None, False, ""):
                data[name] = value
        data[f"changed_{declaration.criterion_id}"] = "on"
        data["next"] = "tasks"
        response = client.post(url, data)

        assert f'name="changed_{declaration.criterion_id}"' in page.content.decode()
        assert response.status_code == 302
        declaration.refresh_from_db()
        assert declaration.changed_since_last
        assert renewal.declarations.filter(changed_since_last=True).count() == 1
        # The copied answers are kept.
        old = certificate.application.declarations.get(
            criterion__code=declaration.criterion.code
        )
        assert declaration.level == old.level
        assert declaration.description == old.description
