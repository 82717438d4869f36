"""The demo seed: reference data, demo people and clubs at every step."""

import io

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import call_command

from certification import reference_data
from certification.management.commands import seed_demo
from certification.models import (
    Application,
    Certificate,
    Club,
    CriteriaVersion,
    Criterion,
    Unit,
    User,
    Voivodeship,
)
from certification.states import ApplicationState as S
from certification.states import Level, Role, UnitKind

pytestmark = pytest.mark.django_db


def run_seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def every_row() -> dict[str, list[dict]]:
    """The contents of every table, to compare before and after."""
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in apps.get_models()
    }


@pytest.fixture
def seeded():
    return run_seed()


class TestReferenceData:
    def test_loads_16_voivodeships_each_with_its_two_units(self, units):
        assert Voivodeship.objects.count() == 16
        for voivodeship in Voivodeship.objects.all():
            kinds = sorted(voivodeship.units.values_list("kind", flat=True))
            assert kinds == [UnitKind.AUDIT, UnitKind.CERTIFYING]

    def test_certifying_unit_is_the_department_of_the_voivodes_office(self, units):
        unit = Unit.objects.get(kind=UnitKind.CERTIFYING, voivodeship__slug="slaskie")

        assert unit.name == "Wydział Rodziny i Polityki Społecznej"
        assert unit.parent_name == "Śląski Urząd Wojewódzki w Katowicach"
        assert unit.city == "Katowice"
        assert unit.case_prefix == "WRiPS-KIS-24"

    def test_audit_units_keep_their_regional_names(self, units):
        audit_units = Unit.objects.filter(kind=UnitKind.AUDIT)

        assert audit_units.get(voivodeship__slug="lodzkie").name == (
            "Regionalne Centrum Polityki Społecznej w Łodzi"
        )
        assert audit_units.get(voivodeship__slug="mazowieckie").name == (
            "Mazowieckie Centrum Polityki Społecznej"
        )

    def test_case_prefixes_differ_between_units(self, units):
        prefixes = Unit.objects.filter(kind=UnitKind.CERTIFYING).values_list(
            "case_prefix", flat=True
        )

        assert len(set(prefixes)) == 16

    def test_one_appeal_unit_of_the_ministry(self, units):
        unit = Unit.objects.get(kind=UnitKind.APPEAL)

        assert unit.name == "Departament Pomocy i Integracji Społecznej"
        assert unit.parent_name == "Ministerstwo Rodziny, Pracy i Polityki Społecznej"

    def test_loading_again_keeps_what_the_administrator_renamed(self, units):
        unit = Unit.objects.get(kind=UnitKind.AUDIT, voivodeship__slug="lubuskie")
        unit.name = "Regionalny Ośrodek Polityki Społecznej (nowa nazwa)"
        unit.save()

        reference_data.load_units()

        unit.refresh_from_db()
        assert unit.name == "Regionalny Ośrodek Polityki Społecznej (nowa nazwa)"
        assert Unit.objects.count() == 33

    def test_criteria_follow_formularz_3(self, criteria):
        codes_by_group = {}
        for criterion in criteria.criteria.order_by("position"):
            codes_by_group.setdefault(criterion.group, []).append(criterion.code)

        assert list(codes_by_group) == [
            "premises",
            "staff",
            "organisation",
            "cooperation",
            "individual",
            "group",
        ]
        assert [len(codes) for codes in codes_by_group.values()] == [3, 4, 3, 2, 3, 6]

    def test_only_accessibility_may_not_apply(self, criteria):
        assert list(
            criteria.criteria.filter(applies_only_where_needed=True).values_list(
                "code", flat=True
            )
        ) == ["premises-accessibility"]

    def test_most_criteria_require_the_full_level(self, criteria):
        partial = set(
            criteria.criteria.filter(required_level=Level.PARTIAL).values_list(
                "code", flat=True
            )
        )

        assert partial == {
            "premises-accessibility",
            "staff-reintegration-specialists",
            "staff-administration",
        }
        assert criteria.criteria.filter(required_level=Level.FULL).count() == 18

    def test_every_criterion_has_a_name_and_guidance(self, criteria):
        for criterion in criteria.criteria.all():
            assert criterion.name
            assert criterion.guidance.endswith(".")

    def test_loading_criteria_again_adds_nothing(self, criteria):
        reference_data.load_criteria()

        assert CriteriaVersion.objects.count() == 1
        assert Criterion.objects.count() == 21


