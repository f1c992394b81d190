"""Member cards: numbers with a Luhn check digit, the card image and the QR that staff scan.

The QR carries the card number signed with the site's secret, so a made-up code never passes
for a card; staff may still type the printed number, which the check digit guards against typos.
"""

import hashlib
import secrets
from functools import cache
from io import BytesIO
from pathlib import Path

import segno
from django.conf import settings
from django.core import signing
from django.core.cache import cache as django_cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont
from wagtail.log_actions import log

from club.models import ClubSettings, Member, MemberCard
from portal.actions import Refused

Status = MemberCard.Status
SIGNER = signing.Signer(salt="club.card")


class CardError(Refused):
    """A card change that cannot be made; the message is shown as it is."""


def luhn_digit(digits):
    """The check digit that makes `digits` + it pass the Luhn test."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        n = int(char)
        if (
            position % 2 == 0
        ):  # every second digit from the right, the check digit's neighbour first
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return str(-total % 10)


def is_valid_number(number):
    return (
        len(number) == 16
        and number.isascii()
        and number.isdigit()
        and luhn_digit(number[:-1]) == number[-1]
    )


def new_number():
    # The club's issuer prefix (four digits), 11 random digits, then the check digit.
    body = settings.CLUB_CARD_PREFIX + "".join(str(secrets.randbelow(10)) for _ in range(11))
    return body + luhn_digit(body)


def can_manage_cards(user):
    """Whether `user` may issue, replace and revoke cards and print card sheets."""
    return user is not None and user.has_perm("club.issue_card")


def _check_card_staff(user):
    if not can_manage_cards(user):
        raise CardError(_("You may not issue or change member cards."))


def issue_card(member, *, by):
    """Staff issue a card to a member who has none."""
    _check_card_staff(by)
    return new_card(member, by=by)


def replace_card(member, *, by, reason):
    """Staff end the member's active card (damaged, say) and issue one with a new number."""
    _check_card_staff(by)
    if not reason.strip():
        raise CardError(_("Give a reason for replacing the card."))
    return _replace(member, by=by, reason=reason.strip(), status=Status.REPLACED)


def revoke_card(card, *, by, reason):
    """Staff end a card with no replacement."""
    _check_card_staff(by)
    return end_card(card, by=by, reason=reason)


def report_lost(member, number=None):
    """The member's own report: the card stops working at once and a new number replaces it.

    `number` is the card the member saw when they pressed the button: a second press (or a
    second tab) finds it already ended and leaves the new card alone.
    """
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        active = member.cards.filter(status=Status.ACTIVE).first()
        if active is None:
            raise CardError(_("You have no active card to report."))
        if number and active.number != number:
            raise CardError(
                _("That card is already reported; your card number is now %(number)s.")
                % {"number": active.formatted_number}
            )
        return _replace(member, by=member.user, reason="", status=Status.LOST)


# The steps below check no permission: the actions above and the club's own actions that
# include a card change (approving an application, erasing a member's data) call them after
# checking their own.


def new_card(member, *, by=None, replaces=None):
    """A new active card for `member`. Numbers are random; a clash with an existing one (or
    one issued at the same instant) is caught by the unique index and another is drawn."""
    for _attempt in range(10):
        try:
            with transaction.atomic():
                card = MemberCard.objects.create(
                    member=member, number=new_number(), issued_by=by, replaces=replaces
                )
        except IntegrityError as error:
            if MemberCard.objects.filter(member=member, status=Status.ACTIVE).exists():
                raise CardError(_("This member already has an active card.")) from error
            continue
        log(card, "club.card.issue", user=by)
        return card
    raise CardError(_("No free card number was found; try again."))


def _replace(member, *, by, reason, status):
    """End the member's active card and issue a new one with a new number, in one transaction."""
    with transaction.atomic():
        member = Member.objects.select_for_update().get(pk=member.pk)
        old = (
            MemberCard.objects.select_for_update()
            .filter(member=member, status=Status.ACTIVE)
            .first()
        )
        if old:
            old.status, old.end_reason, old.ended_at = status, reason, timezone.now()
            old.save(update_fields=["status", "end_reason", "ended_at"])
            log(old, f"club.card.{status}", user=by, data={"reason": reason})
        return new_card(member, by=by, replaces=old)


def end_card(card, *, by, reason):
    """Revoke `card`: it stops working at once and nothing replaces it."""
    if not reason.strip():
        raise CardError(_("Give a reason for revoking the card."))
    with transaction.atomic():
        card = MemberCard.objects.select_for_update().get(pk=card.pk)
        if not card.is_active:
            raise CardError(
                _("This card is already %(status)s.") % {"status": card.get_status_display()}
            )
        card.status, card.end_reason, card.ended_at = Status.REVOKED, reason.strip(), timezone.now()
        card.save(update_fields=["status", "end_reason", "ended_at"])
        log(card, "club.card.revoked", user=by, data={"reason": card.end_reason})
    return card


# -- Scanning ----------------------------------------------------------------------------------


def qr_payload(card):
    return SIGNER.sign(card.number)


def find_card(text):
    """The card a scanned QR or a typed number points to: (card or None, problem or "")."""
    text = text.strip()
    if ":" in text:
        try:
            number = SIGNER.unsign(text)
        except signing.BadSignature:
            return None, _("This QR code was not issued by the club.")
    else:
        number = "".join(text.split()).replace("-", "")
        if not is_valid_number(number):
            return None, _("%(number)s is not a valid card number; check the digits.") % {
                "number": text
            }
    card = (
        MemberCard.objects.select_related(
            "member__user", "member__record", "member__tier", "replaced_by"
        )
        .filter(number=number)
        .first()
    )
    if card is None:
        return None, _("No card has the number %(number)s.") % {"number": number}
    return card, ""


