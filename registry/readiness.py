"""The readiness self-check: the minimum standard as a short questionnaire.

Public and anonymous: the answers travel in the query string of a GET form,
nothing is stored. The result lists what the club still lacks against the
current criteria version, and its answers can open an application.
"""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from certification import permissions
from certification.models import Application, Club, CriteriaVersion, Criterion
from certification.states import (
    FINAL,
    INSTITUTIONAL_GROUPS,
    SERVICE_GROUPS,
    CriterionGroup,
    Level,
    Role,
)

# The value of the "does not apply" answer in the query string.
NOT_APPLICABLE = "na"
# Sent by the questionnaire's form, so that a form sent with nothing ticked
# is told apart from a first visit.
SUBMITTED = "sprawdz"


@dataclass(frozen=True)
class Question:
    """One criterion of the questionnaire with the answer given, if any."""

    criterion: Criterion
    answer: str

    @property
    def choices(self) -> list[tuple[str, str]]:
        choices = [(str(value), label) for value, label in Level.choices]
        if self.criterion.applies_only_where_needed:
            choices.append((NOT_APPLICABLE, str(_("Does not apply to this club"))))
        return choices

    @property
    def answered(self) -> bool:
        return self.answer != ""

    @property
    def met(self) -> bool:
        """Met where the declared level reaches the required one, or where
        the criterion may not apply and the club says it does not.
        """
        if self.answer == NOT_APPLICABLE:
            return True
        return self.answered and int(self.answer) >= self.criterion.required_level


@dataclass(frozen=True)
class QuestionGroup:
    label: str
    questions: list[Question]


@dataclass(frozen=True)
class ClubOption:
    """One club of the applicant's institution and whether the answers can
    start its application: not while another application of it is open.
    """

    club: Club
    verdict: permissions.Verdict
    open_application: Application | None = None


def club_options(user) -> list[ClubOption]:
    """The clubs of the applicant's institution, each with its verdict."""
    options = []
    clubs = Club.objects.filter(founding_unit_id=user.unit_id).order_by("name", "city")
    for club in clubs:
        verdict = permissions.can_start_application(user, club)
        open_application = None
        if not verdict:
            open_application = (
                club.applications.exclude(state__in=FINAL).order_by("-pk").first()
            )
        options.append(ClubOption(club, verdict, open_application))
    return options


def readiness_answers(query: QueryDict, criteria: list[Criterion]) -> dict[str, str]:
    """The valid answers of the query string, by criterion code; others are
    dropped, so a hand-edited address cannot show a level that does not exist.
    """
    answers = {}
    for criterion in criteria:
        value = query.get(criterion.code, "")
        allowed = [str(level) for level in Level.values]
        if criterion.applies_only_where_needed:
            allowed.append(NOT_APPLICABLE)
        if value in allowed:
            answers[criterion.code] = value
    return answers


def _groups(criteria: list[Criterion], answers: dict[str, str]) -> list[QuestionGroup]:
    """The questions grouped as on the standard card, in the dictionary's order."""
    groups = []
    for group in [*INSTITUTIONAL_GROUPS, *SERVICE_GROUPS]:
        questions = [
            Question(criterion, answers.get(criterion.code, ""))
            for criterion in criteria
            if criterion.group == group
        ]
        if questions:
            groups.append(QuestionGroup(CriterionGroup(group).label, questions))
    return groups


@require_safe
def readiness(request: HttpRequest) -> HttpResponse:
    """The questionnaire and, once answered, what the club still lacks."""
    version = CriteriaVersion.current()
    criteria = list(version.criteria.order_by("position", "pk")) if version else []
    answers = readiness_answers(request.GET, criteria)
    groups = _groups(criteria, answers)
    questions = [question for group in groups for question in group.questions]

    answers_query = QueryDict(mutable=True)
    answers_query.update(answers)
    clubs = []
    user = request.user
    if answers and user.is_authenticated and user.role == Role.APPLICANT:
        clubs = club_options(user)
    # Sent with nothing answered: say so next to the questionnaire.
    nothing_answered = SUBMITTED in request.GET and not answers

    context = {
        "version": version,
        "groups": groups,
        "answered": bool(answers),
        "lacking": [q for q in questions if q.answered and not q.met],
        "unanswered": [q for q in questions if not q.answered],
        "met": [q for q in questions if q.met],
        "total": len(questions),
        "answers_query": answers_query.urlencode(),
        "clubs": clubs,
        "nothing_answered": nothing_answered,
        "submitted_parameter": SUBMITTED,
        # The error points at the first option of the first question.
        "first_option": (
            f"{questions[0].criterion.code}-{questions[0].choices[0][0]}"
            if questions
            else ""
        ),
    }
    status = 400 if nothing_answered else 200
    return render(request, "registry/readiness.html", context, status=status)
