"""The units' workbench: the lists of the start page, their counts, filters
and sorting, over cases brought to their states through the services.
"""

import datetime
import re

import pytest
from django.urls import reverse

from certification import deadlines, queues
from certification.models import Application
from certification.states import ApplicationState as S
from tests import factories

pytestmark = pytest.mark.django_db

HOME = reverse("certification:home")


@pytest.fixture(autouse=True)
def english(client):
    # Assertions read the English message ids, whatever the catalogue says.
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"


def _days(n: int) -> datetime.date:
    return deadlines.today() + datetime.timedelta(days=n)


def _case(state, *, name: str, gmina: str, deadline_in: int | None, voivodeship):
    club = factories.ClubFactory(
        founding_unit__voivodeship=voivodeship, name=name, gmina=gmina, city=gmina
    )
    application = factories.application_in(state, club=club)
    # The decision deadline is set on submission; here it is set outright,
    # as a date, not by a step of the process.
    Application.objects.filter(pk=application.pk).update(
        decision_deadline=_days(deadline_in) if deadline_in is not None else None
    )
    return Application.objects.get(pk=application.pk)


@pytest.fixture
def cases(mazowieckie, lubuskie):
    """Five cases of Mazowieckie at different points, and one of Lubuskie."""
    return {
        "new": _case(
            S.SUBMITTED,
            name="KIS Nowy",
            gmina="Płońsk",
            deadline_in=25,
            voivodeship=mazowieckie,
        ),
        "due": _case(
            S.MERIT_REVIEW,
            name="KIS Pilny",
            gmina="Ciechanów",
            deadline_in=3,
            voivodeship=mazowieckie,
        ),
        "overdue": _case(
            S.MERIT_REVIEW,
            name="KIS Spóźniony",
            gmina="Radom",
            deadline_in=-2,
            voivodeship=mazowieckie,
        ),
        "correction": _case(
            S.CORRECTION,
            name="KIS Poprawiany",
            gmina="Płock",
            deadline_in=None,
            voivodeship=mazowieckie,
        ),
        "audit": _case(
            S.AUDIT,
            name="KIS Audytowany",
            gmina="Siedlce",
            deadline_in=20,
            voivodeship=mazowieckie,
        ),
        "elsewhere": _case(
            S.SUBMITTED,
            name="KIS Lubuski",
            gmina="Zielona Góra",
            deadline_in=-5,
            voivodeship=lubuskie,
        ),
    }


@pytest.fixture
def officer(cases):
    return factories.officer_of(cases["new"])


@pytest.fixture
def auditor(cases):
    return factories.auditor_of(cases["audit"])


def _listed(user, **values) -> list[str]:
    """The clubs of every case the start page lists for these filters."""
    return [
        case.club.name
        for section in queues.sections(user, values)
        for case in section.cases
    ]


def _counts(user) -> dict[str, int]:
    return {tally.key: tally.count for tally in queues.tallies(user, {})}


class TestNextDeadline:
    def test_follows_the_step_the_case_waits_for(self, cases):
        annotated = {
            case.pk: case.next_deadline
            for case in queues.with_next_deadline(Application.objects.all())
        }

        assert annotated[cases["due"].pk] == _days(3)
        assert annotated[cases["overdue"].pk] == _days(-2)
        assert annotated[cases["audit"].pk] == _days(20)
        assert annotated[cases["correction"].pk] == (
            cases["correction"].correction_deadline
        )

    def test_of_a_lodged_appeal_is_its_forwarding_deadline(self, mazowieckie):
        application = factories.AppealedApplicationFactory(
            club__founding_unit__voivodeship=mazowieckie
        )
        appeal = application.appeals.get()

        annotated = queues.with_next_deadline(Application.objects.all()).get(
            pk=application.pk
        )

        assert appeal.forward_deadline is not None
        assert annotated.next_deadline == appeal.forward_deadline


class TestBuckets:
    def test_officer_sees_each_case_in_its_list(self, officer):
        assert _listed(officer, kolejka=queues.NEW) == ["KIS Nowy"]
        assert _listed(officer, kolejka=queues.OURS, termin=queues.DUE_SOON) == [
            "KIS Pilny"
        ]
        assert _listed(officer, kolejka=queues.OURS, termin=queues.OVERDUE) == [
            "KIS Spóźniony"
        ]
        assert set(_listed(officer, kolejka=queues.OTHERS)) == {
            "KIS Poprawiany",
            "KIS Audytowany",
        }
        assert set(_listed(officer, kolejka=queues.OURS)) == {
            "KIS Nowy",
            "KIS Pilny",
            "KIS Spóźniony",
        }
        assert len(_listed(officer, kolejka=queues.ALL)) == 5

    def test_officer_counts(self, officer):
        assert _counts(officer) == {
            queues.NEW: 1,
            queues.DUE_SOON: 1,
            queues.OVERDUE: 1,
            queues.OURS: 3,
            queues.OTHERS: 2,
            queues.ALL: 5,
        }

    def test_auditor_sees_only_the_audit_commissioned_to_its_unit(self, auditor):
        assert _listed(auditor, kolejka=queues.NEW) == ["KIS Audytowany"]
        assert _counts(auditor) == {
            queues.NEW: 1,
            queues.DUE_SOON: 0,
            queues.OVERDUE: 0,
            queues.OURS: 1,
            queues.OTHERS: 0,
            queues.ALL: 1,
        }

    def test_applicant_waits_for_the_correction_it_owes(self, cases):
        applicant = factories.applicant_of(cases["correction"])

        assert _listed(applicant, kolejka=queues.OURS) == ["KIS Poprawiany"]
        assert _listed(applicant, kolejka=queues.OTHERS) == []

    def test_appeal_officer_gets_forwarded_appeals_as_new(self, mazowieckie):
        application = factories.AppealReviewApplicationFactory(
            club__founding_unit__voivodeship=mazowieckie, club__name="KIS Odwołany"
        )

        assert _listed(factories.appeal_officer(), kolejka=queues.NEW) == [
            application.club.name
        ]

    def test_correction_past_its_deadline_turns_to_the_officer(self, officer, cases):
        Application.objects.filter(pk=cases["correction"].pk).update(
            correction_deadline=_days(-1)
        )

        assert "KIS Poprawiany" in _listed(
            officer, kolejka=queues.OURS, termin=queues.OVERDUE
        )

    def test_assigned_submission_is_no_longer_new(self, officer, cases):
        Application.objects.filter(pk=cases["new"].pk).update(assigned_officer=officer)

        assert _listed(officer, kolejka=queues.NEW) == []
        assert _listed(officer, kolejka=queues.ALL, moje=True) == ["KIS Nowy"]

    def test_another_units_cases_never_appear(self, officer, cases):
        other = factories.officer_of(cases["elsewhere"])

        assert "KIS Lubuski" not in _listed(officer, kolejka=queues.ALL)
        assert _listed(other, kolejka=queues.ALL) == ["KIS Lubuski"]
        assert _counts(other)[queues.OVERDUE] == 1


