"""The KPA calendar: terms end on a working day (KPA art. 57)."""

import datetime

import pytest

from certification import deadlines

D = datetime.date


class TestIsWorkingDay:
    @pytest.mark.parametrize(
        "day",
        [
            D(2026, 1, 1),  # Nowy Rok
            D(2026, 1, 6),  # Trzech Króli
            D(2026, 4, 6),  # Poniedziałek Wielkanocny
            D(2026, 5, 1),  # Święto Państwowe
            D(2026, 6, 4),  # Boże Ciało
            D(2026, 11, 11),  # Święto Niepodległości
            D(2025, 12, 24),  # Wigilia, a public holiday from 2025
            D(2026, 12, 24),
            D(2026, 12, 26),
            D(2026, 3, 7),  # a Saturday
            D(2026, 3, 8),  # a Sunday
        ],
    )
    def test_holidays_saturdays_and_sundays_are_not(self, day):
        assert not deadlines.is_working_day(day)

    @pytest.mark.parametrize(
        "day", [D(2024, 12, 24), D(2026, 3, 9), D(2026, 4, 7), D(2026, 11, 12)]
    )
    def test_ordinary_weekdays_are(self, day):
        assert deadlines.is_working_day(day)


class TestTermInDays:
    def test_day_of_the_event_is_not_counted(self):
        # Monday 9 March 2026 + 7 days = Monday 16 March.
        assert deadlines.term_in_days(D(2026, 3, 9), 7) == D(2026, 3, 16)

    def test_term_ending_on_11_november_moves_to_the_next_working_day(self):
        assert deadlines.term_in_days(D(2026, 11, 4), 7) == D(2026, 11, 12)

    def test_term_ending_on_a_saturday_moves_to_monday(self):
        assert deadlines.term_in_days(D(2026, 3, 7), 7) == D(2026, 3, 16)

    def test_term_ending_on_a_sunday_moves_to_monday(self):
        assert deadlines.term_in_days(D(2026, 3, 1), 7) == D(2026, 3, 9)

    def test_term_ending_on_easter_monday_moves_to_tuesday(self):
        assert deadlines.term_in_days(D(2026, 3, 30), 7) == D(2026, 4, 7)

    def test_term_ending_on_24_december_2025_moves_past_christmas(self):
        # Wigilia (Wed), both Christmas days, the weekend: Monday 29 December.
        assert deadlines.term_in_days(D(2025, 12, 10), 14) == D(2025, 12, 29)

    def test_24_december_2024_was_still_a_working_day(self):
        assert deadlines.term_in_days(D(2024, 12, 10), 14) == D(2024, 12, 24)

    def test_term_over_new_year_moves_past_1_january(self):
        assert deadlines.term_in_days(D(2025, 12, 25), 7) == D(2026, 1, 2)

    def test_term_ending_on_3_may_sunday_moves_to_monday(self):
        assert deadlines.term_in_days(D(2026, 4, 19), 14) == D(2026, 5, 4)

    def test_term_ending_on_a_saturday_before_a_monday_holiday_moves_to_tuesday(
        self,
    ):
        # Saturday 4 April 2026, Easter Sunday, Easter Monday: Tuesday 7 April.
        assert deadlines.term_in_days(D(2026, 3, 28), 7) == D(2026, 4, 7)


class TestTermInMonths:
    def test_ends_on_the_same_day_number(self):
        assert deadlines.term_in_months(D(2026, 3, 10), 1) == D(2026, 4, 10)

    def test_without_that_day_ends_on_the_last_day_of_the_month(self):
        assert deadlines.term_in_months(D(2024, 1, 31), 1) == D(2024, 2, 29)

    def test_last_day_of_february_on_a_saturday_moves_to_monday(self):
        assert deadlines.term_in_months(D(2026, 1, 31), 1) == D(2026, 3, 2)

    def test_crosses_the_year(self):
        assert deadlines.term_in_months(D(2026, 11, 16), 2) == D(2027, 1, 18)


class TestProcessDeadlines:
    def test_correction_is_7_days(self):
        assert deadlines.correction_deadline(D(2026, 11, 4)) == D(2026, 11, 12)

    def test_appeal_is_14_days(self):
        assert deadlines.appeal_deadline(D(2025, 12, 10)) == D(2025, 12, 29)

    def test_forwarding_an_appeal_is_7_days(self):
        assert deadlines.appeal_forward_deadline(D(2026, 3, 30)) == D(2026, 4, 7)

    def test_lengths_are_settings(self, settings):
        settings.SCKIS_DEADLINES = {**settings.SCKIS_DEADLINES, "correction_days": 10}
        assert deadlines.correction_deadline(D(2026, 3, 2)) == D(2026, 3, 12)

    def test_without_a_start_counts_from_today_in_poland(self, monkeypatch):
        monkeypatch.setattr(deadlines, "today", lambda: D(2026, 11, 4))
        assert deadlines.correction_deadline() == D(2026, 11, 12)
        assert deadlines.appeal_deadline() == D(2026, 11, 18)


class TestCertificateValidUntil:
    def test_three_years_less_a_day(self):
        assert deadlines.certificate_valid_until(D(2026, 3, 15)) == D(2029, 3, 14)

    def test_from_29_february_ends_on_28_february(self):
        assert deadlines.certificate_valid_until(D(2024, 2, 29)) == D(2027, 2, 28)

    def test_does_not_move_off_a_holiday(self):
        # Validity is not a KPA term: it may end on a holiday.
        assert deadlines.certificate_valid_until(D(2026, 11, 12)) == D(2029, 11, 11)
