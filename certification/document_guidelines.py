"""Formularz 4: the procedural guidelines for the certifying, audit and appeal
units, and for the applicant.

Generated from the state machine of `Application` and from the deadline
settings themselves, so that the guidelines never drift from what the system
does: every transition of the machine is a step of the text and an arrow of
the state diagram, and every term is read from settings. The one thing the
machine cannot say, which unit takes a step and which term governs it, is
written once, in `STEP_RULES`.
"""

import html
import logging
import re
import shutil
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.utils import translation
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy
from django_fsm import Transition as FSMTransition

from certification import actions, documents
from certification.models import Application
from certification.states import (
    FINAL,
    ROLE_OF_UNIT_KIND,
    WITH_APPEAL_UNIT,
    WITH_APPLICANT,
    WITH_AUDIT_UNIT,
    WITH_CERTIFYING_UNIT,
    ApplicationState,
    Role,
    UnitKind,
)

logger = logging.getLogger(__name__)

# The settings.SCKIS_DEADLINES keys, plus the certificate's validity.
CORRECTION = "correction_days"
APPEAL = "appeal_days"
FORWARD = "appeal_forward_days"
DECISION = "decision_months"
VALIDITY = "certificate_years"


class GraphvizMissing(documents.DocumentResourceMissing):
    """The `dot` program that draws the state diagram is not installed."""


@dataclass(frozen=True)
class StepRule:
    """Who takes a step and which term governs it, with the sentence that
    says so (a plural message counting the term in %(count)d)."""

    role: Role
    term: str = ""
    note: Promise | None = None