class TestFiltersAndSorting:
    def test_by_club_name_or_case_number(self, officer, cases):
        assert _listed(officer, kolejka=queues.ALL, klub="pilny") == ["KIS Pilny"]
        number = cases["audit"].number
        assert _listed(officer, kolejka=queues.ALL, klub=number) == ["KIS Audytowany"]

    def test_by_municipality(self, officer):
        assert _listed(officer, kolejka=queues.ALL, gmina="radom") == ["KIS Spóźniony"]

    def test_by_state(self, officer):
        assert set(_listed(officer, kolejka=queues.ALL, stan=S.MERIT_REVIEW)) == {
            "KIS Pilny",
            "KIS Spóźniony",
        }

    def test_by_deadline_in_every_list(self, officer):
        assert _listed(officer, kolejka=queues.ALL, termin=queues.OVERDUE) == [
            "KIS Spóźniony"
        ]

    @pytest.mark.parametrize(
        ("sort", "expected"),
        [
            ("termin", ["KIS Spóźniony", "KIS Pilny", "KIS Nowy"]),
            ("-termin", ["KIS Nowy", "KIS Pilny", "KIS Spóźniony"]),
            ("klub", ["KIS Nowy", "KIS Pilny", "KIS Spóźniony"]),
            ("-klub", ["KIS Spóźniony", "KIS Pilny", "KIS Nowy"]),
            ("stan", ["KIS Nowy", "KIS Spóźniony", "KIS Pilny"]),
        ],
    )
    def test_sorting(self, officer, sort, expected):
        listed = _listed(officer, kolejka=queues.OURS, sort=sort)

        if sort == "stan":
            # Same state: the most recently changed first.
            assert listed[0] == expected[0]
            assert set(listed[1:]) == set(expected[1:])
        else:
            assert listed == expected

    def test_cases_without_a_deadline_come_last(self, officer):
        listed = _listed(officer, kolejka=queues.ALL, sort="termin")

        assert listed[0] == "KIS Spóźniony"
        assert listed[-1] in {"KIS Poprawiany", "KIS Audytowany", "KIS Nowy"}


class TestStartPage:
    def test_shows_the_count_of_each_list_linked_to_it(self, client, officer):
        client.force_login(officer)

        page = client.get(HOME).content.decode()

        assert re.search(
            r'href="\?kolejka=nasze&amp;termin=przekroczony"[^>]*>Overdue: '
            r"<strong>1</strong>",
            page,
        )
        assert re.search(r'href="\?kolejka=nowe"[^>]*>New: <strong>1</strong>', page)
        assert "Waiting for someone else: <strong>2</strong>" in page

    def test_lists_filtered_by_the_address(self, client, officer):
        client.force_login(officer)

        page = client.get(
            HOME, {"kolejka": "nasze", "termin": "przekroczony"}
        ).content.decode()

        assert "KIS Spóźniony" in page
        assert "KIS Pilny" not in page
        assert "overdue" in page
        assert 'aria-current="page"' in page

    def test_default_lists_hold_ours_and_others_but_not_another_units(
        self, client, officer
    ):
        client.force_login(officer)

        page = client.get(HOME).content.decode()

        for name in ["KIS Nowy", "KIS Pilny", "KIS Poprawiany", "KIS Audytowany"]:
            assert name in page
        assert "KIS Lubuski" not in page

    def test_shows_who_is_in_charge(self, client, officer, cases):
        Application.objects.filter(pk=cases["due"].pk).update(assigned_officer=officer)
        client.force_login(officer)

        page = client.get(HOME, {"kolejka": "nasze", "moje": "1"}).content.decode()

        assert officer.display_name in page
        assert "KIS Pilny" in page
        assert "KIS Nowy" not in page

    def test_invalid_filters_are_ignored(self, client, officer):
        client.force_login(officer)

        response = client.get(HOME, {"stan": "nonsense", "sort": "nonsense"})

        assert response.status_code == 200
        assert "KIS Nowy" in response.content.decode()

    def test_applicant_keeps_its_clubs(self, client, cases):
        client.force_login(factories.applicant_of(cases["new"]))

        page = client.get(HOME).content.decode()

        assert "Our clubs" in page
        assert "KIS Nowy" in page
