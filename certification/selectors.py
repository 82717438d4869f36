"""Read-side queries: what a user may see, and what screens and documents read."""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from certification.models import Appeal, Application, Club, Unit, User
from certification.states import ApplicationState as S
from certification.states import Role, UnitKind


def applications_visible_to(user: User) -> QuerySet[Application]:
    """The applications of the user's unit, at the steps it takes part in."""
    queryset = Application.objects.select_related(
        "club", "applicant_unit", "certifying_unit", "audit_unit"
    )
    if not user.is_authenticated or user.unit_id is None:
        return queryset.none()
    role = user.role
    if role == Role.APPLICANT:
        return queryset.filter(applicant_unit_id=user.unit_id)
    if role == Role.OFFICER:
        # Only filed cases: a draft withdrawn unsubmitted stays the applicant's.
        return queryset.filter(
            certifying_unit_id=user.unit_id, submitted_at__isnull=False
        )
    if role == Role.AUDITOR:
        return queryset.filter(audit_unit_id=user.unit_id)
    if role == Role.APPEAL_OFFICER:
        forwarded = Appeal.objects.filter(
            application=OuterRef("pk"), forwarded_at__isnull=False
        )
        return queryset.filter(Exists(forwarded))
    return queryset.none()


def application_for(user: User, pk: int) -> Application:
    """The application if the user may see it; otherwise 404, as if it did not exist."""
    try:
        return applications_visible_to(user).get(pk=pk)
    except Application.DoesNotExist:
        raise Http404 from None


def clubs_of(user: User) -> QuerySet[Club]:
    """The clubs an applicant's institution founded."""
    if not user.is_authenticated or user.role != Role.APPLICANT:
        return Club.objects.none()
    return Club.objects.filter(founding_unit_id=user.unit_id).select_related(
        "voivodeship"
    )


def club_for(user: User, pk: int) -> Club:
    try:
        return clubs_of(user).get(pk=pk)
    except Club.DoesNotExist:
        raise Http404 from None


def work_queue(user: User) -> QuerySet[Application]:
    """The cases waiting for the user's unit to act, oldest first."""
    visible = applications_visible_to(user)
    waiting = {
        Role.APPLICANT: [S.DRAFT, S.CORRECTION, S.REFUSED],
        Role.OFFICER: [
            S.SUBMITTED,
            S.MERIT_REVIEW,
            S.DECISION,
            S.APPEALED,
            S.CORRECTION,
            S.REFUSED,
        ],
        Role.AUDITOR: [S.AUDIT, S.AUDIT_IN_PROGRESS],
        Role.APPEAL_OFFICER: [S.APPEAL_REVIEW],
    }.get(user.role, [])
    return visible.filter(state__in=waiting).order_by("updated_at")


def certifying_unit_of(voivodeship_id: int) -> Unit | None:
    """The WPS UW that certifies the clubs of a voivodeship."""
    return Unit.objects.filter(
        kind=UnitKind.CERTIFYING, voivodeship_id=voivodeship_id
    ).first()


def audit_unit_of(voivodeship_id: int) -> Unit | None:
    """The ROPS that audits the clubs of a voivodeship."""
    return Unit.objects.filter(
        kind=UnitKind.AUDIT, voivodeship_id=voivodeship_id
    ).first()


def appeal_unit() -> Unit:
    return Unit.objects.filter(kind=UnitKind.APPEAL).order_by("pk").first()


def current_standard_card(application: Application):
    return application.standard_cards.prefetch_related("rows__criterion").first()


def current_audit(application: Application):
    return application.audits.prefetch_related("experts", "findings__criterion").first()


def open_appeal(application: Application) -> Appeal | None:
    return application.appeals.filter(outcome="").first()


def history(application: Application):
    return application.transitions.select_related("actor")


def search_filter(queryset: QuerySet[Application], text: str) -> QuerySet[Application]:
    """Narrow a list of cases by club name, town or case number."""
    if not text:
        return queryset
    return queryset.filter(
        Q(club__name__icontains=text)
        | Q(club__city__icontains=text)
        | Q(number__icontains=text)
    )