class TestSeedDemo:
    def test_second_run_creates_nothing_and_changes_nothing(self, seeded):
        before = every_row()

        run_seed()

        after = every_row()
        assert {label: len(rows) for label, rows in after.items()} == {
            label: len(rows) for label, rows in before.items()
        }
        assert after == before

    def test_every_voivodeship_with_a_club_has_a_certified_one(self, seeded):
        with_clubs = set(Club.objects.values_list("voivodeship__slug", flat=True))
        assert {"mazowieckie", "warminsko-mazurskie", "lubuskie", "malopolskie"} <= (
            with_clubs
        )

        for slug in with_clubs:
            register = Certificate.objects.filter(club__voivodeship__slug=slug)
            assert register.exists(), slug

    def test_every_voivodeship_has_a_demo_officer_and_auditor(self, seeded):
        for voivodeship in Voivodeship.objects.all():
            for kind in (UnitKind.CERTIFYING, UnitKind.AUDIT):
                unit = voivodeship.units.get(kind=kind)
                assert unit.members.exists(), (voivodeship.slug, kind)

    def test_clubs_carry_the_names_of_the_oldest_clubs(self, seeded):
        names = set(Club.objects.values_list("name", flat=True))

        assert {
            "KIS Bydgoszcz",
            "KIS Kostrzyn n. Odrą",
            "KIS Słubice",
            "KIS Lubanów",
            "KIS Pabianice",
            "KIS Kęty",
            "KIS Kraków",
            "KIS Nisko",
            "KIS Wejherowo",
            "KIS Pszczyna",
            "KIS Działdowo",
            "KIS Elbląg",
            "KIS Janowo",
            "KIS Jeziorany",
            "KIS Korsze",
            "KIS Nidzica",
            "KIS Olecko",
            "KIS Piecki",
            "KIS Szczytno",
            "KIS Janów Lubelski",
        } <= names
        humanus = Club.objects.get(name="KIS Janów Lubelski").founding_unit
        assert "HUMANUS" in humanus.name

    def test_cases_stand_at_every_step_of_the_process(self, seeded):
        states = set(Application.objects.values_list("state", flat=True))

        assert {
            S.DRAFT,
            S.SUBMITTED,
            S.CORRECTION,
            S.MERIT_REVIEW,
            S.AUDIT,
            S.AUDIT_IN_PROGRESS,
            S.DECISION,
            S.REFUSED,
            S.APPEALED,
            S.APPEAL_REVIEW,
            S.CERTIFIED,
        } <= states

    def test_each_history_is_an_unbroken_chain_of_steps_by_demo_people(self, seeded):
        for application in Application.objects.all():
            steps = list(application.transitions.select_related("actor__unit"))
            if application.state == S.DRAFT:
                assert steps == []
                continue
            assert steps[0].from_state == S.DRAFT
            for previous, step in zip(steps, steps[1:], strict=False):
                assert step.from_state == previous.to_state
            assert steps[-1].to_state == application.state
            for step in steps:
                assert step.actor.unit.full_name == step.actor_unit_name

    def test_steps_are_taken_by_the_units_of_the_case(self, seeded):
        application = Application.objects.get(club__name="KIS Kraków")
        roles = [
            (step.event, step.actor.role) for step in application.transitions.all()
        ]

        assert roles == [
            ("application.submitted", Role.APPLICANT),
            ("application.accepted_formally", Role.OFFICER),
            ("standard_card.completed", Role.OFFICER),
            ("audit.commissioned", Role.OFFICER),
            ("audit.started", Role.AUDITOR),
            ("audit_card.saved", Role.AUDITOR),
            ("audit.report_delivered", Role.AUDITOR),
            ("decision.granted", Role.OFFICER),
        ]
        assert application.certifying_unit.voivodeship.slug == "malopolskie"
        assert application.audit_unit.voivodeship.slug == "malopolskie"

    def test_demo_people_log_in_and_act_for_their_roles(self, seeded):
        expected = {
            "wnioskodawca-mazowieckie": Role.APPLICANT,
            "wnioskodawca-warminsko-mazurskie": Role.APPLICANT,
            "urzednik-lubuskie": Role.OFFICER,
            "urzednik-malopolskie": Role.OFFICER,
            "audytor-warminsko-mazurskie": Role.AUDITOR,
            "odwolania": Role.APPEAL_OFFICER,
        }
        for username, role in expected.items():
            user = authenticate(username=username, password=seed_demo.PASSWORD)
            assert user is not None, username
            assert user.role == role
            assert user.email.endswith("@example.org")
            assert username in seeded
        assert seed_demo.PASSWORD in seeded

        applicant = User.objects.get(username="wnioskodawca-warminsko-mazurskie")
        assert applicant.unit.voivodeship.slug == "warminsko-mazurskie"
        admin = authenticate(username="admin", password=seed_demo.PASSWORD)
        assert admin.is_superuser

    def test_keeps_an_admin_that_already_exists(self):
        User.objects.create_superuser("admin", "admin@example.org", "own-password")

        run_seed()

        assert authenticate(username="admin", password="own-password") is not None
