"""Formularz 4, the procedural guidelines: generated from the state machine
and the deadline settings, so that the text follows them."""

import io
import re
import shutil

import pypdf
import pytest
from django.utils import translation

from certification import actions, document_guidelines
from certification.document_guidelines import STEP_RULES, machine_transitions
from certification.states import ApplicationState, Role, UnitKind
from tests.factories import application_in, person_of


def pdf_text(pdf: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    # Layout breaks long lines; compare words, not line breaks.
    return re.sub(r"\s+", " ", text)


def pdf_font_families(pdf: bytes) -> set[str]:
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]).split("+", 1)[1])
    return names


def polish(message) -> str:
    with translation.override("pl"):
        return str(message)


@pytest.fixture(scope="module")
def guidelines() -> bytes:
    return document_guidelines.guidelines_pdf()


@pytest.fixture(scope="module")
def text(guidelines) -> str:
    return pdf_text(guidelines)


class TestFollowsTheStateMachine:
    def test_every_transition_has_a_rule(self):
        names = {transition.name for transition in machine_transitions()}

        assert names == set(STEP_RULES)

    def test_names_every_transition(self, text):
        for transition in machine_transitions():
            assert transition.name in text

    def test_names_every_state_by_its_label_and_value(self, text):
        for state in ApplicationState:
            assert polish(state.label) in text
            assert state.value in text

    def test_labels_each_step_as_its_action_on_the_case_page(self, text):
        for transition in machine_transitions():
            action = document_guidelines.action_for(transition)

            assert action is not None, transition.name
            assert polish(action.label) in text

    def test_upholding_an_appeal_both_ways_is_the_uphold_action(self):
        upholds = [t for t in machine_transitions() if t.name.startswith("uphold")]

        assert {t.name for t in upholds} == {
            "uphold_to_decision",
            "uphold_to_merit_review",
        }
        for transition in upholds:
            assert (
                document_guidelines.action_for(transition) is actions.BY_NAME["uphold"]
            )

    def test_a_transition_without_a_rule_is_refused(self, monkeypatch):
        rules = dict(STEP_RULES)
        del rules["forward"]
        monkeypatch.setattr(document_guidelines, "STEP_RULES", rules)

        with pytest.raises(KeyError, match="forward"):
            document_guidelines.steps()

    def test_steps_keep_every_source_state(self):
        sources = {}
        for transition in machine_transitions():
            sources.setdefault(transition.name, set()).add(transition.source)

        for step in document_guidelines.steps():
            assert set(step.sources) == sources[step.name]

    def test_steps_are_numbered_in_the_order_of_the_process(self):
        numbers = {step.name: step.number for step in document_guidelines.steps()}

        assert numbers["submit"] == 1
        assert numbers["accept_formally"] < numbers["commission_audit"]
        assert numbers["commission_audit"] < numbers["start_audit"]
        assert numbers["start_audit"] < numbers["deliver_report"]
        assert numbers["deliver_report"] < numbers["grant"]
        assert numbers["refuse"] < numbers["appeal"] < numbers["forward"]
        assert sorted(numbers.values()) == list(range(1, len(numbers) + 1))


class TestGroupsStepsByUnit:
    def test_sections_in_the_order_of_the_units(self):
        with translation.override("pl"):
            context = document_guidelines.guidelines_context()

        assert [section["kind"] for section in context["sections"]] == [
            UnitKind.CERTIFYING,
            UnitKind.AUDIT,
            UnitKind.APPEAL,
            UnitKind.APPLICANT,
        ]

    def test_each_step_is_in_the_section_of_the_unit_that_takes_it(self):
        with translation.override("pl"):
            context = document_guidelines.guidelines_context()

        placed = {
            step.name: section["kind"]
            for section in context["sections"]
            for step in section["steps"]
        }
        assert len(placed) == len(context["steps"])
        assert placed["start_audit"] == UnitKind.AUDIT
        assert placed["dismiss"] == UnitKind.APPEAL
        assert placed["withdraw"] == UnitKind.APPLICANT
        assert placed["grant"] == UnitKind.CERTIFYING

    def test_unit_headings_in_the_text(self, text):
        for kind in UnitKind:
            assert polish(kind.label) in text


@pytest.mark.django_db
class TestRolesFollowThePermissionFunctions:
    """The one hand-written mapping, transition to unit, agrees with who the
    permission function of the step lets act."""

    @pytest.mark.parametrize(
        "transition",
        # One case per step, in its first source state.
        list({t.name: t for t in reversed(machine_transitions())}.values()),
        ids=lambda transition: transition.name,
    )
    def test_only_the_mapped_role_may_take_the_step(self, transition):
        application = application_in(transition.source)
        action = document_guidelines.action_for(transition)

        verdicts = {
            role: action.permission(person_of(application, role), application)
            for role in Role
        }

        mapped = STEP_RULES[transition.name].role
        assert verdicts[mapped] or verdicts[mapped].pending, verdicts[mapped].reason
        for role, verdict in verdicts.items():
            if role != mapped:
                assert not verdict and not verdict.pending, role


