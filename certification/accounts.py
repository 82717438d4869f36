"""Accounts of applicant institutions: self-registration and its confirmation.

Only applicant institutions register themselves. Accounts of certifying
officers, auditors and appeal officers are created by the administrator,
because their unit gives them the right to decide on other people's cases.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import ProtectedError, Q
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from certification.models import Application, Club, Unit, User, Voivodeship
from certification.services import ActionRefused
from certification.states import UnitKind

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class InstitutionData:
    """The institution as the registration form gives it, normalised."""

    name: str
    nip: str
    regon: str
    krs: str
    street: str
    postal_code: str
    city: str
    voivodeship: Voivodeship


# A confirmation link is sent to one address at most once in this time, so
# the registration and the resend pages cannot be used to flood a mailbox.
RESEND_INTERVAL_SECONDS = 5 * 60


def applicant_units_matching(*, nip: str, regon: str) -> list[Unit]:
    """The applicant institutions already registered with this NIP or REGON."""
    query = Q(nip=nip) if nip else Q()
    if regon:
        query |= Q(regon=regon)
    if not query:
        return []
    return list(
        Unit.objects.filter(kind=UnitKind.APPLICANT).filter(query).order_by("pk")
    )


def is_unconfirmed(user: User) -> bool:
    """The account was registered but its e-mail address never confirmed.

    An account once used and then switched off by the administrator has a
    last login: it is not unconfirmed, and no link switches it on again.
    """
    return (
        not user.is_active
        and user.last_login is None
        and user.unit_id is not None
        and user.has_usable_password()
    )


def holds_nothing(unit: Unit) -> bool:
    """A self-registration never confirmed: the institution has people, none
    of whom ever confirmed the account, and no clubs or applications.

    Such an institution may be taken over by a new registration with its
    NIP or REGON: it opens nothing to whoever types them. An institution
    without any people was made by the administrator, who adds its people.
    """
    members = unit.members.all()
    return (
        members.exists()
        and not members.filter(Q(is_active=True) | Q(last_login__isnull=False)).exists()
        and not Club.objects.filter(founding_unit=unit).exists()
        and not Application.objects.filter(applicant_unit=unit).exists()
    )


def _account_with_email(email: str) -> User | None:
    taken = Q(username__iexact=email) | Q(email__iexact=email)
    return User.objects.filter(taken).order_by("pk").first()


def _remove_unconfirmed_members(unit: Unit) -> None:
    """Remove the never confirmed accounts of an institution taken over, so
    the links sent to them stop working and their addresses are free again.
    """
    for old in unit.members.select_for_update().filter(
        is_active=False, last_login__isnull=True
    ):
        pk = old.pk
        try:
            with transaction.atomic():
                old.delete()
        except ProtectedError:
            # Something refers to the account: keep it, but without a
            # password or an institution its old link matches no token.
            old.set_unusable_password()
            old.unit = None
            old.save(update_fields=["password", "unit"])
        logger.info("Unconfirmed account %s removed at a takeover", pk)


def _take_over(units: list[Unit], institution: InstitutionData) -> Unit:
    """The first institution gets the data of the new registration; the
    never confirmed accounts of all of them are removed, and the other
    matching institutions, now empty, are removed too where nothing refers
    to them.
    """
    unit, *others = units
    for field in (
        "name",
        "nip",
        "regon",
        "krs",
        "street",
        "postal_code",
        "city",
        "voivodeship",
    ):
        setattr(unit, field, getattr(institution, field))
    unit.full_clean()
    unit.save()
    _remove_unconfirmed_members(unit)
    for other in others:
        _remove_unconfirmed_members(other)
        try:
            with transaction.atomic():
                other.delete()
        except ProtectedError:
            pass
    logger.info("Unconfirmed institution %s taken over by a new registration", unit.pk)
    return unit


@transaction.atomic
def register_applicant(
    *,
    first_name: str,
    last_name: str,
    email: str,
    password: str,
    institution: InstitutionData,
) -> User:
    """Create an inactive account of an applicant institution and send the
    link that confirms its e-mail address.

    An institution already in SC KIS (the same NIP or REGON) is not joined
    here: the administrator adds further people to it. Only an institution
    whose registration was never confirmed (see holds_nothing) is taken
    over by the new registration.

    The address of an account never confirmed gets a new link instead of a
    refusal, and the account stays as it was: its password is not changed,
    or whoever typed the address could log in once the owner confirms it.
    """
    email = email.strip()
    existing = _account_with_email(email)
    if existing is not None:
        if is_unconfirmed(existing):
            _send_confirmation(existing, again=True)
            return existing
        raise ValidationError(
            {
                "email": _(
                    "An account with this e-mail address already exists. "
                    "Log in, or reset the password if you forgot it."
                )
            }
        )

    # Two people of a new institution registering in the same second could
    # create it twice: there is no unique constraint on NIP, because the
    # units of the administration may share one. An officer merges them.
    units = applicant_units_matching(nip=institution.nip, regon=institution.regon)
    if units:
        units = list(
            Unit.objects.select_for_update()
            .filter(pk__in=[u.pk for u in units])
            .order_by("pk")
        )
    if units and not all(holds_nothing(unit) for unit in units):
        # NIP and REGON are public: anyone could type them. Joining an
        # institution that is already here would open its cases to a
        # stranger, so it goes through the administrator, who knows whom
        # the institution authorised.
        raise ValidationError(
            {
                "nip": _(
                    "This institution already has an account in SC KIS. Ask "
                    "the administrator to add you to it, with a letter from "
                    "the institution authorising you."
                )
            }
        )
    if units:
        unit = _take_over(units, institution)
    else:
        unit = Unit(
            kind=UnitKind.APPLICANT,
            name=institution.name,
            nip=institution.nip,
            regon=institution.regon,
            krs=institution.krs,
            street=institution.street,
            postal_code=institution.postal_code,
            city=institution.city,
            voivodeship=institution.voivodeship,
        )
        unit.full_clean()
        unit.save()

    user = User(
        # People log in with their e-mail address.
        username=email.lower(),
        email=email,
        first_name=first_name,
        last_name=last_name,
        unit=unit,
        is_active=False,
    )
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()

    _send_confirmation(user)

    logger.info(
        "Applicant %s registered, unit %s (%s)",
        user.pk,
        unit.pk,
        "taken over" if units else "created",
    )
    return user


@transaction.atomic
def resend_confirmation(email: str) -> None:
    """Send a new confirmation link to the account of this address if it
    was never confirmed; otherwise do nothing. The caller shows the same
    page either way, so the answer tells nobody whether the account exists.
    """
    user = _account_with_email(email.strip())
    if user is not None and is_unconfirmed(user):
        _send_confirmation(user, again=True)


def _send_confirmation(user: User, *, again: bool = False) -> None:
    """Send the confirmation link once the transaction commits. A link sent
    again waits until a while has passed since the last one to this address.
    """
    key = f"sckis:confirmation-sent:{user.email.lower()}"
    if again:
        if not cache.add(key, True, timeout=RESEND_INTERVAL_SECONDS):
            logger.info("Confirmation link of %s not sent again so soon", user.pk)
            return
    else:
        cache.set(key, True, timeout=RESEND_INTERVAL_SECONDS)
    subject, body = _confirmation_message(user, again=again)
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    )


def confirmation_path(user: User) -> str:
    """The path of the link that activates the account, with its token."""
    return reverse(
        "account_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )


def _confirmation_message(user: User, *, again: bool) -> tuple[str, str]:
    link = settings.SCKIS_SITE_URL + confirmation_path(user)
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("SC KIS: confirm your e-mail address")
        lines = [
            _("Hello,"),
            "",
            _(
                "An account in SC KIS, the certification system for social "
                "integration clubs, was created for this e-mail address."
            ),
        ]
        lines.append(
            _("Your account acts for the institution %(name)s.")
            % {"name": user.unit.name}
        )
        lines += [
            "",
            _("To activate the account, open this link:"),
            link,
            "",
            _("Your user name is your e-mail address: %(email)s")
            % {"email": user.username},
            "",
            _("If you did not register, ignore this message."),
        ]
        if again:
            lines[-2:-2] = [
                _(
                    "This is a new link to an account registered earlier: its "
                    "password is the one chosen then. If you do not remember "
                    'it, activate the account and then choose "Forgot '
                    'your password?" on the login page.'
                ),
                "",
            ]
    return subject, "\n".join(lines)


def user_of_confirmation(*, uidb64: str, token: str) -> User:
    """The inactive account this link confirms; refused if the link is wrong
    or already used.
    """
    try:
        pk = force_str(urlsafe_base64_decode(uidb64))
        user = User.objects.get(pk=pk)
    except (ValueError, OverflowError, User.DoesNotExist):
        user = None
    if (
        user is None
        or user.is_active
        # An account switched off by the administrator before its first
        # login must not be switched on again by the old link.
        or user.last_login is not None
        or not default_token_generator.check_token(user, token)
    ):
        raise ActionRefused(
            _(
                "This confirmation link is not valid: it was already used, "
                "it has expired or it was copied incompletely."
            )
        )
    return user


@transaction.atomic
def confirm_account(*, uidb64: str, token: str) -> User:
    """Activate an applicant's account from the link sent by e-mail."""
    user = user_of_confirmation(uidb64=uidb64, token=token)

    # The institution first, as a registration taking it over locks it: of
    # the two, the second sees what the first did.
    if user.unit_id is not None:
        Unit.objects.select_for_update().filter(pk=user.unit_id).first()
    user = User.objects.select_for_update().filter(pk=user.pk).first()
    if user is None:
        raise ActionRefused(
            _("This link is no longer valid: the registration was replaced.")
        )
    if user.is_active:
        raise ActionRefused(
            _("This account is already active. Log in with your e-mail address.")
        )

    user.is_active = True
    user.save(update_fields=["is_active"])

    logger.info("Applicant %s confirmed the account", user.pk)
    return user
