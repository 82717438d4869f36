"""Template tags of the case page: its deadlines and the messages sent about it."""

from django import template

from certification import selectors
from certification.models import Application, User

register = template.Library()


@register.simple_tag
def case_deadlines(application: Application) -> list[selectors.CaseDeadline]:
    return selectors.case_deadlines(application)


@register.simple_tag
def case_messages(
    user: User, application: Application
) -> list[selectors.SentMessage] | None:
    return selectors.case_messages(user, application)