# Who takes each transition of Application.state, and the term that applies.
# Roles follow the permission functions in certification/permissions.py
# (tests check them against each other); terms are KPA's.
STEP_RULES: dict[str, StepRule] = {
    "submit": StepRule(
        Role.APPLICANT,
        DECISION,
        ngettext_lazy(
            "The certifying unit settles the case within %(count)d month of "
            "the submission (KPA art. 35 §3); the time the applicant takes to "
            "correct the application is not counted (KPA art. 35 §5). The "
            "applicant gets a receipt of submission; no trial certificate is "
            "issued (recommendation Nr 4).",
            "The certifying unit settles the case within %(count)d months of "
            "the submission (KPA art. 35 §3); the time the applicant takes to "
            "correct the application is not counted (KPA art. 35 §5). The "
            "applicant gets a receipt of submission; no trial certificate is "
            "issued (recommendation Nr 4).",
            "count",
        ),
    ),
    "request_correction": StepRule(
        Role.OFFICER,
        CORRECTION,
        ngettext_lazy(
            "The request lists the faults and gives the applicant %(count)d "
            "day to correct them, warning that an application not corrected "
            "is left unprocessed (KPA art. 64 §2).",
            "The request lists the faults and gives the applicant %(count)d "
            "days to correct them, warning that an application not corrected "
            "is left unprocessed (KPA art. 64 §2).",
            "count",
        ),
    ),
    "resubmit": StepRule(
        Role.APPLICANT,
        CORRECTION,
        ngettext_lazy(
            "Within %(count)d day of the request for correction.",
            "Within %(count)d days of the request for correction.",
            "count",
        ),
    ),
    "leave_unprocessed": StepRule(
        Role.OFFICER,
        CORRECTION,
        ngettext_lazy(
            "Only after the term of %(count)d day for the correction has "
            "ended without one (KPA art. 64 §2).",
            "Only after the term of %(count)d days for the correction has "
            "ended without one (KPA art. 64 §2).",
            "count",
        ),
    ),
    "accept_formally": StepRule(Role.OFFICER),
    "commission_audit": StepRule(Role.OFFICER),
    "start_audit": StepRule(Role.AUDITOR),
    "deliver_report": StepRule(Role.AUDITOR),
    "grant": StepRule(
        Role.OFFICER,
        VALIDITY,
        ngettext_lazy(
            "The certificate is valid for %(count)d year from the day of "
            "issue; the club is entered in the voivodeship register.",
            "The certificate is valid for %(count)d years from the day of "
            "issue; the club is entered in the voivodeship register.",
            "count",
        ),
    ),
    "refuse": StepRule(
        Role.OFFICER,
        APPEAL,
        ngettext_lazy(
            "The refusal states its reasons and instructs the applicant that "
            "it may appeal within %(count)d day of its delivery (KPA art. 107 "
            "§1 and art. 129 §2).",
            "The refusal states its reasons and instructs the applicant that "
            "it may appeal within %(count)d days of its delivery (KPA art. 107 "
            "§1 and art. 129 §2).",
            "count",
        ),
    ),
    "appeal": StepRule(
        Role.APPLICANT,
        APPEAL,
        ngettext_lazy(
            "Within %(count)d day of the delivery of the refusal, through the "
            "certifying unit that issued it (KPA art. 129 §1 and §2).",
            "Within %(count)d days of the delivery of the refusal, through the "
            "certifying unit that issued it (KPA art. 129 §1 and §2).",
            "count",
        ),
    ),
    "finalise": StepRule(
        Role.OFFICER,
        APPEAL,
        ngettext_lazy(
            "Only after the term of %(count)d day for an appeal has ended "
            "without one: the refusal becomes final.",
            "Only after the term of %(count)d days for an appeal has ended "
            "without one: the refusal becomes final.",
            "count",
        ),
    ),
    "reconsider": StepRule(
        Role.OFFICER,
        FORWARD,
        ngettext_lazy(
            "Within %(count)d day of receiving the appeal, if the certifying "
            "unit finds it justified in full (KPA art. 132).",
            "Within %(count)d days of receiving the appeal, if the certifying "
            "unit finds it justified in full (KPA art. 132).",
            "count",
        ),
    ),
    "forward": StepRule(
        Role.OFFICER,
        FORWARD,
        ngettext_lazy(
            "Within %(count)d day of receiving the appeal, with the case files "
            "(KPA art. 133).",
            "Within %(count)d days of receiving the appeal, with the case files "
            "(KPA art. 133).",
            "count",
        ),
    ),
    "dismiss": StepRule(
        Role.APPEAL_OFFICER,
        DECISION,
        ngettext_lazy(
            "The appeal unit decides within %(count)d month of receiving the "
            "appeal (KPA art. 35 §3).",
            "The appeal unit decides within %(count)d months of receiving the "
            "appeal (KPA art. 35 §3).",
            "count",
        ),
    ),
    "uphold_to_decision": StepRule(
        Role.APPEAL_OFFICER,
        DECISION,
        ngettext_lazy(
            "The appeal unit decides within %(count)d month of receiving the "
            "appeal (KPA art. 35 §3); the certifying unit then decides again "
            "on the audit report.",
            "The appeal unit decides within %(count)d months of receiving the "
            "appeal (KPA art. 35 §3); the certifying unit then decides again "
            "on the audit report.",
            "count",
        ),
    ),
    "uphold_to_merit_review": StepRule(
        Role.APPEAL_OFFICER,
        DECISION,
        ngettext_lazy(
            "The appeal unit decides within %(count)d month of receiving the "
            "appeal (KPA art. 35 §3); the certifying unit then reviews the "
            "application on its merits again.",
            "The appeal unit decides within %(count)d months of receiving the "
            "appeal (KPA art. 35 §3); the certifying unit then reviews the "
            "application on its merits again.",
            "count",
        ),
    ),
    "withdraw": StepRule(Role.APPLICANT),
}

# Transitions whose action on the case page has another name. The two ways
# of upholding an appeal are one action, marked on the model.
ACTION_NAMES = {"accept_formally": "accept"}

# The order of the text: the units the form is for, then the applicant.
UNIT_ORDER = [UnitKind.CERTIFYING, UnitKind.AUDIT, UnitKind.APPEAL, UnitKind.APPLICANT]
UNIT_KIND_OF_ROLE = {role: kind for kind, role in ROLE_OF_UNIT_KIND.items()}

