"""Two people acting on the same case at the same moment: one wins, the
other is told why, and the case records one step. Needs real row locks, so
it runs on PostgreSQL (as `make test` and CI do).
"""

import threading

import pytest
from django.db import connection, connections

from certification import services
from certification.models import StandardCard, Transition
from certification.states import ApplicationState
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)


def _race(*calls):
    """Run the calls in threads released together; return their outcomes."""
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = call()
        except Exception as error:  # noqa: BLE001 - the outcome is the point
            outcomes[index] = error
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks are tested on PostgreSQL (make test)")


def test_two_officers_accepting_and_asking_for_correction_at_once_one_wins(units):
    application = factories.SubmittedApplicationFactory()
    first = factories.officer_of(application)
    second = factories.OfficerFactory(unit=application.certifying_unit)

    outcomes = _race(
        lambda: services.accept_formally(application=application, by=first),
        lambda: services.request_correction(
            application=application, by=second, faults="Brak podpisu."
        ),
    )

    refused = [o for o in outcomes if isinstance(o, services.ActionRefused)]
    succeeded = [o for o in outcomes if not isinstance(o, Exception)]
    assert len(succeeded) == 1 and len(refused) == 1, outcomes
    application.refresh_from_db()
    assert application.state in (
        ApplicationState.MERIT_REVIEW,
        ApplicationState.CORRECTION,
    )
    steps_after_submission = Transition.objects.filter(application=application).exclude(
        to_state=ApplicationState.SUBMITTED
    )
    assert steps_after_submission.count() == 1
    # A refused acceptance must not have left a standard card behind.
    expected_cards = 1 if application.state == ApplicationState.MERIT_REVIEW else 0
    assert StandardCard.objects.filter(application=application).count() == (
        expected_cards
    )


def test_double_submission_files_the_application_once(units):
    application = factories.DraftApplicationFactory()
    applicant = factories.applicant_of(application)

    outcomes = _race(
        lambda: services.submit_application(application=application, by=applicant),
        lambda: services.submit_application(application=application, by=applicant),
    )

    assert sum(not isinstance(o, Exception) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, services.ActionRefused) for o in outcomes) == 1
    application.refresh_from_db()
    assert application.number
    assert (
        application.transitions.filter(to_state=ApplicationState.SUBMITTED).count() == 1
    )