def card_problem(card):
    """Why a card found by a scan may not be used, or "" when it is valid."""
    if not card.is_active:
        return _("This card is %(status)s and no longer valid.") % {
            "status": card.get_status_display()
        }
    if not card.member.is_active:
        return _("The member is suspended.")
    return ""


# -- The card image ----------------------------------------------------------------------------

WIDTH, HEIGHT = 1012, 638  # 85.6 × 54 mm at 300 dpi
DPI = 300  # written in the PNG, so it prints at card size
FONT_FILES = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-{weight}.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans{dejavu}.ttf",
)


@cache
def font(size, bold=False):
    """A font with Chinese glyphs when the machine has one (Debian: fonts-noto-cjk)."""
    names = [settings.CLUB_CARD_FONT] if settings.CLUB_CARD_FONT else []
    names += [
        name.format(weight="Bold" if bold else "Regular", dejavu="-Bold" if bold else "")
        for name in FONT_FILES
    ]
    for name in names:
        if name and Path(name).exists():
            return ImageFont.truetype(name, size)
    return ImageFont.load_default(size)


def _hex(colour):
    colour = colour.lstrip("#")
    try:
        return tuple(int(colour[i : i + 2], 16) for i in (0, 2, 4))
    except ValueError:
        return (47, 93, 80)


def card_image(card):
    """The member card as a Pillow image: club, tier, name, numbers and the signed QR."""
    member = card.member
    background = _hex(member.tier.colour)
    image = Image.new("RGB", (WIDTH, HEIGHT), background)
    draw = ImageDraw.Draw(image)
    # A lighter band across the card, for depth.
    band = tuple(min(255, c + 28) for c in background)
    draw.polygon([(560, 0), (WIDTH, 0), (WIDTH, HEIGHT), (300, HEIGHT)], fill=band)
    white, soft = (255, 255, 255), (232, 240, 236)
    club = ClubSettings.load().club_name
    draw.text((56, 48), club, font=font(54, bold=True), fill=white)
    draw.text((58, 118), _("Member card"), font=font(26), fill=soft)
    draw.rounded_rectangle((56, 178, 56 + 220, 178 + 56), radius=28, outline=white, width=3)
    draw.text((166, 206), member.tier.name, font=font(28, bold=True), fill=white, anchor="mm")

    draw.text((56, 330), member.holder_name, font=font(48, bold=True), fill=white)
    draw.text(
        (58, 400),
        _("Member no. %(number)s") % {"number": member.number},
        font=font(26),
        fill=soft,
    )
    draw.text((56, 520), card.formatted_number, font=font(46, bold=True), fill=white)

    # Whole pixels per module: a resized code blurs or warps and scans badly.
    box = 300
    qr = segno.make(qr_payload(card), error="m")
    modules = qr.symbol_size(scale=1, border=2)[0]
    buffer = BytesIO()
    qr.save(buffer, kind="png", scale=(box - 24) // modules, border=2)
    code = Image.open(BytesIO(buffer.getvalue())).convert("RGB")
    left, top = WIDTH - box - 48, 48
    draw.rounded_rectangle((left, top, left + box, top + box), radius=20, fill=white)
    offset = (box - code.width) // 2
    image.paste(code, (left + offset, top + offset))
    return image


def card_png(card):
    """The card as PNG bytes, drawn once per look: the cache key holds everything printed on it,
    so a new tier, name or club name draws a new image."""
    member = card.member
    printed = "|".join(
        (
            card.number,
            member.number,
            member.holder_name,
            member.tier.name,
            member.tier.colour,
            ClubSettings.load().club_name,
        )
    )
    key = "club:card-png:2:" + hashlib.sha256(printed.encode()).hexdigest()
    png = django_cache.get(key)
    if png is None:
        buffer = BytesIO()
        card_image(card).save(buffer, format="PNG", optimize=True, dpi=(DPI, DPI))
        png = buffer.getvalue()
        django_cache.set(key, png, 60 * 60 * 24 * 7)
    return png


def qr_svg(payload):
    """A QR code as inline SVG, drawn once per payload (a card's or a registration's never
    changes)."""
    key = "club:qr:" + hashlib.sha256(payload.encode()).hexdigest()
    svg = django_cache.get(key)
    if svg is None:
        svg = segno.make(payload, error="m").svg_inline(scale=4, border=2)
        django_cache.set(key, svg, 60 * 60 * 24 * 30)
    return svg


def cards_pdf(cards):
    """A4 sheets of ten cards each, at print size, for a batch issued together."""
    dpi = 150
    page_w, page_h = round(210 / 25.4 * dpi), round(297 / 25.4 * dpi)
    card_w, card_h = round(85.6 / 25.4 * dpi), round(54 / 25.4 * dpi)
    gap_x, gap_y = 40, 22
    left = (page_w - 2 * card_w - gap_x) // 2
    top = (page_h - 5 * card_h - 4 * gap_y) // 2
    pages = []
    for start in range(0, len(cards), 10):
        page = Image.new("RGB", (page_w, page_h), "white")
        for index, card in enumerate(cards[start : start + 10]):
            row, column = divmod(index, 2)
            picture = card_image(card).resize((card_w, card_h), Image.LANCZOS)
            page.paste(picture, (left + column * (card_w + gap_x), top + row * (card_h + gap_y)))
        pages.append(page)
    buffer = BytesIO()
    if pages:
        pages[0].save(buffer, format="PDF", save_all=True, append_images=pages[1:], resolution=dpi)
    return buffer.getvalue()
