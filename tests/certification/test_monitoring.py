"""Monitoring of the clubs in the regions (recommendation II.5): the
measures per voivodeship and for the country, the page with its charts and
tables, and the CSV file.
"""

import csv
import datetime
import io
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from certification import events, monitoring, services
from certification.models import Transition
from certification.states import ApplicationState as S
from tests import factories

pytestmark = pytest.mark.django_db

WARSAW = ZoneInfo("Europe/Warsaw")


@pytest.fixture(autouse=True)
def english(client):
    # Assertions read the English message ids, whatever the catalogue says.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _on(month: int, day: int) -> datetime.datetime:
    return datetime.datetime(2026, month, day, 10, 0, tzinfo=WARSAW)


def _dated(application, submitted: datetime.datetime, decided: datetime.datetime):
    """Move the recorded submission and first decision to known days."""
    steps = Transition.objects.filter(application=application)
    steps.filter(event=events.SUBMITTED).update(at=submitted)
    steps.filter(event__in=[events.GRANTED, events.REFUSED]).update(at=decided)


def _in(voivodeship, factory):
    return factory(club=factories.ClubFactory(founding_unit__voivodeship=voivodeship))


@pytest.fixture
def cases(units, mazowieckie):
    """Cases in Mazowieckie and Łódzkie with known dates and outcomes."""
    lodzkie = factories.VoivodeshipFactory(slug="lodzkie")

    certified = _in(mazowieckie, factories.CertifiedApplicationFactory)
    _dated(certified, _on(1, 5), _on(1, 25))  # 20 days
    refused = _in(mazowieckie, factories.RefusedApplicationFactory)
    _dated(refused, _on(1, 5), _on(2, 4))  # 30 days
    dismissed = _in(mazowieckie, factories.ClosedApplicationFactory)
    _dated(dismissed, _on(1, 5), _on(1, 15))  # 10 days
    appealed = _in(mazowieckie, factories.AppealedApplicationFactory)
    _dated(appealed, _on(1, 5), _on(1, 7))  # 2 days
    _in(mazowieckie, factories.CorrectionApplicationFactory)
    _in(mazowieckie, factories.DraftApplicationFactory)  # not a case yet

    granted = _in(lodzkie, factories.CertifiedApplicationFactory)
    _dated(granted, _on(2, 1), _on(2, 9))  # 8 days
    reconsidered = _in(lodzkie, factories.AppealedApplicationFactory)
    services.reconsider_appeal(
        application=reconsidered,
        by=factories.officer_of(reconsidered),
        reasons="Klub uzupełnił porozumienie z PUP.",
    )
    # The grant on review does not count: the refusal was the first decision.
    _dated(reconsidered, _on(2, 1), _on(2, 11))  # 10 days
    upheld = _in(lodzkie, factories.AppealReviewApplicationFactory)
    services.uphold_appeal(
        application=upheld,
        by=factories.appeal_officer(),
        reasons="Ocena wymaga ponowienia.",
        return_to=S.DECISION,
    )
    _dated(upheld, _on(2, 1), _on(2, 21))  # 20 days

    return {"mazowieckie": mazowieckie, "lodzkie": lodzkie}


def _region(measures, voivodeship):
    return next(r for r in measures.regions if r.voivodeship == voivodeship)


