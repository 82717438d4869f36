"""The KPA calendar: terms counted in days or months, ending on a working day.

Rules of the administrative procedure code (KPA) art. 57: the day of the event
is not counted; a term in months ends on the same day number of the last
month (or that month's last day); a term ending on a Saturday, a Sunday or a
public holiday ends on the next day that is none of these.
"""

import calendar
import datetime
from functools import lru_cache

import holidays
from django.conf import settings
from django.utils import timezone


@lru_cache(maxsize=32)
def _polish_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("PL", years=year)


def is_working_day(day: datetime.date) -> bool:
    """Whether a term may end on this day (KPA art. 57 §4)."""
    return day.weekday() < 5 and day not in _polish_holidays(day.year)


def next_working_day(day: datetime.date) -> datetime.date:
    """The day itself if a term may end on it, else the next day that may."""
    while not is_working_day(day):
        day += datetime.timedelta(days=1)
    return day


def term_in_days(start: datetime.date, days: int) -> datetime.date:
    """The last day of a term of `days` days counted from the event on `start`."""
    return next_working_day(start + datetime.timedelta(days=days))


def term_in_months(start: datetime.date, months: int) -> datetime.date:
    """The last day of a term of `months` months counted from `start`."""
    month_index = start.month - 1 + months
    year, month = start.year + month_index // 12, month_index % 12 + 1
    day = min(start.day, calendar.monthrange(year, month)[1])
    return next_working_day(datetime.date(year, month, day))


def today() -> datetime.date:
    """Today's date in Poland; near midnight never the UTC date."""
    return timezone.localdate()


def correction_deadline(start: datetime.date | None = None) -> datetime.date:
    return term_in_days(start or today(), settings.SCKIS_DEADLINES["correction_days"])


def appeal_deadline(start: datetime.date | None = None) -> datetime.date:
    return term_in_days(start or today(), settings.SCKIS_DEADLINES["appeal_days"])


def appeal_forward_deadline(start: datetime.date | None = None) -> datetime.date:
    return term_in_days(
        start or today(), settings.SCKIS_DEADLINES["appeal_forward_days"]
    )


def certificate_valid_until(issued_on: datetime.date) -> datetime.date:
    """The last day of a certificate issued on `issued_on`: three years less a day."""
    years = settings.SCKIS_CERTIFICATE_YEARS
    try:
        anniversary = issued_on.replace(year=issued_on.year + years)
    except ValueError:  # 29 February
        anniversary = issued_on.replace(year=issued_on.year + years, day=28)
        return anniversary
    return anniversary - datetime.timedelta(days=1)


def decision_deadline(submitted_on: datetime.date) -> datetime.date:
    """The day a decision is due for an application filed on `submitted_on`
    (KPA art. 35: one month for a case needing evidence).
    """
    return term_in_months(submitted_on, settings.SCKIS_DEADLINES["decision_months"])


def decision_deadline_resumed(
    deadline: datetime.date, *, paused_on: datetime.date, resumed_on: datetime.date
) -> datetime.date:
    """The decision deadline once the applicant's correction is in: later by
    the days the clock stood still (KPA art. 35 §5), ending on a working day.
    """
    paused_days = max((resumed_on - paused_on).days, 0)
    return next_working_day(deadline + datetime.timedelta(days=paused_days))


def renewal_reminder_days() -> list[int]:
    """How many days before a certificate ends its holder is reminded,
    the widest window first.
    """
    return sorted(settings.SCKIS_DEADLINES["renewal_reminder_days"], reverse=True)
