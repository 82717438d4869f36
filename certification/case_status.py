"""Where a case stands, as the person who files once a year needs to read it:
the stages of the process, the current one, what happens next and who acts,
who handles the case, and the deadlines that concern the applicant.

The texts are written twice: in the applicant's own words ("you") for the
applicant, and neutrally for the units' people. The deadlines are those of
selectors.case_deadlines, only put into sentences; nothing is recomputed.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from certification import deadlines, permissions, selectors
from certification.models import Application, Certificate, Unit, User
from certification.states import FINAL, Role
from certification.states import ApplicationState as S

# The stages of the process, in order, and the states that belong to each.

FILING, FORMAL_CHECK, MERIT_REVIEW, AUDIT, DECISION, APPEAL = (
    "filing",
    "formal_check",
    "merit_review",
    "audit",
    "decision",
    "appeal",
)
STAGE_LABELS = {
    FILING: _("Filing the application"),
    FORMAL_CHECK: _("Formal check"),
    MERIT_REVIEW: _("Merit review"),
    AUDIT: _("On-site audit"),
    DECISION: _("Decision"),
    APPEAL: _("Appeal"),
}
STAGE_OF_STATE = {
    S.DRAFT: FILING,
    S.SUBMITTED: FORMAL_CHECK,
    S.CORRECTION: FORMAL_CHECK,
    S.MERIT_REVIEW: MERIT_REVIEW,
    S.AUDIT: AUDIT,
    S.AUDIT_IN_PROGRESS: AUDIT,
    S.DECISION: DECISION,
    S.REFUSED: DECISION,
    S.APPEALED: APPEAL,
    S.APPEAL_REVIEW: APPEAL,
}
# A case in a final state rests at the stage of the state it left.

# How one stage stands, always said in words as well as shown in colour.
DONE, CURRENT, ENDED, UPCOMING, OPTIONAL, SKIPPED, NOT_REACHED = (
    "done",
    "current",
    "ended",
    "upcoming",
    "optional",
    "skipped",
    "not_reached",
)
STAGE_STATUS_LABELS = {
    DONE: _("done"),
    CURRENT: _("current stage"),
    UPCOMING: _("to come"),
    OPTIONAL: _("only if an appeal is lodged"),
    SKIPPED: _("not carried out"),
    NOT_REACHED: _("not reached"),
}


@dataclass(frozen=True)
class Stage:
    """One stage of the process and how it stands in this case."""

    key: str
    label: str
    status: str
    status_label: str

    @property
    def is_current(self) -> bool:
        return self.status in (CURRENT, ENDED)


# What happens next in each state: in the applicant's words, neutrally, and
# what the applicant must do (None when nothing).

APPLICANT_TEXTS = {
    S.DRAFT: _(
        "You are filling in the application. Nobody outside your institution "
        "sees it until you submit it to the certifying unit."
    ),
    S.SUBMITTED: _(
        "The certifying unit checks the application formally. It may ask you "
        "for a correction; otherwise it goes on to the merit review."
    ),
    S.CORRECTION: _(
        "The certifying unit has asked you to correct the application. Correct "
        "the faults listed on this page and submit the application again. If "
        "you do not do it by the deadline, the application may be left "
        "unprocessed."
    ),
    S.MERIT_REVIEW: _(
        "The certifying unit assesses whether the club meets the standard, "
        "criterion by criterion. Then it commissions an on-site audit of the "
        "club, or refuses the certificate if the club clearly does not meet "
        "the standard."
    ),
    S.AUDIT: _(
        "The audit unit is planning a visit to the club to check on site what "
        "the application declares."
    ),
    S.AUDIT_IN_PROGRESS: _(
        "The audit team checks the club on site and writes its report. The "
        "report then goes to the certifying unit."
    ),
    S.DECISION: _(
        "The certifying unit decides whether to grant the certificate, on the "
        "basis of the merit review and the audit report. You will receive the "
        "decision."
    ),
    S.CERTIFIED: _(
        "The certificate has been granted. Nothing more happens in this case."
    ),
    S.REFUSED: _(
        "The certifying unit has refused the certificate. You may appeal "
        "against the refusal through the certifying unit. If you do not "
        "appeal by the deadline, the refusal becomes final."
    ),
    S.APPEALED: _(
        "Your appeal is with the certifying unit. It either grants the "
        "certificate on its own review of the case or forwards the appeal to "
        "the appeal unit."
    ),
    S.APPEAL_REVIEW: _(
        "The appeal unit examines your appeal. It either dismisses it or "
        "returns the case to the certifying unit."
    ),
    S.WITHDRAWN: _(
        "You withdrew the application. Nothing more happens in this case. You "
        "may file a new application for the club when you are ready."
    ),
}
NEUTRAL_TEXTS = {
    S.DRAFT: _(
        "The applicant is filling in the application. Nobody outside the "
        "applicant institution sees it until it is submitted."
    ),
    S.SUBMITTED: _(
        "The certifying unit checks the application formally: it accepts it "
        "for the merit review or asks the applicant for a correction."
    ),
    S.CORRECTION: _(
        "The applicant corrects the listed faults and submits the application "
        "again. After the deadline the certifying unit may leave the "
        "application unprocessed."
    ),
    S.MERIT_REVIEW: _(
        "The certifying unit fills in the standard card, then commissions an "
        "on-site audit or refuses the certificate."
    ),
    S.AUDIT: _("The audit unit plans the on-site audit and appoints its team."),
    S.AUDIT_IN_PROGRESS: _(
        "The audit team checks the club on site, fills in the audit card and "
        "delivers the report to the certifying unit."
    ),
    S.DECISION: _("The certifying unit grants or refuses the certificate."),
    S.CERTIFIED: _(
        "The certificate has been granted. Nothing more happens in this case "
        "until its renewal."
    ),
    S.REFUSED: _(
        "The certificate has been refused. The applicant may appeal by the "
        "deadline; after it the refusal becomes final."
    ),
    S.APPEALED: _(
        "The certifying unit grants the certificate on its own review or "
        "forwards the appeal to the appeal unit."
    ),
    S.APPEAL_REVIEW: _(
        "The appeal unit dismisses the appeal or returns the case to the "
        "certifying unit."
    ),
    S.WITHDRAWN: _(
        "The applicant withdrew the application. Nothing more happens in this case."
    ),
}
# A closed case says why it closed: the state it was closed from.
CLOSED_APPLICANT_TEXTS = {
    S.CORRECTION: _(
        "The application was left unprocessed because it was not corrected "
        "by the deadline. The case is closed; you may file a new application."
    ),
    S.REFUSED: _(
        "The refusal became final because no appeal was lodged by the "
        "deadline. The case is closed; you may file a new application."
    ),
    S.APPEAL_REVIEW: _(
        "The appeal unit dismissed the appeal, so the refusal stands. The case "
        "is closed; you may file a new application."
    ),
}
CLOSED_NEUTRAL_TEXTS = {
    S.CORRECTION: _(
        "The application was left unprocessed: it was not corrected by the "
        "deadline. The case is closed."
    ),
    S.REFUSED: _(
        "The refusal became final: no appeal was lodged by the deadline. The "
        "case is closed."
    ),
    S.APPEAL_REVIEW: _(
        "The appeal unit dismissed the appeal; the refusal stands. The case is closed."
    ),
}
CLOSED_FALLBACK = _("The case is closed. Nothing more happens in it.")

TASKS = {
    S.DRAFT: _("Fill in every section of the application and submit it."),
    S.CORRECTION: _("Correct the listed faults and submit the application again."),
    S.REFUSED: _(
        "If you disagree with the refusal, lodge an appeal. Otherwise nothing."
    ),
    S.AUDIT: _("Be ready to host the audit team at the club."),
    S.AUDIT_IN_PROGRESS: _(
        "Give the audit team access to the club's premises and documents."
    ),
    S.CERTIFIED: _(
        "File a renewal of the certificate before it ends, so that the new "
        "one follows without a break."
    ),
}
# The same tasks for the units' people, who are not the ones addressed.
NEUTRAL_TASKS = {
    **TASKS,
    S.REFUSED: _(
        "An appeal, if the applicant disagrees with the refusal. Otherwise nothing."
    ),
}
NOTHING_TO_DO = _("Nothing for now. You will be told by e-mail when that changes.")
NEUTRAL_NOTHING_TO_DO = _(
    "Nothing for now. The applicant will be told by e-mail when that changes."
)
NOTHING_MORE = _("Nothing.")

# Who acts in each state: the applicant, one of the three units, or nobody.
APPLICANT, CERTIFYING_UNIT, AUDIT_UNIT, APPEAL_UNIT, NOBODY = (
    "applicant",
    "certifying_unit",
    "audit_unit",
    "appeal_unit",
    "nobody",
)
ACTOR_OF_STATE = {
    S.DRAFT: APPLICANT,
    S.CORRECTION: APPLICANT,
    S.REFUSED: APPLICANT,
    S.SUBMITTED: CERTIFYING_UNIT,
    S.MERIT_REVIEW: CERTIFYING_UNIT,
    S.DECISION: CERTIFYING_UNIT,
    S.APPEALED: CERTIFYING_UNIT,
    S.AUDIT: AUDIT_UNIT,
    S.AUDIT_IN_PROGRESS: AUDIT_UNIT,
    S.APPEAL_REVIEW: APPEAL_UNIT,
}
ACTOR_LABELS = {
    APPLICANT: _("the applicant"),
    CERTIFYING_UNIT: _("the certifying unit"),
    AUDIT_UNIT: _("the audit unit"),
    APPEAL_UNIT: _("the appeal unit"),
    NOBODY: _("nobody: the case has ended"),
}
ROLE_LABELS = {
    CERTIFYING_UNIT: _("Certifying unit"),
    AUDIT_UNIT: _("Audit unit"),
    APPEAL_UNIT: _("Appeal unit"),
}
PERSON_LABELS = {
    CERTIFYING_UNIT: _("Officer in charge"),
    AUDIT_UNIT: _("Auditor in charge"),
}


@dataclass(frozen=True)
class NextStep:
    """What happens next, who acts, and what the applicant must do by when."""

    text: str
    actor: str
    actor_label: str
    task: str
    task_deadline: datetime.date | None


@dataclass(frozen=True)
class Handler:
    """A unit handling the case, how to reach it, and its person in charge."""

    role: str
    role_label: str
    name: str
    address: str
    email: str
    phone: str
    acts_now: bool
    person_label: str = ""
    # The person's name, "" before anyone is assigned; None where the unit
    # assigns nobody (the appeal unit) or not yet (a draft).
    person: str | None = None


@dataclass(frozen=True)
class DeadlineLine:
    """One deadline of the case put into a sentence for its reader."""

    text: str
    date: datetime.date
    status: str
    status_label: str

    @property
    def overdue(self) -> bool:
        return self.status in (selectors.OVERDUE, selectors.EXPIRED)


@dataclass(frozen=True)
class CaseStatus:
    """Everything the "where the case stands" panel shows."""

    for_applicant: bool
    state_label: str
    stages: tuple[Stage, ...]
    current: Stage
    next_step: NextStep
    handlers: tuple[Handler, ...]
    deadlines: tuple[DeadlineLine, ...]


# The stages.


def _left_state(application: Application) -> str | None:
    """The state a case in a final state was in before it ended."""
    last = (
        application.transitions.filter(to_state=application.state)
        .exclude(from_state=application.state)
        .order_by("-at", "-pk")
        .first()
    )
    return last.from_state if last is not None else None


def current_stage_key(application: Application) -> str:
    """The stage the case is at, or for a finished case the stage it ended at."""
    state = application.state
    if state in FINAL:
        left = _left_state(application)
        return STAGE_OF_STATE.get(left, DECISION if state == S.CERTIFIED else FILING)
    return STAGE_OF_STATE[state]


def stages(application: Application) -> tuple[Stage, ...]:
    """The stages of the process in order, each marked done, current, to come,
    not carried out or not reached. The appeal stage is listed only once a
    refusal makes it possible.
    """
    state = application.state
    current = current_stage_key(application)
    visited = {S.DRAFT, state}
    for from_state, to_state in application.transitions.values_list(
        "from_state", "to_state"
    ):
        visited.update((from_state, to_state))
    visited_stages = {STAGE_OF_STATE[s] for s in visited if s in STAGE_OF_STATE}

    keys = [FILING, FORMAL_CHECK, MERIT_REVIEW, AUDIT, DECISION]
    if current == APPEAL or S.REFUSED in visited:
        keys.append(APPEAL)
    position = keys.index(current)
    ended = state in FINAL

    found = []
    for index, key in enumerate(keys):
        if index < position:
            status = DONE if key in visited_stages else SKIPPED
        elif index == position:
            status = ENDED if ended else CURRENT
        elif ended:
            status = NOT_REACHED
        elif key == APPEAL:
            status = OPTIONAL
        else:
            status = UPCOMING
        if status == ENDED:
            status_label = gettext("final: %(state)s") % {
                "state": application.get_state_display()
            }
        else:
            status_label = str(STAGE_STATUS_LABELS[status])
        found.append(Stage(key, str(STAGE_LABELS[key]), status, status_label))
    return tuple(found)


# What happens next.


def next_step(application: Application, *, for_applicant: bool) -> NextStep:
    """What happens next in the case, who acts, and the applicant's task."""
    state = application.state
    if state == S.CLOSED:
        left = _left_state(application)
        texts = CLOSED_APPLICANT_TEXTS if for_applicant else CLOSED_NEUTRAL_TEXTS
        text = texts.get(left, CLOSED_FALLBACK)
    else:
        text = (APPLICANT_TEXTS if for_applicant else NEUTRAL_TEXTS)[state]

    actor = ACTOR_OF_STATE.get(state, NOBODY)
    if actor == APPLICANT and for_applicant:
        actor_label = gettext("you")
    else:
        actor_label = str(ACTOR_LABELS[actor])

    task, task_deadline = _task(application, for_applicant=for_applicant)
    if task is None and state in FINAL:
        task = NOTHING_MORE
    elif task is None:
        task = NOTHING_TO_DO if for_applicant else NEUTRAL_NOTHING_TO_DO
    return NextStep(str(text), actor, actor_label, str(task), task_deadline)