class TestMonitoringMeasures:
    def test_numbers_per_voivodeship_and_for_the_country(self, cases):
        measures = monitoring.monitoring_measures()
        mazowieckie = _region(measures, cases["mazowieckie"])
        lodzkie = _region(measures, cases["lodzkie"])
        national = measures.national

        assert len(measures.regions) == 16
        assert mazowieckie.cases_by_state == {
            S.CERTIFIED: 1,
            S.REFUSED: 1,
            S.CLOSED: 1,
            S.APPEALED: 1,
            S.CORRECTION: 1,
        }
        assert mazowieckie.submitted == 5
        assert lodzkie.cases_by_state == {S.CERTIFIED: 2, S.DECISION: 1}
        assert national.submitted == 8
        assert national.cases_by_state[S.CERTIFIED] == 3

        assert mazowieckie.valid_certificates == 1
        assert lodzkie.valid_certificates == 2
        assert national.valid_certificates == 3

        assert mazowieckie.median_days_to_decision == 15  # 2, 10, 20, 30
        assert lodzkie.median_days_to_decision == 10  # 8, 10, 20
        assert national.median_days_to_decision == 10  # 2, 8, 10, 10, 20, 20, 30
        assert national.decided == 7

        assert mazowieckie.corrected == 1
        assert mazowieckie.correction_share == 20
        assert lodzkie.correction_share == 0
        assert national.correction_share == 12.5

        assert mazowieckie.appeal_outcomes == {"dismissed": 1, "": 1}
        assert lodzkie.appeal_outcomes == {"reconsidered": 1, "upheld": 1}
        assert national.appeals_lodged == 4
        assert national.appeals_pending == 1

        empty = _region(measures, factories.VoivodeshipFactory(slug="lubuskie"))
        assert empty.submitted == 0
        assert empty.median_days_to_decision is None
        assert empty.correction_share is None

    def test_certificates_are_counted_only_while_valid(self, units, mazowieckie):
        certified = _in(mazowieckie, factories.CertifiedApplicationFactory)
        valid_until = certified.certificate.valid_until

        on_last_day = monitoring.monitoring_measures(on=valid_until)
        day_after = monitoring.monitoring_measures(
            on=valid_until + datetime.timedelta(days=1)
        )

        assert on_last_day.national.valid_certificates == 1
        assert day_after.national.valid_certificates == 0

    def test_csv_columns_cover_every_state_of_a_case(self):
        assert set(monitoring.CSV_STATE_COLUMNS) == set(monitoring.CASE_STATES)


class TestMonitoringScreens:
    @pytest.mark.parametrize(
        "person",
        [
            factories.OfficerFactory,
            factories.AuditorFactory,
            factories.AppealOfficerFactory,
        ],
    )
    def test_unit_members_see_the_page(self, client, units, person):
        client.force_login(person())

        response = client.get(reverse("certification:monitoring"))

        assert response.status_code == 200
        assert reverse("certification:monitoring") in response.content.decode()

    def test_applicant_gets_404(self, client, applicant):
        client.force_login(applicant)

        assert client.get(reverse("certification:monitoring")).status_code == 404
        assert client.get(reverse("certification:monitoring_csv")).status_code == 404
        page = client.get(reverse("certification:home")).content.decode()
        assert reverse("certification:monitoring") not in page

    def test_anonymous_is_sent_to_log_in(self, client):
        response = client.get(reverse("certification:monitoring"))

        assert response.status_code == 302
        assert reverse("login") in response["Location"]

    def test_every_chart_has_a_table_with_its_numbers(self, client, cases, officer):
        client.force_login(officer)

        page = client.get(reverse("certification:monitoring")).content.decode()

        charts = page.count("<svg ")
        assert charts == 5
        assert page.count("<table ") == charts
        assert page.count('role="img"') == charts
        for key in ("cases", "certificates", "days", "corrections", "appeals"):
            assert f'aria-labelledby="chart-{key}-title chart-{key}-desc"' in page
            assert f'<title id="chart-{key}-title">' in page
        # No style attributes: the Content Security Policy forbids them.
        assert "style=" not in page
        # The median of Mazowieckie, in the chart and in its table.
        assert page.count("15,0") >= 2
        # Aggregates only: no club, case number or person.
        assert "KIS Testowo" not in page
        assert "/2026/" not in page

    def test_csv_has_polish_headers_and_letters(self, client, cases, officer):
        client.force_login(officer)

        response = client.get(reverse("certification:monitoring_csv"))

        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        assert "attachment" in response["Content-Disposition"]
        assert response.content.startswith(b"\xef\xbb\xbf")
        rows = list(
            csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";")
        )
        assert rows[0] == monitoring.CSV_HEADER
        assert rows[0][0] == "Województwo"
        assert len(rows) == 1 + 16 + 1
        lodzkie = next(row for row in rows if row[0] == "łódzkie")
        column = dict(zip(rows[0], lodzkie, strict=True))
        assert column["Sprawy złożone"] == "3"
        assert column["Certyfikaty ważne w dniu zestawienia"] == "2"
        assert column["Mediana dni od złożenia do decyzji"] == "10,0"
        assert column["Odwołania: uwzględnione w samokontroli"] == "1"
        national = dict(zip(rows[0], rows[-1], strict=True))
        assert national["Województwo"] == "Polska (razem)"
        assert national["Odsetek spraw skierowanych do uzupełnienia (%)"] == "12,5"
