"""Demo estates, owners and staff for `manage.py load_demo`. Safe to run again."""

from decimal import Decimal

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.contrib.auth.models import Group
from django.db import transaction

from owners.models import Estate, OwnershipClaim, Unit, User

PASSWORD = "jindu2026"
# Demo staff and the superuser must use two-step verification like real staff; they all share
# this authenticator key (README: add it to any authenticator app, or `manage.py demo_code`).
DEMO_TOTP_SECRET = "JINDUDEMOJINDUDEMOJINDUDEMOSTAFF"

STAFF = [
    # username, group, real name, the name owners see (staff may use official words)
    ("editor", "Editors", "周晓燕", ""),
    ("service", "Customer service", "陈立军", "金都客服小陈"),
    ("spokesperson", "Spokespersons", "林海涛", "金都客服小林"),
    ("moderator", "Forum moderators", "赵明", "论坛版主小赵"),
    ("clubstaff", "Club staff", "孙丽华", "金都会小孙"),
    ("finance", "Finance", "何静", ""),
    ("building", "Building staff", "吴建明", ""),
    ("manager", "Managers", "钱志强", ""),
]

ESTATES = [
    {
        "name": "金都·翠湖苑",
        "city": "杭州",
        "district": "西湖区",
        "address": "西湖区文三西路 888 号",
        "description": "2019 年交付的湖景住宅小区，共 6 栋高层，432 户。",
        "buildings": 6,
        "floors": 18,
    },
    {
        "name": "金都·云栖府",
        "city": "杭州",
        "district": "余杭区",
        "address": "余杭区良睦路 166 号",
        "description": "2023 年交付的花园洋房，共 4 栋，11 层。",
        "buildings": 4,
        "floors": 11,
    },
]
AREAS = [Decimal("89.50"), Decimal("108.20"), Decimal("125.60"), Decimal("143.80")]


def build():
    """Create what is missing and return the logins to print."""
    with transaction.atomic():
        estates = [_estate(spec) for spec in ESTATES]
        staff = [
            ensure_user(name, f"{name}@jindu.example", real_name, group=group, nickname=nickname)
            for name, group, real_name, nickname in STAFF
        ]
        admin = ensure_user("admin", "admin@jindu.example", "系统管理员", superuser=True)
        verified = ensure_user("owner", "owner@jindu.example", "王建国", mobile="13800138001")
        pending = ensure_user(
            "pending", "pending@jindu.example", "李静", mobile="13900139002", nickname="静待花开"
        )
        _claim(
            verified, estates[0], "3栋", "1201", OwnershipClaim.Status.APPROVED, reviewer=staff[1]
        )
        _claim(pending, estates[0], "5栋", "0802", OwnershipClaim.Status.PENDING)
        for user in [admin, *staff]:
            _authenticator_app(user)
    return [
        ("Owner, verified", f"{verified.email} or {verified.mobile}"),
        ("Owner, claim pending", f"{pending.email} or {pending.mobile}"),
        ("Superuser (admin)", admin.email),
        *[
            (f"Staff: {group}", user.email)
            for user, (_, group, _, _) in zip(staff, STAFF, strict=True)
        ],
    ]


def _authenticator_app(user):
    if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(user, DEMO_TOTP_SECRET)
        RecoveryCodes.activate(user)


def _estate(spec):
    estate, _ = Estate.objects.get_or_create(
        name=spec["name"],
        defaults={k: spec[k] for k in ("city", "district", "address", "description")},
    )
    if not estate.units.exists():
        Unit.objects.bulk_create(
            Unit(
                estate=estate,
                building=f"{building}栋",
                number=f"{floor:02d}{door:02d}",
                floor_area=AREAS[door - 1],
            )
            for building in range(1, spec["buildings"] + 1)
            for floor in range(1, spec["floors"] + 1)
            for door in range(1, 5)
        )
    return estate


def ensure_user(
    username,
    email,
    real_name,
    *,
    group=None,
    superuser=False,
    mobile="",
    nickname="",
    show_real_name=False,
):
    """Owners' public names vary on purpose: a nickname, the masked surname (王**), or, for one
    who chose it, the real name."""
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "email": email,
            "real_name": real_name,
            "nickname": nickname,
            "show_real_name": show_real_name,
            "mobile": mobile,
            "mobile_verified": bool(mobile),  # proved by a code at sign-up
            "is_staff": superuser,
            "is_superuser": superuser,
        },
    )
    if created:
        user.set_password(PASSWORD)
        user.save()
    if group:
        user.groups.add(Group.objects.get(name=group))
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def _claim(owner, estate, building, number, status, reviewer=None):
    unit = Unit.objects.get(estate=estate, building=building, number=number)
    if not OwnershipClaim.objects.filter(owner=owner, unit=unit).exists():
        OwnershipClaim.objects.create(
            owner=owner,
            unit=unit,
            proof="HZ-2019-" + number,
            status=status,
            reviewed_by=reviewer if status != OwnershipClaim.Status.PENDING else None,
        )
    if status == OwnershipClaim.Status.APPROVED and not owner.is_verified_owner:
        owner.is_verified_owner = True
        owner.save(update_fields=["is_verified_owner"])
