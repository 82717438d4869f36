"""Where a case stands: the stages, what happens next and who acts, who
handles the case and its deadlines, as the case page and the receipt show
them to the applicant and, neutrally, to the units' people.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from certification import case_status, deadlines, permissions, selectors, services
from certification.models import Certificate
from certification.states import ApplicationState as S
from tests import factories

pytestmark = pytest.mark.django_db

STAGE = re.compile(
    r'<li class="case-stage case-stage-(?P<status>\w+)"(?P<current> aria-current="step")?>'
    r'\s*<span class="case-stage-number" aria-hidden="true">\d+</span>'
    r'\s*<span class="case-stage-name">(?P<name>[^<]*)</span>'
    r'\s*<span class="case-stage-status">\((?P<words>[^<]*)\)</span>'
)


def shown(msgid, **params) -> str:
    """A message as the page shows it: in Polish, the default language."""
    with translation.override("pl"):
        text = str(translation.gettext(str(msgid)))
        return escape(text % params if params else text)


def dmy(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")


def panel(client, application) -> str:
    """The "where the case stands" panel of the case page."""
    response = client.get(application.get_absolute_url())
    assert response.status_code == 200
    page = response.content.decode()
    start = page.index('id="case-status"')
    return page[start : page.index("</section>", start)]


def stages_on(html: str) -> list[dict]:
    return [match.groupdict() for match in STAGE.finditer(html)]


def next_step_on(html: str) -> str:
    return re.search(r'<p id="next-step">([^<]*)</p>', html).group(1)


# The stage each state is at, who acts in it, and words of its next step in
# the applicant's own voice.
CASES = [
    (
        S.DRAFT,
        "filing",
        "applicant",
        "Nobody outside your institution sees it until you submit it",
    ),
    (
        S.SUBMITTED,
        "formal_check",
        "certifying_unit",
        "checks the application formally. It may ask you for a correction",
    ),
    (
        S.CORRECTION,
        "formal_check",
        "applicant",
        "Correct the faults listed on this page",
    ),
    (
        S.MERIT_REVIEW,
        "merit_review",
        "certifying_unit",
        "assesses whether the club meets the standard",
    ),
    (S.AUDIT, "audit", "audit_unit", "planning a visit to the club"),
    (S.AUDIT_IN_PROGRESS, "audit", "audit_unit", "checks the club on site"),
    (
        S.DECISION,
        "decision",
        "certifying_unit",
        "decides whether to grant the certificate",
    ),
    (S.CERTIFIED, "decision", "nobody", "The certificate has been granted"),
    (S.REFUSED, "decision", "applicant", "You may appeal against the refusal"),
    (S.APPEALED, "appeal", "certifying_unit", "Your appeal is with the certifying"),
    (S.APPEAL_REVIEW, "appeal", "appeal_unit", "The appeal unit examines your appeal"),
    # Withdrawn by the factory right after submission.
    (S.WITHDRAWN, "formal_check", "nobody", "You withdrew the application"),
    # Closed by the factory on the dismissal of the appeal.
    (S.CLOSED, "appeal", "nobody", "The appeal unit dismissed the appeal"),
]


class TestStagesAndNextStep:
    @pytest.mark.parametrize(("state", "stage", "actor", "words"), CASES)
    def test_the_rules_give_the_stage_the_actor_and_the_next_step(
        self, club, state, stage, actor, words
    ):
        application = factories.application_in(state, club=club)
        applicant = factories.applicant_of(application)

        with translation.override("en"):
            status = case_status.case_status(application, applicant)

        assert status.current.key == stage
        assert [s.key for s in status.stages if s.is_current] == [stage]
        assert status.next_step.actor == actor
        assert words in status.next_step.text
        assert status.for_applicant

    @pytest.mark.parametrize(("state", "stage", "actor", "words"), CASES)
    def test_the_applicant_sees_the_current_stage_and_the_next_step(
        self, client, club, state, stage, actor, words
    ):
        application = factories.application_in(state, club=club)
        client.force_login(factories.applicant_of(application))

        html = panel(client, application)

        current = [s for s in stages_on(html) if s["current"]]
        assert len(current) == 1
        assert current[0]["name"] == shown(case_status.STAGE_LABELS[stage])
        assert shown("Where your case stands") in html
        assert next_step_on(html) == shown(
            case_status.APPLICANT_TEXTS.get(state)
            or case_status.CLOSED_APPLICANT_TEXTS[S.APPEAL_REVIEW]
        )

    def test_done_and_later_stages_are_said_in_words(self, client, club):
        application = factories.MeritReviewApplicationFactory(club=club)
        client.force_login(factories.applicant_of(application))

        found = {s["name"]: s for s in stages_on(panel(client, application))}

        def words(stage):
            return found[shown(case_status.STAGE_LABELS[stage])]["words"]

        assert words("filing") == shown("done")
        assert words("formal_check") == shown("done")
        assert words("merit_review") == shown("current stage")
        assert words("audit") == shown("to come")
        assert words("decision") == shown("to come")
        # No refusal, so no appeal stage to speak of.
        assert shown(case_status.STAGE_LABELS["appeal"]) not in found

    def test_a_refusal_after_the_merit_review_skips_the_audit(self, client, club):
        application = factories.MeritReviewApplicationFactory(club=club)
        factories.complete_standard_card(application)
        services.refuse_certificate(
            application=application,
            by=factories.officer_of(application),
            reasons="Klub nie spełnia standardu.",
        )
        client.force_login(factories.applicant_of(application))

        found = {s["name"]: s for s in stages_on(panel(client, application))}

        assert found[shown("On-site audit")]["words"] == shown("not carried out")
        assert found[shown("Merit review")]["words"] == shown("done")
        assert found[shown("Decision")]["current"]
        assert found[shown("Appeal")]["words"] == shown("only if an appeal is lodged")

    def test_a_finished_case_marks_where_it_ended_and_what_it_never_reached(
        self, client, club
    ):
        application = factories.WithdrawnApplicationFactory(club=club)
        client.force_login(factories.applicant_of(application))

        found = {s["name"]: s for s in stages_on(panel(client, application))}

        formal_check = found[shown("Formal check")]
        assert formal_check["current"]
        with translation.override("pl"):
            final = escape(
                translation.gettext("final: %(state)s")
                % {"state": str(S.WITHDRAWN.label)}
            )
        assert formal_check["words"] == final
        assert found[shown("Merit review")]["words"] == shown("not reached")

    def test_the_officer_reads_neutral_words(self, client, club):
        application = factories.CorrectionApplicationFactory(club=club)
        client.force_login(factories.officer_of(application))

        html = panel(client, application)

        assert shown("Where the case stands") in html
        assert shown("Where your case stands") not in html
        assert next_step_on(html) == shown(case_status.NEUTRAL_TEXTS[S.CORRECTION])
        assert next_step_on(html) != shown(case_status.APPLICANT_TEXTS[S.CORRECTION])
        assert shown("What the applicant needs to do") in html
        who_acts = re.search(r'<dd class="col-sm-8" id="who-acts">([^<]*)', html)
        assert who_acts.group(1).lower() == shown("the applicant").lower()

    @pytest.mark.parametrize("state", [case[0] for case in CASES])
    def test_neutral_words_never_address_the_reader_as_you(self, club, state):
        application = factories.application_in(state, club=club)
        officer = factories.officer_of(application)
        applicant = factories.applicant_of(application)
        you = re.compile(r"\byou(r|rs)?\b", re.IGNORECASE)

        with translation.override("en"):
            neutral = case_status.case_status(application, officer)
            own = case_status.case_status(application, applicant)

        sentences = [
            neutral.next_step.text,
            neutral.next_step.task,
            neutral.next_step.actor_label,
            *(line.text for line in neutral.deadlines),
        ]
        assert [text for text in sentences if you.search(text)] == []
        # The applicant's own words do speak to them.
        assert any(
            you.search(text)
            for text in (own.next_step.text, own.next_step.task)
            + tuple(line.text for line in own.deadlines)
        ) or state in (S.CERTIFIED, S.MERIT_REVIEW, S.AUDIT, S.AUDIT_IN_PROGRESS)

    def test_the_officer_is_not_told_he_will_get_an_e_mail(self, client, club):
        application = factories.SubmittedApplicationFactory(club=club)
        client.force_login(factories.officer_of(application))

        html = panel(client, application)

        task = re.search(r'id="applicant-task">([^<]*)', html).group(1)
        assert task == shown(case_status.NEUTRAL_NOTHING_TO_DO)
        assert task != shown(case_status.NOTHING_TO_DO)

    def test_the_applicant_is_told_they_will_get_an_e_mail(self, client, club):
        application = factories.SubmittedApplicationFactory(club=club)
        client.force_login(factories.applicant_of(application))

        html = panel(client, application)

        task = re.search(r'id="applicant-task">([^<]*)', html).group(1)
        assert task == shown(case_status.NOTHING_TO_DO)

    def test_the_officer_reads_the_appeal_task_neutrally(self, client, club):
        application = factories.RefusedApplicationFactory(club=club)
        client.force_login(factories.officer_of(application))

        html = panel(client, application)

        assert shown(case_status.NEUTRAL_TASKS[S.REFUSED]) in html
        assert shown(case_status.TASKS[S.REFUSED]) not in html

    def test_the_applicant_is_told_it_is_their_turn(self, client, club):
        application = factories.CorrectionApplicationFactory(club=club)
        client.force_login(factories.applicant_of(application))

        html = panel(client, application)

        who_acts = re.search(r'<dd class="col-sm-8" id="who-acts">([^<]*)', html)
        assert who_acts.group(1).lower() == shown("you").lower()
        assert shown("What you need to do") in html


class TestWhoHandles:
    def test_certifying_unit_and_its_contact_are_named(self, client, club):
        application = factories.SubmittedApplicationFactory(club=club)
        unit = application.certifying_unit
        unit.email = "wps@example.gov.pl"
        unit.phone = "22 695 60 00"
        unit.save()
        client.force_login(factories.applicant_of(application))

        html = panel(client, application)

        assert escape(unit.full_name) in html
        assert 'href="mailto:wps@example.gov.pl"' in html
        assert "22 695 60 00" in html

    def test_officer_is_named_once_assigned(self, client, club):
        application = factories.SubmittedApplicationFactory(club=club)
        officer = factories.officer_of(application)
        client.force_login(factories.applicant_of(application))

        before = panel(client, application)
        assert shown("not assigned yet") in before
        assert escape(officer.display_name) not in before

        services.assign_case(application=application, by=officer, officer=officer)
        after = panel(client, application)

        assert escape(officer.display_name) in after
        assert shown("not assigned yet") not in after

    def test_audit_unit_and_auditor_are_named_during_the_audit(self, client, club):
        application = factories.AuditApplicationFactory(club=club)
        auditor = factories.auditor_of(application)
        client.force_login(factories.applicant_of(application))

        before = panel(client, application)
        assert escape(application.audit_unit.full_name) in before
        assert shown("Auditor in charge") in before

        services.assign_case(application=application, by=auditor, auditor=auditor)
        after = panel(client, application)

        assert escape(auditor.display_name) in after

    def test_audit_unit_is_not_named_before_the_audit(self, client, club):
        application = factories.MeritReviewApplicationFactory(club=club)
        audit_unit = selectors.audit_unit_of(club.voivodeship_id)
        client.force_login(factories.applicant_of(application))

        html = panel(client, application)

        assert escape(audit_unit.full_name) not in html
        assert shown("Auditor in charge") not in html


class TestDeadlines:
    def test_correction_deadline_in_the_applicants_words(self, client, club):
        application = factories.CorrectionApplicationFactory(club=club)
        date = dmy(application.correction_deadline)
        client.force_login(factories.applicant_of(application))

        html = panel(client, application)

        assert (
            shown("Correct the application and submit it again by %(date)s.", date=date)
            in html
        )
        assert shown("Deadline: %(date)s.", date=date) in html
        # The decision clock stands still meanwhile, and the page says so.
        assert (
            shown(
                case_status.APPLICANT_DEADLINE_TEXTS["decision_paused"],
                date=dmy(application.decision_deadline),
            )
            in html
        )

    def test_no_correction_deadline_before_a_correction_is_asked(self, client, club):
        application = factories.SubmittedApplicationFactory(club=club)
        client.force_login(factories.applicant_of(application))

        html = panel(client, application)

        would_be = dmy(deadlines.correction_deadline())
        assert (
            shown(
                "Correct the application and submit it again by %(date)s.",
                date=would_be,
            )
            not in html
        )
        assert (
            shown(
                "The certifying unit should issue its decision by %(date)s.",
                date=dmy(application.decision_deadline),
            )
            in html
        )
        assert shown(case_status.NOTHING_TO_DO) in html

    def test_a_missed_correction_deadline_is_said_in_words(
        self, client, club, monkeypatch
    ):
        application = factories.CorrectionApplicationFactory(club=club)
        late = application.correction_deadline + datetime.timedelta(days=1)
        monkeypatch.setattr(deadlines, "today", lambda: late)
        client.force_login(factories.applicant_of(application))

        html = panel(client, application)

        assert shown(selectors.STATUS_LABELS[selectors.OVERDUE]) in html

    def test_appeal_deadline_in_the_applicants_words(self, client, club):
        application = factories.RefusedApplicationFactory(club=club)
        application.refresh_from_db()
        date = dmy(application.appeal_deadline)
        client.force_login(factories.applicant_of(application))

        html = panel(client, application)

        assert (
            shown(
                "You may lodge an appeal until %(date)s; after that the refusal "
                "becomes final.",
                date=date,
            )
            in html
        )
        assert shown("Deadline: %(date)s.", date=date) in html

    def test_no_appeal_deadline_once_granted(self, client, club):
        application = factories.CertifiedApplicationFactory(club=club)
        client.force_login(factories.applicant_of(application))

        html = panel(client, application)

        would_be = dmy(deadlines.appeal_deadline())
        appeal = case_status.APPLICANT_DEADLINE_TEXTS["appeal"]
        assert shown(appeal, date=would_be) not in html
        assert shown(case_status.APPLICANT_TEXTS[S.REFUSED]) not in html

    def test_forwarding_deadline_of_an_appeal(self, client, club):
        application = factories.AppealedApplicationFactory(club=club)
        appeal = selectors.open_appeal(application)
        client.force_login(factories.applicant_of(application))

        html = panel(client, application)

        assert (
            shown(
                case_status.APPLICANT_DEADLINE_TEXTS["forward"],
                date=dmy(appeal.forward_deadline),
            )
            in html
        )

    def test_certificate_validity_and_renewal_window(self, client, club):
        application = factories.CertifiedApplicationFactory(club=club)
        certificate = Certificate.objects.get(application=application)
        closes = certificate.valid_until + datetime.timedelta(
            days=permissions.RENEWAL_GRACE_DAYS
        )
        client.force_login(factories.applicant_of(application))

        html = panel(client, application)

        assert (
            shown(
                "Your certificate is valid until %(date)s.",
                date=dmy(certificate.valid_until),
            )
            in html
        )
        assert (
            shown(
                case_status.APPLICANT_DEADLINE_TEXTS["renewal"],
                date=dmy(closes),
                days=permissions.RENEWAL_GRACE_DAYS,
            )
            in html
        )
        assert (
            shown(
                "File a renewal of the certificate before it ends, so that the new "
                "one follows without a break."
            )
            in html
        )

    def test_renewal_task_comes_back_when_the_renewal_is_withdrawn(self, client, club):
        application = factories.CertifiedApplicationFactory(club=club)
        certificate = Certificate.objects.get(application=application)
        applicant = factories.applicant_of(application)
        renewal = services.renewal_create(by=applicant, certificate=certificate)
        services.withdraw_application(application=renewal, by=applicant)
        client.force_login(applicant)

        html = panel(client, application)

        assert (
            shown(
                "File a renewal of the certificate before it ends, so that the "
                "new one follows without a break."
            )
            in html
        )

    def test_no_renewal_task_once_the_renewal_is_started(self, client, club):
        application = factories.CertifiedApplicationFactory(club=club)
        certificate = Certificate.objects.get(application=application)
        applicant = factories.applicant_of(application)
        services.renewal_create(by=applicant, certificate=certificate)
        client.force_login(applicant)

        html = panel(client, application)

        assert (
            shown(
                "File a renewal of the certificate before it ends, so that the new "
                "one follows without a break."
            )
            not in html
        )
        assert shown(case_status.NOTHING_MORE) in html


class TestReceipt:
    def test_receipt_says_what_happens_next(self, client, club):
        application = factories.SubmittedApplicationFactory(club=club)
        client.force_login(factories.applicant_of(application))

        page = client.get(
            reverse("certification:receipt", args=[application.pk])
        ).content.decode()

        assert shown(case_status.APPLICANT_TEXTS[S.SUBMITTED]) in page
        assert shown(case_status.NEUTRAL_TEXTS[S.SUBMITTED]) not in page

    def test_receipt_follows_the_case_when_read_later(self, client, club):
        application = factories.CorrectionApplicationFactory(club=club)
        client.force_login(factories.applicant_of(application))

        page = client.get(
            reverse("certification:receipt", args=[application.pk])
        ).content.decode()

        assert shown(case_status.APPLICANT_TEXTS[S.CORRECTION]) in page
        assert shown(case_status.APPLICANT_TEXTS[S.SUBMITTED]) not in page
        assert (
            shown("Deadline: %(date)s.", date=dmy(application.correction_deadline))
            in page
        )


class TestOthersSeeNothing:
    def test_another_institutions_applicant_gets_404(self, client, club, mazowieckie):
        application = factories.CorrectionApplicationFactory(club=club)
        client.force_login(factories.ApplicantFactory(unit__voivodeship=mazowieckie))

        assert client.get(application.get_absolute_url()).status_code == 404
        receipt = reverse("certification:receipt", args=[application.pk])
        assert client.get(receipt).status_code == 404

    def test_officer_of_another_voivodeship_gets_404(self, client, club, lubuskie):
        application = factories.SubmittedApplicationFactory(club=club)
        client.force_login(factories.OfficerFactory(unit__voivodeship=lubuskie))

        assert client.get(application.get_absolute_url()).status_code == 404

    def test_own_institution_sees_the_panel(self, client, club):
        application = factories.SubmittedApplicationFactory(club=club)
        client.force_login(factories.applicant_of(application))

        assert 'aria-current="step"' in panel(client, application)
