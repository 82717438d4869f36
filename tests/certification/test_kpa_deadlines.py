"""KPA terms across 2025–2027 and the decision clock paused for a correction."""

import datetime

import pytest
from django.utils import timezone, translation

from certification import deadlines, selectors, services
from tests import factories

D = datetime.date


class TestTermInDays:
    @pytest.mark.parametrize(
        ("start", "days", "ends"),
        [
            (D(2025, 4, 14), 7, D(2025, 4, 22)),  # Easter Monday 21.04.2025
            (D(2026, 3, 30), 7, D(2026, 4, 7)),  # Easter Monday 06.04.2026
            (D(2027, 3, 22), 7, D(2027, 3, 30)),  # Easter Monday 29.03.2027
            (D(2025, 6, 1), 7, D(2025, 6, 9)),  # Pentecost Sunday 08.06.2025
            (D(2026, 5, 17), 7, D(2026, 5, 25)),  # Pentecost Sunday 24.05.2026
            (D(2025, 6, 12), 7, D(2025, 6, 20)),  # Corpus Christi 19.06.2025
            (D(2026, 5, 28), 7, D(2026, 6, 5)),  # Corpus Christi 04.06.2026
            (D(2027, 5, 20), 7, D(2027, 5, 28)),  # Corpus Christi 27.05.2027
            (D(2025, 12, 17), 7, D(2025, 12, 29)),  # 24–28.12.2025, then Monday
            (D(2026, 12, 17), 7, D(2026, 12, 28)),  # 24.12.2026 to the weekend
            (D(2024, 12, 17), 7, D(2024, 12, 24)),  # a working day in 2024
            (D(2025, 12, 25), 7, D(2026, 1, 2)),  # 1 January 2026
            (D(2026, 12, 30), 7, D(2027, 1, 7)),  # 6 January 2027
            (D(2026, 4, 24), 7, D(2026, 5, 4)),  # 1 May, weekend with 3 May 2026
            (D(2027, 4, 26), 7, D(2027, 5, 4)),  # 3 May 2027, a Monday
            (D(2025, 8, 8), 7, D(2025, 8, 18)),  # 15 August 2025, a Friday
            (D(2026, 8, 1), 14, D(2026, 8, 17)),  # 15 August 2026, a Saturday
            (D(2027, 10, 25), 7, D(2027, 11, 2)),  # 1 November 2027
            (D(2025, 11, 4), 7, D(2025, 11, 12)),  # 11 November 2025
            (D(2026, 2, 28), 7, D(2026, 3, 9)),  # a Saturday
            (D(2026, 3, 1), 7, D(2026, 3, 9)),  # a Sunday
            (D(2026, 7, 31), 14, D(2026, 8, 14)),  # a plain Friday stays
        ],
    )
    def test_term_ends_on_the_next_working_day(self, start, days, ends):
        assert deadlines.term_in_days(start, days) == ends


class TestTermInMonths:
    @pytest.mark.parametrize(
        ("start", "ends"),
        [
            (D(2025, 1, 31), D(2025, 2, 28)),  # no 31 February
            (D(2027, 1, 30), D(2027, 3, 1)),  # 28.02.2027 is a Sunday
            (D(2026, 3, 31), D(2026, 4, 30)),  # no 31 April
            (D(2025, 5, 31), D(2025, 6, 30)),
            (D(2025, 7, 31), D(2025, 9, 1)),  # 31.08.2025 is a Sunday
            (D(2026, 4, 30), D(2026, 6, 1)),  # 30.05.2026 is a Saturday
            (D(2025, 11, 24), D(2025, 12, 29)),  # 24.12.2025, then the holidays
            (D(2024, 11, 24), D(2024, 12, 24)),  # 24.12.2024 was a working day
            (D(2025, 7, 15), D(2025, 8, 18)),  # 15 August 2025
            (D(2026, 12, 6), D(2027, 1, 7)),  # 6 January 2027
            (D(2025, 3, 21), D(2025, 4, 22)),  # 21.04.2025: Easter Monday
        ],
    )
    def test_month_term_ends_on_same_day_or_month_end_then_working_day(
        self, start, ends
    ):
        assert deadlines.term_in_months(start, 1) == ends

    def test_decision_deadline_follows_the_setting(self, settings):
        settings.SCKIS_DEADLINES = {**settings.SCKIS_DEADLINES, "decision_months": 2}

        # 28.02.2026 is a Saturday.
        assert deadlines.decision_deadline(D(2025, 12, 31)) == D(2026, 3, 2)


