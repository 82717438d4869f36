"""Factories for tests: units, people, clubs, and one factory per state of an
application.

Voivodeships and their units are the real ones from certification/data. An
application factory never writes the state: it takes the steps of the process
through the services, each acted by a person of the right unit, so the case
has the history a real one would have.
"""

import datetime

import factory
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory, Password

from certification import deadlines, reference_data, selectors, services
from certification.models import Application, Club, CriteriaVersion, Unit, Voivodeship
from certification.states import ApplicationState, Level, Role, UnitKind

PASSWORD = "test-password"


# Voivodeships and units.


class VoivodeshipFactory(factory.Factory):
    """A real voivodeship with its certifying unit and its audit unit; asking
    for one that exists returns it.
    """

    class Meta:
        model = Voivodeship

    slug = factory.Sequence(
        lambda n: reference_data.unit_rows()[n % len(reference_data.unit_rows())][
            "slug"
        ]
    )

    @classmethod
    def _create(cls, model_class, slug: str) -> Voivodeship:
        return reference_data.load_voivodeship(reference_data.unit_row(slug))


class CertifyingUnitFactory(factory.Factory):
    """The voivodeship's social policy department of the voivode's office."""

    class Meta:
        model = Unit

    voivodeship = factory.SubFactory(VoivodeshipFactory)

    @classmethod
    def _create(cls, model_class, voivodeship: Voivodeship) -> Unit:
        return selectors.certifying_unit_of(voivodeship.pk)


class AuditUnitFactory(factory.Factory):
    """The voivodeship's ROPS (or its equivalent)."""

    class Meta:
        model = Unit

    voivodeship = factory.SubFactory(VoivodeshipFactory)

    @classmethod
    def _create(cls, model_class, voivodeship: Voivodeship) -> Unit:
        return selectors.audit_unit_of(voivodeship.pk)


class AppealUnitFactory(factory.Factory):
    """The ministry's appeal department, one nationwide."""

    class Meta:
        model = Unit

    @classmethod
    def _create(cls, model_class) -> Unit:
        return reference_data.load_appeal_unit()


class ApplicantUnitFactory(DjangoModelFactory):
    """An institution that founds clubs: here a municipal social welfare centre."""

    class Meta:
        model = Unit

    kind = UnitKind.APPLICANT
    voivodeship = factory.SubFactory(VoivodeshipFactory)
    name = factory.Sequence(
        lambda n: f"Ośrodek Pomocy Społecznej w Gminie Testowej {n}"
    )
    street = "ul. Główna 1"
    postal_code = "00-950"
    city = "Testowo"
    email = factory.Sequence(lambda n: f"ops{n}@example.org")


# People.


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name", locale="pl_PL")
    last_name = factory.Faker("last_name", locale="pl_PL")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = Password(PASSWORD)


class ApplicantFactory(UserFactory):
    username = factory.Sequence(lambda n: f"applicant{n}")
    unit = factory.SubFactory(ApplicantUnitFactory)


class OfficerFactory(UserFactory):
    username = factory.Sequence(lambda n: f"officer{n}")
    unit = factory.SubFactory(CertifyingUnitFactory)


class AuditorFactory(UserFactory):
    username = factory.Sequence(lambda n: f"auditor{n}")
    unit = factory.SubFactory(AuditUnitFactory)


class AppealOfficerFactory(UserFactory):
    username = factory.Sequence(lambda n: f"appeal{n}")
    unit = factory.SubFactory(AppealUnitFactory)


def member_of(unit: Unit):
    """A person of the unit: its first member, or a new one of the unit's role."""
    member = unit.members.filter(is_active=True).order_by("pk").first()
    if member is not None:
        return member
    factory_of_kind = {
        UnitKind.APPLICANT: ApplicantFactory,
        UnitKind.CERTIFYING: OfficerFactory,
        UnitKind.AUDIT: AuditorFactory,
        UnitKind.APPEAL: AppealOfficerFactory,
    }
    return factory_of_kind[unit.kind](unit=unit)


def applicant_of(application: Application):
    return member_of(application.applicant_unit)


def officer_of(application: Application):
    return member_of(application.certifying_unit)


def auditor_of(application: Application):
    audit_unit = application.audit_unit or selectors.audit_unit_of(
        application.club.voivodeship_id
    )
    return member_of(audit_unit)