def _task(
    application: Application, *, for_applicant: bool
) -> tuple[str | None, datetime.date | None]:
    state = application.state
    tasks = TASKS if for_applicant else NEUTRAL_TASKS
    if state == S.CORRECTION:
        return tasks[state], application.correction_deadline
    if state == S.REFUSED:
        return tasks[state], application.appeal_deadline
    if state == S.CERTIFIED:
        certificate = _certificate(application)
        if certificate is None or not permissions.awaits_renewal(certificate):
            return None, None
        return tasks[state], certificate.valid_until
    return tasks.get(state), None


def _certificate(application: Application) -> Certificate | None:
    return Certificate.objects.filter(application=application).first()


# Who handles the case.


def _unit_handler(
    unit: Unit, role: str, *, acts_now: bool, person: str | None
) -> Handler:
    return Handler(
        role=role,
        role_label=str(ROLE_LABELS[role]),
        name=unit.full_name,
        address=unit.address,
        email=unit.email,
        phone=unit.phone,
        acts_now=acts_now,
        person_label=str(PERSON_LABELS.get(role, "")),
        person=person,
    )


def _name(person: User | None) -> str:
    return person.display_name if person is not None else ""


def handlers(application: Application) -> tuple[Handler, ...]:
    """The certifying unit with its officer in charge; during the audit the
    audit unit with its auditor in charge; during the appeal review the
    appeal unit.
    """
    state = application.state
    actor = ACTOR_OF_STATE.get(state, NOBODY)
    found = [
        _unit_handler(
            application.certifying_unit,
            CERTIFYING_UNIT,
            acts_now=actor == CERTIFYING_UNIT,
            # An officer is put in charge only of a filed case.
            person=(
                _name(application.assigned_officer)
                if application.submitted_at
                else None
            ),
        )
    ]
    if actor == AUDIT_UNIT and application.audit_unit is not None:
        found.append(
            _unit_handler(
                application.audit_unit,
                AUDIT_UNIT,
                acts_now=True,
                person=_name(application.assigned_auditor),
            )
        )
    if actor == APPEAL_UNIT:
        appeal_unit = selectors.appeal_unit()
        if appeal_unit is not None:
            found.append(
                _unit_handler(appeal_unit, APPEAL_UNIT, acts_now=True, person=None)
            )
    return tuple(found)