# Okabe–Ito colours: told apart also with colour-blindness; each role has a
# line style of its own too, for a black-and-white printout.
ROLE_STYLES = {
    Role.APPLICANT: ("#0072B2", "solid"),
    Role.OFFICER: ("#B34700", "bold"),
    Role.AUDITOR: ("#007A5A", "dashed"),
    Role.APPEAL_OFFICER: ("#8E3B73", "dotted"),
}

# A step taken from this many states or more (withdrawal) is drawn as one
# arrow from a frame around them, so that it does not hide the main path.
MANY_SOURCES = 3

DOT_TIMEOUT_SECONDS = 30
DIAGRAM_FONT = "DejaVu Sans"


@dataclass(frozen=True)
class Step:
    """One named transition of the machine, from one or more states."""

    number: int
    name: str
    sources: tuple[ApplicationState, ...]
    target: ApplicationState
    role: Role
    label: str
    explanation: str
    term: str
    note: str

    @property
    def unit_kind(self) -> UnitKind:
        return UNIT_KIND_OF_ROLE[self.role]


def machine_transitions() -> list[FSMTransition]:
    """Every (source, target) transition of Application.state, as declared."""
    field = Application._meta.get_field("state")
    return list(field.get_all_transitions(Application))


def action_for(transition: FSMTransition) -> actions.Action | None:
    """The case-page action that performs this transition, if there is one."""
    if transition.custom.get("uphold"):
        return actions.BY_NAME["uphold"]
    name = ACTION_NAMES.get(transition.name, transition.name.replace("_", "-"))
    return actions.BY_NAME.get(name)


def term_values() -> dict[str, int]:
    """The terms in force, from settings."""
    return {
        **settings.SCKIS_DEADLINES,
        VALIDITY: settings.SCKIS_CERTIFICATE_YEARS,
    }


def steps() -> list[Step]:
    """The steps of the process in its order, one per transition name.

    A transition without a rule in STEP_RULES raises KeyError naming it, so
    that a new transition cannot silently miss the guidelines.
    """
    states = list(ApplicationState)
    by_name: dict[str, list[FSMTransition]] = {}
    for transition in machine_transitions():
        by_name.setdefault(transition.name, []).append(transition)

    def position(transitions: list[FSMTransition]) -> tuple[int, int]:
        # The process order: by the furthest state a step is taken from,
        # then by where it leads.
        last_source = max(states.index(t.source) for t in transitions)
        return last_source, states.index(transitions[0].target)

    missing = sorted(set(by_name) - set(STEP_RULES))
    if missing:
        raise KeyError(
            "No guideline rule (role, term) for transitions: " + ", ".join(missing)
        )

    terms = term_values()
    result = []
    ordered = sorted(by_name.items(), key=lambda item: position(item[1]))
    for number, (name, transitions) in enumerate(ordered, start=1):
        rule = STEP_RULES[name]
        action = action_for(transitions[0])
        note = ""
        if rule.note is not None:
            note = rule.note % {"count": terms[rule.term]}
        result.append(
            Step(
                number=number,
                name=name,
                sources=tuple(
                    sorted(
                        (ApplicationState(t.source) for t in transitions),
                        key=states.index,
                    )
                ),
                target=ApplicationState(transitions[0].target),
                role=rule.role,
                label=str(action.label) if action else name,
                explanation=str(action.explanation) if action else "",
                term=rule.term,
                note=str(note),
            )
        )
    return result


def state_holders() -> dict[ApplicationState, str]:
    """Who holds the case in each state, in words, from states.py."""
    holders = {}
    for states, kind in (
        (WITH_APPLICANT, UnitKind.APPLICANT),
        (WITH_CERTIFYING_UNIT, UnitKind.CERTIFYING),
        (WITH_AUDIT_UNIT, UnitKind.AUDIT),
        (WITH_APPEAL_UNIT, UnitKind.APPEAL),
    ):
        for state in states:
            holders[ApplicationState(state)] = str(kind.label)
    for state in FINAL:
        holders[ApplicationState(state)] = str(_("nobody: the case is over"))
    return holders