def appeal_officer():
    return member_of(reference_data.load_appeal_unit())


def person_of(application: Application, role: Role):
    """The person of `role` whose unit takes part in this very case."""
    if role == Role.APPEAL_OFFICER:
        return appeal_officer()
    return {
        Role.APPLICANT: applicant_of,
        Role.OFFICER: officer_of,
        Role.AUDITOR: auditor_of,
    }[role](application)


# Clubs and criteria.


class ClubFactory(DjangoModelFactory):
    class Meta:
        model = Club

    founding_unit = factory.SubFactory(ApplicantUnitFactory)
    voivodeship = factory.LazyAttribute(lambda club: club.founding_unit.voivodeship)
    name = factory.Sequence(lambda n: f"KIS Testowo {n}")
    street = "ul. Klubowa 2"
    postal_code = "00-950"
    city = "Testowo"
    gmina = "Testowo"
    email = factory.Sequence(lambda n: f"kis{n}@example.org")
    leader_name = factory.Faker("name", locale="pl_PL")
    leader_contact = "600 100 200"
    register_entry_date = datetime.date(2010, 5, 4)
    register_entry_number = factory.Sequence(lambda n: f"KIS/{n}/2010")


class CriteriaVersionFactory(factory.Factory):
    """Version 1 of the criteria, loaded from certification/data/criteria.csv."""

    class Meta:
        model = CriteriaVersion

    @classmethod
    def _create(cls, model_class) -> CriteriaVersion:
        return reference_data.load_criteria()


# Applications, one factory per state. Each reaches its state by the steps of
# the one before it plus one more, all through the services.

EXPERTS = [
    {"name": "Jadwiga Sadowska", "contact": "js@example.org"},
    {"name": "Leszek Makowski", "contact": "lm@example.org"},
    {"name": "Ilona Przybylska", "contact": "ip@example.org"},
]


def audit_team() -> list[dict]:
    return [{**expert, "no_conflict_declared": True} for expert in EXPERTS]


def complete_standard_card(application: Application, *, by=None):
    """The officer confirms the computed results and completes the card."""
    card = selectors.current_standard_card(application)
    return services.standard_card_save(
        card=card,
        by=by or officer_of(application),
        revision=card.revision,
        results={row.pk: {"result": row.computed_result} for row in card.rows.all()},
        final_opinion="Klub spełnia minimalny standard KIS.",
        complete=True,
    )


def complete_audit_card(application: Application, *, by=None, positive=True):
    """The auditors confirm every criterion and write their conclusion."""
    audit = selectors.current_audit(application)
    return services.audit_card_save(
        audit=audit,
        by=by or auditor_of(application),
        revision=audit.revision,
        findings={
            finding.pk: {"confirmed": positive, "annotation": "Sprawdzono na miejscu."}
            for finding in audit.findings.all()
        },
        register_entry_confirmation="Potwierdza się wpis do rejestru wojewody.",
        conclusion="Klub spełnia standard." if positive else "Klub nie spełnia.",
        conclusion_positive=positive,
    )


class DraftApplicationFactory(factory.Factory):
    """An application filled in completely, every criterion declared at
    `level`, not yet submitted.
    """

    class Meta:
        model = Application

    club = factory.SubFactory(ClubFactory)
    level = Level.FULL

    @classmethod
    def _create(cls, model_class, **kwargs) -> Application:
        application = cls.reach(**kwargs)
        # A fresh copy, as a view would read it.
        return Application.objects.get(pk=application.pk)

    @classmethod
    def reach(cls, *, club: Club, level: int) -> Application:
        reference_data.load_criteria()
        applicant = member_of(club.founding_unit)
        application = services.application_create(by=applicant, club=club)
        services.application_update(
            application=application,
            by=applicant,
            authorised_person=applicant.get_full_name(),
            authorised_person_contact=applicant.email,
            declarations={
                declaration.criterion_id: {
                    "level": level,
                    "description": "Opis tego, co klub ma.",
                }
                for declaration in application.declarations.all()
            },
        )
        return application


class SubmittedApplicationFactory(DraftApplicationFactory):
    @classmethod
    def reach(cls, **kwargs) -> Application:
        application = super().reach(**kwargs)
        return services.submit_application(
            application=application, by=applicant_of(application)
        )