# The deadlines, put into sentences.

APPLICANT_DEADLINE_TEXTS = {
    "correction": _("Correct the application and submit it again by %(date)s."),
    "decision": _("The certifying unit should issue its decision by %(date)s."),
    "decision_paused": _(
        "The certifying unit should issue its decision by %(date)s. This "
        "deadline is paused while you correct the application and moves later "
        "by the days the correction takes."
    ),
    "decision_met": _("The decision was due by %(date)s and was issued on time."),
    "decision_late": _("The decision was due by %(date)s and was issued late."),
    "appeal": _(
        "You may lodge an appeal until %(date)s; after that the refusal becomes final."
    ),
    "forward": _(
        "The certifying unit should grant the certificate or forward your "
        "appeal to the appeal unit by %(date)s."
    ),
    "certificate": _("Your certificate is valid until %(date)s."),
    "renewal": _(
        "You may file a renewal while the certificate is valid and up to "
        "%(days)s days after it ends, that is until %(date)s."
    ),
}
NEUTRAL_DEADLINE_TEXTS = {
    "correction": _("The applicant corrects the application by %(date)s."),
    "decision": _("The certifying unit issues its decision by %(date)s."),
    "decision_paused": _(
        "The certifying unit issues its decision by %(date)s; the deadline is "
        "paused while the applicant corrects the application."
    ),
    "decision_met": _("The decision was due by %(date)s and was issued on time."),
    "decision_late": _("The decision was due by %(date)s and was issued late."),
    "appeal": _("The applicant may appeal until %(date)s."),
    "forward": _(
        "The certifying unit grants the certificate or forwards the appeal by %(date)s."
    ),
    "certificate": _("The certificate is valid until %(date)s."),
    "renewal": _(
        "A renewal may be filed while the certificate is valid and up to "
        "%(days)s days after it ends, that is until %(date)s."
    ),
}