class TestFollowsTheDeadlineSettings:
    def test_prints_the_default_terms(self, text):
        for row in polish_terms():
            assert row["length"] in text

    def test_correction_term_from_settings(self, settings):
        settings.SCKIS_DEADLINES = {**settings.SCKIS_DEADLINES, "correction_days": 10}

        text = pdf_text(document_guidelines.guidelines_pdf())

        rule = STEP_RULES["request_correction"]
        assert polish(rule.note % {"count": 10}) in text
        assert polish(rule.note % {"count": 7}) not in text
        with translation.override("pl"):
            ten_days = translation.ngettext("%(count)d day", "%(count)d days", 10) % {
                "count": 10
            }
        assert ten_days in text

    def test_every_term_from_settings(self, settings):
        settings.SCKIS_DEADLINES = {
            "correction_days": 11,
            "appeal_days": 21,
            "appeal_forward_days": 5,
            "decision_months": 2,
        }
        settings.SCKIS_CERTIFICATE_YEARS = 4

        text = pdf_text(document_guidelines.guidelines_pdf())

        for name, count in (
            ("request_correction", 11),
            ("appeal", 21),
            ("forward", 5),
            ("dismiss", 2),
            ("grant", 4),
        ):
            assert polish(STEP_RULES[name].note % {"count": count}) in text
        for row in polish_terms():
            assert row["length"] in text

    def test_states_the_working_day_rule(self, text):
        with translation.override("pl"):
            rule = translation.gettext(WORKING_DAY_RULE)

        assert rule in text
        assert "57" in rule


WORKING_DAY_RULE = (
    "How terms are counted (KPA art. 57): the day of the event that starts a "
    "term (a delivery, a receipt) is not counted; a term in months ends on the "
    "same day number of the last month, or on that month's last day; a term "
    "that would end on a Saturday, a Sunday or a public holiday ends on the "
    "next working day. The system computes every deadline this way and shows "
    "it on the case."
)


def polish_terms() -> list[dict[str, str]]:
    with translation.override("pl"):
        return document_guidelines.term_rows()


class TestDiagram:
    def test_dot_is_installed(self):
        # The diagram is part of the form: CI installs Graphviz (Makefile,
        # APT_RUN), and a missing dot must fail here, not be skipped.
        assert shutil.which("dot"), "install the Debian package graphviz"

    def test_missing_dot_is_a_clear_error(self, monkeypatch):
        monkeypatch.setattr(document_guidelines.shutil, "which", lambda name: None)

        with pytest.raises(document_guidelines.GraphvizMissing, match="graphviz"):
            document_guidelines.guidelines_pdf()

    def test_draws_every_state_and_every_transition(self):
        steps = document_guidelines.steps()
        with translation.override("pl"):
            svg = str(document_guidelines.diagram_svg(steps))

        for state in ApplicationState:
            assert f"<title>{state.value}</title>" in svg
        drawn = set(re.findall(r"<title>(\w+)&#45;&gt;(\w+)</title>", svg))
        for step in steps:
            if len(step.sources) >= document_guidelines.MANY_SOURCES:
                # One arrow from the frame around its sources.
                assert f"<title>cluster_{step.name}</title>" in svg
                assert (step.sources[-1].value, step.target.value) in drawn
            else:
                for source in step.sources:
                    assert (source.value, step.target.value) in drawn

    def test_is_embedded_as_vector_text_in_the_documents_font(self, guidelines):
        # The state labels of the diagram are text in the PDF, set in the
        # shipped font: no system font creeps in through the SVG.
        assert pdf_font_families(guidelines) == {"SC-KIS-Sans", "SC-KIS-Sans-Bold"}

    def test_label_text_is_escaped_for_graphviz(self):
        source = document_guidelines._dot_text('A <b>& "x"')

        assert source == "A &lt;b&gt;&amp; &quot;x&quot;"


class TestDocument:
    def test_is_polish_whatever_the_request_language(self):
        with translation.override("en"):
            text = pdf_text(document_guidelines.guidelines_pdf())

        assert polish(ApplicationState.AUDIT_IN_PROGRESS.label) in text
        assert polish(actions.BY_NAME["forward"].label) in text

    def test_is_a4_portrait(self, guidelines):
        reader = pypdf.PdfReader(io.BytesIO(guidelines))

        for page in reader.pages:
            assert (round(page.mediabox.width), round(page.mediabox.height)) == (
                595,
                842,
            )

    def test_keeps_polish_letters(self, text):
        assert polish(ApplicationState.CORRECTION.label) in text
        for letter in "ąęłóśż":
            assert letter in text
