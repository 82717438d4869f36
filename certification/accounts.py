"""Accounts of applicant institutions: self-registration and its confirmation.

Only applicant institutions register themselves. Accounts of certifying
officers, auditors and appeal officers are created by the administrator,
because their unit gives them the right to decide on other people's cases.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes, force_str
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from certification.models import Unit, User, Voivodeship
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


def applicant_unit_matching(*, nip: str, regon: str) -> Unit | None:
    """The applicant institution already registered with this NIP or REGON."""
    query = Q(nip=nip) if nip else Q()
    if regon:
        query |= Q(regon=regon)
    if not query:
        return None
    return (
        Unit.objects.filter(kind=UnitKind.APPLICANT)
        .filter(query)
        .order_by("pk")
        .first()
    )


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
    here: the administrator adds further people to it.
    """
    email = email.strip()
    taken = Q(username__iexact=email) | Q(email__iexact=email)
    if User.objects.filter(taken).exists():
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
    unit = applicant_unit_matching(nip=institution.nip, regon=institution.regon)
    if unit is not None:
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
    joined = False
    if unit is None:
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

    subject, body = _confirmation_message(user, joined=joined)
    transaction.on_commit(
        lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])
    )

    logger.info(
        "Applicant %s registered, unit %s (%s)",
        user.pk,
        unit.pk,
        "joined" if joined else "created",
    )
    return user


def confirmation_path(user: User) -> str:
    """The path of the link that activates the account, with its token."""
    return reverse(
        "account_confirm",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )


def _confirmation_message(user: User, *, joined: bool) -> tuple[str, str]:
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
        if joined:
            lines.append(
                _(
                    "The institution %(name)s is already registered in SC KIS: "
                    "your account joins it, and you will see and handle its "
                    "clubs and applications together with its other people."
                )
                % {"name": user.unit.name}
            )
        else:
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

    user = User.objects.select_for_update().get(pk=user.pk)
    if user.is_active:
        raise ActionRefused(
            _("This account is already active. Log in with your e-mail address.")
        )

    user.is_active = True
    user.save(update_fields=["is_active"])

    logger.info("Applicant %s confirmed the account", user.pk)
    return user
