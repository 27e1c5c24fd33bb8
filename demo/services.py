"""Writes for the demo: the accounts that ``make run`` prints (``manage.py demo_organizer``).

The organizer (staff and superuser) and, once ``seed_demo`` has loaded the conference, four accounts without staff
rights for the cooperation flows: Egypt's and Tunisia's focal points (who book a bilateral meeting and answer it)
and two participants of different delegations, listed in the directory (who exchange contacts). All share the one
printed password (``DEMO_PASSWORD``) and a verified primary e-mail address (allauth), so they log in with the
ordinary login form. Running it again writes nothing when everything is already so.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction


def _verified_address(user, email: str) -> None:
    """The account's e-mail address, verified and primary (written only when it is not so yet)."""
    from allauth.account.models import EmailAddress

    address = EmailAddress.objects.filter(user=user, email__iexact=email).first()
    if address is None:
        EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    elif not (address.verified and address.primary):
        address.verified = address.primary = True
        address.save(update_fields=["verified", "primary"])


@transaction.atomic
def demo_organizer_ensure(*, email: str, password: str):
    """Create or reset the demo organizer: staff and superuser, with a verified primary e-mail (allauth). The
    password is set again only when it is not ``password`` already (a second run writes nothing)."""
    User = get_user_model()  # noqa: N806
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User(username=email[:150], email=email)
    changed = user.pk is None or not (user.is_staff and user.is_superuser and user.is_active)
    user.is_staff = user.is_superuser = user.is_active = True
    if not user.password or not user.check_password(password):
        user.set_password(password)
        changed = True
    if changed:
        user.save()
    _verified_address(user, email)
    return user


@dataclass(frozen=True)
class DemoAccount:
    email: str
    delegation: str  # the delegation's code in the demo conference
    focal_point: bool  # focal point of ``delegation`` (linked to its head of delegation), else a listed participant
    can: str  # what ``make run`` prints that the account can do


DEMO_ACCOUNTS = (
    DemoAccount("focal.egypt@accord.example.org", "EGY", True,
                "requests a bilateral meeting with another delegation (/cooperation/meetings/new/), "
                "the focal-point portal (/delegation/EGY/)"),
    DemoAccount("focal.tunisia@accord.example.org", "TUN", True,
                "answers requests to Tunisia: accepts a slot, proposes others or declines (/cooperation/meetings/)"),
    DemoAccount("participant.morocco@accord.example.org", "MAR", False,
                "listed in the directory: asks for a contact exchange (/cooperation/directory/), "
                "exports contacts (/cooperation/contacts/)"),
    DemoAccount("participant.italy@accord.example.org", "ITA", False,
                "listed in the directory: confirms a contact exchange (/cooperation/contacts/), scans badges "
                "(/cooperation/contacts/scan/)"),
)

#: What the demo participants share in the directory (their e-mail address too, so the vCard carries it).
DIRECTORY_SHARES = {"share_position": True, "share_organization": True, "share_languages": True,
                    "share_expertise": True, "share_email": True, "share_phone": False}
DIRECTORY_EXPERTISE = {"MAR": ["border_management", "mutual_legal_assistance"],
                       "ITA": ["prosecution", "financial_investigation"]}


def _demo_participant(conference, account: DemoAccount, user):
    """The participant the account acts as: the one already linked to it, else the delegation's head (a focal
    point) or its first approved delegate or expert by e-mail, not linked to anyone, whose directory entry (if
    any) is listed. None when the delegation has nobody free."""
    from conference.models import Delegation
    from cooperation.models import DirectoryEntry
    from registration.models import Participant

    if user.pk:
        linked = Participant.objects.filter(conference=conference, user=user).select_related("delegation").first()
        if linked is not None:
            return linked
    members = Participant.objects.filter(conference=conference, delegation__code=account.delegation,
                                         status="approved", user__isnull=True).select_related("delegation")
    heads = Delegation.objects.filter(conference=conference, head__isnull=False)
    if account.focal_point:
        return members.filter(pk__in=heads.filter(code=account.delegation).values("head_id")).first()
    hidden = DirectoryEntry.objects.filter(listed=False).values("participant_id")
    return (members.filter(category__in=["delegate", "expert"]).exclude(pk__in=heads.values("head_id"))
            .exclude(pk__in=hidden).order_by("email").first())


@transaction.atomic
def demo_accounts_ensure(conference, *, password: str, verified_hash: str = "") -> list[tuple[DemoAccount, object]]:
    """Create (or bring back) the demo's accounts for the cooperation flows in ``conference``: ``(account,
    participant)`` pairs, ``participant`` None when its delegation has nobody to act as.

    Each account: no staff rights, the password ``password``, a verified primary address; linked to its participant
    (``participant_link_user``); a focal point is added to its delegation's focal points (``delegation_save``); a
    participant without a directory entry is listed (``directory_entry_update``). Writes only what is missing.

    Hashing a password costs about half a second, so the accounts share one encoded hash: ``verified_hash`` (the
    organizer's, just checked against ``password``), else one of theirs that matches, else a new one.
    """
    from conference.models import Delegation
    from cooperation.models import DirectoryEntry
    from cooperation.services import directory_entry_update
    from registration.services.delegations import delegation_save
    from registration.services.steps import participant_link_user

    User = get_user_model()  # noqa: N806
    users = {}
    for account in DEMO_ACCOUNTS:
        users[account.email] = (User.objects.filter(email__iexact=account.email).first()
                                or User(username=account.email[:150], email=account.email))
    encoded = verified_hash or next(
        (known for known in dict.fromkeys(u.password for u in users.values() if u.password)
         if check_password(password, known)), "") or make_password(password)

    result = []
    for account in DEMO_ACCOUNTS:
        user = users[account.email]
        if user.pk is None or user.is_staff or user.is_superuser or not user.is_active or user.password != encoded:
            user.is_staff = user.is_superuser = False
            user.is_active = True
            user.password = encoded
            user.save()
        _verified_address(user, account.email)
        participant = _demo_participant(conference, account, user)
        if participant is not None:
            if participant.user_id is None:
                participant_link_user(participant, user=user)
            if account.focal_point:
                delegation = Delegation.objects.get(pk=participant.delegation_id)
                focal_points = list(delegation.focal_points.all())
                if user not in focal_points:
                    delegation_save(delegation, actor=None, focal_points=[*focal_points, user])
            elif not DirectoryEntry.objects.filter(participant=participant).exists():
                directory_entry_update(participant, actor=None, listed=True,
                                       expertise=DIRECTORY_EXPERTISE.get(account.delegation, []), **DIRECTORY_SHARES)
        result.append((account, participant))
    return result