class CorrectionApplicationFactory(SubmittedApplicationFactory):
    @classmethod
    def reach(cls, **kwargs) -> Application:
        application = super().reach(**kwargs)
        return services.request_correction(
            application=application,
            by=officer_of(application),
            faults="Brak podpisu osoby upoważnionej.",
        )


class MeritReviewApplicationFactory(SubmittedApplicationFactory):
    @classmethod
    def reach(cls, **kwargs) -> Application:
        application = super().reach(**kwargs)
        return services.accept_formally(
            application=application, by=officer_of(application)
        )


class AuditApplicationFactory(MeritReviewApplicationFactory):
    @classmethod
    def reach(cls, **kwargs) -> Application:
        application = super().reach(**kwargs)
        complete_standard_card(application)
        return services.commission_audit(
            application=application, by=officer_of(application)
        )


class AuditInProgressApplicationFactory(AuditApplicationFactory):
    @classmethod
    def reach(cls, **kwargs) -> Application:
        application = super().reach(**kwargs)
        return services.start_audit(
            application=application,
            by=auditor_of(application),
            experts=audit_team(),
            planned_on=deadlines.today(),
        )


class DecisionApplicationFactory(AuditInProgressApplicationFactory):
    @classmethod
    def reach(cls, **kwargs) -> Application:
        application = super().reach(**kwargs)
        complete_audit_card(application)
        return services.deliver_report(
            application=application, by=auditor_of(application)
        )


class CertifiedApplicationFactory(DecisionApplicationFactory):
    @classmethod
    def reach(cls, **kwargs) -> Application:
        application = super().reach(**kwargs)
        certificate = services.grant_certificate(
            application=application, by=officer_of(application)
        )
        return certificate.application


class RefusedApplicationFactory(DecisionApplicationFactory):
    @classmethod
    def reach(cls, **kwargs) -> Application:
        application = super().reach(**kwargs)
        services.refuse_certificate(
            application=application,
            by=officer_of(application),
            reasons="Klub nie spełnia standardu.",
        )
        return application


class AppealedApplicationFactory(RefusedApplicationFactory):
    @classmethod
    def reach(cls, **kwargs) -> Application:
        application = super().reach(**kwargs)
        services.lodge_appeal(
            application=application,
            by=applicant_of(application),
            grounds="Klub spełnia standard od miesiąca.",
        )
        return application


class AppealReviewApplicationFactory(AppealedApplicationFactory):
    @classmethod
    def reach(cls, **kwargs) -> Application:
        application = super().reach(**kwargs)
        services.forward_appeal(application=application, by=officer_of(application))
        return application


class ClosedApplicationFactory(AppealReviewApplicationFactory):
    """Closed by the dismissal of the appeal: the one way to close a case
    without waiting for a deadline.
    """

    @classmethod
    def reach(cls, **kwargs) -> Application:
        application = super().reach(**kwargs)
        services.dismiss_appeal(
            application=application,
            by=appeal_officer(),
            reasons="Odwołanie nie zasługuje na uwzględnienie.",
        )
        return application


class WithdrawnApplicationFactory(SubmittedApplicationFactory):
    @classmethod
    def reach(cls, **kwargs) -> Application:
        application = super().reach(**kwargs)
        return services.withdraw_application(
            application=application, by=applicant_of(application)
        )


S = ApplicationState

FACTORY_OF_STATE = {
    S.DRAFT: DraftApplicationFactory,
    S.SUBMITTED: SubmittedApplicationFactory,
    S.CORRECTION: CorrectionApplicationFactory,
    S.MERIT_REVIEW: MeritReviewApplicationFactory,
    S.AUDIT: AuditApplicationFactory,
    S.AUDIT_IN_PROGRESS: AuditInProgressApplicationFactory,
    S.DECISION: DecisionApplicationFactory,
    S.CERTIFIED: CertifiedApplicationFactory,
    S.REFUSED: RefusedApplicationFactory,
    S.APPEALED: AppealedApplicationFactory,
    S.APPEAL_REVIEW: AppealReviewApplicationFactory,
    S.CLOSED: ClosedApplicationFactory,
    S.WITHDRAWN: WithdrawnApplicationFactory,
}


def application_in(state: str, **kwargs) -> Application:
    """An application brought to `state` through the services."""
    return FACTORY_OF_STATE[state](**kwargs)