def _kind(deadline: selectors.CaseDeadline, application: Application) -> str:
    """Which sentence fits a deadline: the decision's says how it stands."""
    if deadline.kind != "decision":
        return deadline.kind
    if deadline.status == selectors.PAUSED:
        return "decision_paused"
    if deadline.status == selectors.MET:
        return "decision_met"
    if deadline.status == selectors.OVERDUE and (
        application.state not in selectors.AWAITING_DECISION
    ):
        return "decision_late"
    return "decision"


def _date(day: datetime.date) -> str:
    return day.strftime("%d.%m.%Y")


def deadline_lines(
    application: Application,
    *,
    for_applicant: bool,
    today: datetime.date | None = None,
) -> tuple[DeadlineLine, ...]:
    """The deadlines of selectors.case_deadlines in sentences, then the
    renewal window of a granted certificate.
    """
    texts = APPLICANT_DEADLINE_TEXTS if for_applicant else NEUTRAL_DEADLINE_TEXTS
    case_deadlines = selectors.case_deadlines(application, today=today)
    found = []
    for deadline in case_deadlines:
        kind = _kind(deadline, application)
        found.append(
            DeadlineLine(
                str(texts[kind]) % {"date": _date(deadline.date)},
                deadline.date,
                deadline.status,
                deadline.status_label,
            )
        )

    certificate = (
        _certificate(application) if application.state == S.CERTIFIED else None
    )
    if certificate is not None and permissions.awaits_renewal(certificate):
        today = today or deadlines.today()
        grace = permissions.RENEWAL_GRACE_DAYS
        closes = permissions.renewal_window_closes(certificate)
        status = selectors.EXPIRED if today > closes else selectors.RUNNING
        found.append(
            DeadlineLine(
                str(texts["renewal"]) % {"date": _date(closes), "days": grace},
                closes,
                status,
                str(selectors.STATUS_LABELS[status]),
            )
        )
    return tuple(found)


def case_status(
    application: Application, viewer: User, *, today: datetime.date | None = None
) -> CaseStatus:
    """Where the case stands, worded for the applicant when the viewer is one."""
    for_applicant = viewer.is_authenticated and viewer.role == Role.APPLICANT
    found_stages = stages(application)
    return CaseStatus(
        for_applicant=for_applicant,
        state_label=application.get_state_display(),
        stages=found_stages,
        current=next(stage for stage in found_stages if stage.is_current),
        next_step=next_step(application, for_applicant=for_applicant),
        handlers=handlers(application),
        deadlines=deadline_lines(application, for_applicant=for_applicant, today=today),
    )