def term_rows() -> list[dict[str, str]]:
    """The terms of the process with their legal basis, from settings."""
    values = term_values()
    rows = [
        (
            CORRECTION,
            ngettext_lazy("%(count)d day", "%(count)d days", "count"),
            _("Correction of formal faults"),
            _("KPA art. 64 §2"),
        ),
        (
            APPEAL,
            ngettext_lazy("%(count)d day", "%(count)d days", "count"),
            _("Appeal against a refusal, from its delivery"),
            _("KPA art. 129 §2"),
        ),
        (
            FORWARD,
            ngettext_lazy("%(count)d day", "%(count)d days", "count"),
            _(
                "Own review of an appeal, or forwarding it to the appeal "
                "unit, from its receipt"
            ),
            _("KPA art. 132 and 133"),
        ),
        (
            DECISION,
            ngettext_lazy("%(count)d month", "%(count)d months", "count"),
            _("Settling the case, and deciding an appeal"),
            _("KPA art. 35 §3 and §5"),
        ),
        (
            VALIDITY,
            ngettext_lazy("%(count)d year", "%(count)d years", "count"),
            _("Validity of a certificate, from its issue"),
            _("SC KIS recommendation, process card"),
        ),
    ]
    return [
        {
            "what": str(what),
            "length": str(length % {"count": values[key]}),
            "basis": str(basis),
        }
        for key, length, what, basis in rows
    ]


# The state diagram.


def dot_source(all_steps: Iterable[Step]) -> str:
    """The Graphviz description of the state machine: states as boxes, steps
    as arrows numbered as in the text and coloured by the unit that takes
    them.

    A step possible from many states (withdrawal) is one arrow leaving a
    dashed frame around those states, instead of an arrow from each. An
    arrow back to an earlier state (a correction, an upheld appeal) does not
    rank the states, so the drawing keeps the order of the process.
    """
    all_steps = list(all_steps)
    final = {ApplicationState(state) for state in FINAL}
    lines = [
        "digraph process {",
        f'  graph [rankdir=TB, nodesep=0.3, ranksep=0.4, fontname="{DIAGRAM_FONT}",'
        ' bgcolor="transparent", pad=0.1, compound=true];',
        f'  node [shape=box, style="rounded,filled", fontname="{DIAGRAM_FONT}",'
        ' fontsize=11, color="#1f3a5f", fillcolor="#eef2f7", margin="0.12,0.05"];',
        f'  edge [fontname="{DIAGRAM_FONT}", fontsize=10, arrowsize=0.7];',
        '  start [shape=circle, width=0.14, label="", style=filled,'
        ' fillcolor="#1f3a5f"];',
        f"  start -> {ApplicationState.DRAFT.value};",
    ]

    # Frames may not overlap: a second step from many states that shares one
    # of them gets its arrows one by one.
    framed: dict[str, tuple[ApplicationState, ...]] = {}
    in_frames: set[ApplicationState] = set()
    for step in all_steps:
        if len(step.sources) >= MANY_SOURCES and not in_frames & set(step.sources):
            framed[step.name] = step.sources
            in_frames |= set(step.sources)

    for state in ApplicationState:
        if state not in in_frames:
            lines.append(_dot_state(state, final))
    for name, sources in framed.items():
        lines.append(f"  subgraph cluster_{name} {{")
        lines.append('    graph [style="dashed,rounded", color="#7a8797", label=""];')
        lines.extend("  " + _dot_state(state, final) for state in sources)
        lines.append("  }")

    states = list(ApplicationState)
    for step in all_steps:
        colour, style = ROLE_STYLES[step.role]
        # Numbers only: the text and the table beside the diagram name them,
        # and a diagram with sentences on its arrows is too wide for a page.
        attributes = (
            f'label=<<B> {step.number} </B>>, color="{colour}",'
            f' fontcolor="{colour}", style={style}'
        )
        if style == "dotted":
            attributes += ", penwidth=1.8"
        if step.name in framed:
            # One arrow from the frame's border, below its last state.
            last = step.sources[-1]
            lines.append(
                f"  {last.value} -> {step.target.value}"
                f" [{attributes}, ltail=cluster_{step.name}];"
            )
            continue
        for source in step.sources:
            returning = states.index(step.target) < states.index(source)
            constraint = (
                ", constraint=false" if returning and step.target not in final else ""
            )
            lines.append(
                f"  {source.value} -> {step.target.value} [{attributes}{constraint}];"
            )
    lines.append("}")
    return "\n".join(lines) + "\n"