class TestDecisionDeadlineResumed:
    @pytest.mark.parametrize(
        ("deadline", "paused_on", "resumed_on", "ends"),
        [
            (D(2026, 3, 10), D(2026, 2, 20), D(2026, 2, 27), D(2026, 3, 17)),
            # 10 paused days land on Easter Monday 2026.
            (D(2026, 3, 27), D(2026, 3, 2), D(2026, 3, 12), D(2026, 4, 7)),
            # Paused across the Christmas of 2025.
            (D(2025, 12, 19), D(2025, 12, 1), D(2025, 12, 6), D(2025, 12, 29)),
            (D(2026, 3, 10), D(2026, 2, 20), D(2026, 2, 20), D(2026, 3, 10)),
        ],
    )
    def test_moves_later_by_the_paused_days(
        self, deadline, paused_on, resumed_on, ends
    ):
        assert (
            deadlines.decision_deadline_resumed(
                deadline, paused_on=paused_on, resumed_on=resumed_on
            )
            == ends
        )


@pytest.mark.django_db
class TestDecisionClock:
    def test_submission_sets_the_decision_deadline(self, club):
        application = factories.SubmittedApplicationFactory(club=club)

        submitted_on = timezone.localdate(application.submitted_at)
        assert application.decision_deadline == deadlines.term_in_months(
            submitted_on, 1
        )
        assert application.decision_clock_paused_on is None

    def test_correction_pauses_and_resubmission_moves_the_deadline(
        self, club, monkeypatch
    ):
        application = factories.SubmittedApplicationFactory(club=club)
        original = application.decision_deadline
        paused_on = deadlines.today()

        application = services.request_correction(
            application=application,
            by=factories.officer_of(application),
            faults="Brak podpisu.",
        )
        assert application.decision_clock_paused_on == paused_on
        assert application.decision_deadline == original
        [decision] = [
            d
            for d in selectors.case_deadlines(application)
            if d.turn == "certifying_unit"
        ]
        assert decision.status == selectors.PAUSED

        monkeypatch.setattr(
            deadlines, "today", lambda: paused_on + datetime.timedelta(days=5)
        )
        application = services.resubmit_application(
            application=application, by=factories.applicant_of(application)
        )

        assert application.decision_clock_paused_on is None
        assert application.decision_deadline == deadlines.next_working_day(
            original + datetime.timedelta(days=5)
        )
        assert application.decision_deadline > original


@pytest.mark.django_db
class TestCasePageDeadlines:
    def test_correction_shows_paused_decision_clock_in_words(self, club, client):
        application = factories.CorrectionApplicationFactory(club=club)
        client.force_login(factories.applicant_of(application))

        page = client.get(application.get_absolute_url()).content.decode()

        # The applicant reads its deadlines in sentences, once.
        assert 'id="case-status-deadlines"' in page
        assert 'id="deadlines"' not in page
        with translation.override("pl"):
            paused = translation.gettext(
                "The certifying unit should issue its decision by %(date)s. This "
                "deadline is paused while you correct the application and moves "
                "later by the days the correction takes."
            ) % {"date": application.decision_deadline.strftime("%d.%m.%Y")}
        assert paused in page
        assert application.decision_deadline.strftime("%d.%m.%Y") in page
        assert application.correction_deadline.strftime("%d.%m.%Y") in page

    def test_overdue_decision_is_said_in_words(self, club, client):
        application = factories.SubmittedApplicationFactory(club=club)
        application.decision_deadline = deadlines.today() - datetime.timedelta(days=1)
        application.save(update_fields=["decision_deadline"])

        [decision] = selectors.case_deadlines(application)
        assert decision.status == selectors.OVERDUE
        client.force_login(factories.officer_of(application))
        page = client.get(application.get_absolute_url()).content.decode()

        with translation.override("pl"):
            overdue = str(selectors.STATUS_LABELS[selectors.OVERDUE])
        assert overdue in page