def _dot_state(state: ApplicationState, final: set[ApplicationState]) -> str:
    label = (
        f"<<B>{_dot_text(str(state.label))}</B><BR/>"
        f'<FONT POINT-SIZE="8" COLOR="#555555">{state.value}</FONT>>'
    )
    extra = ', peripheries=2, fillcolor="#ffffff"' if state in final else ""
    return f"  {state.value} [label={label}{extra}];"


def _dot_text(text: str) -> str:
    """Text for a Graphviz HTML-like label."""
    return html.escape(text, quote=True)


def _dot_quoted(text: str) -> str:
    """Text for a double-quoted Graphviz string."""
    return text.replace("\\", "\\\\").replace('"', '\\"')


def dot_program() -> str:
    """The path of Graphviz's `dot`, or a clear error when it is missing."""
    path = shutil.which("dot")
    if path is None:
        raise GraphvizMissing(
            "The state diagram of Formularz 4 needs Graphviz's 'dot' program: "
            "install the Debian package graphviz (make apt-run does)."
        )
    return path


def render_svg(source: str) -> str:
    """Graphviz's SVG drawing of a dot description."""
    completed = subprocess.run(
        [dot_program(), "-Tsvg"],
        input=source.encode(),
        capture_output=True,
        timeout=DOT_TIMEOUT_SECONDS,
        check=False,
    )
    if completed.returncode != 0:
        error = completed.stderr.decode(errors="replace").strip()
        raise RuntimeError(f"dot failed ({completed.returncode}): {error}")
    return completed.stdout.decode()


def diagram_svg(all_steps: Iterable[Step]) -> SafeString:
    """The state diagram as inline SVG, scaled by the stylesheet, in the
    documents' own font."""
    svg = render_svg(dot_source(all_steps))

    # Keep the <svg> element alone: no XML prolog, doctype or comments.
    svg = svg[svg.index("<svg") :]
    svg = re.sub(r"<!--.*?-->", "", svg, flags=re.DOTALL)
    # The stylesheet sizes the drawing; its viewBox keeps the proportions.
    svg = re.sub(r'\s(width|height)="[^"]*pt"', "", svg, count=2)
    # dot measured the text in DejaVu Sans, the face our font files hold:
    # draw it with the embedded files, not with whatever the system has.
    svg = re.sub(r'font-family="[^"]*"', 'font-family="SC KIS Sans"', svg)
    # dot's output is built only from our own labels, escaped above.
    return mark_safe(svg)


def guidelines_context() -> dict:
    """What the Formularz 4 template shows, all computed now."""
    all_steps = steps()
    sections = []
    for kind in UNIT_ORDER:
        sections.append(
            {
                "unit": str(kind.label),
                "kind": kind.value,
                "steps": [step for step in all_steps if step.unit_kind == kind],
            }
        )
    legend = [
        {
            "unit": str(UNIT_KIND_OF_ROLE[role].label),
            "colour": colour,
            "style": style,
        }
        for role, (colour, style) in ROLE_STYLES.items()
    ]
    holders = state_holders()
    return {
        "sections": sections,
        "units": {kind.value: str(kind.label) for kind in UnitKind},
        "steps": all_steps,
        "states": [
            {
                "value": state.value,
                "label": str(state.label),
                "holder": holders.get(state, ""),
            }
            for state in ApplicationState
        ],
        "terms": term_rows(),
        "diagram": diagram_svg(all_steps),
        "legend": legend,
    }


def guidelines_pdf() -> bytes:
    """Formularz 4, the procedural guidelines, as PDF bytes, in Polish."""
    with translation.override(settings.LANGUAGE_CODE):
        return documents.render_pdf("documents/guidelines.html", guidelines_context())
