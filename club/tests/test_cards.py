"""Member cards: Luhn numbers, the signed QR, lost and replaced cards, the card image, the
desk's card check and the print sheet."""

from io import BytesIO

import pytest
import segno
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from club import cards
from club.models import MemberCard

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("number", "valid"),
    [("4539578763621486", True), ("4539578763621487", False), ("8866000000000000", False)],
)
def test_the_luhn_check(number, valid):
    assert cards.is_valid_number(number) is valid


@pytest.mark.parametrize("prefix", ["8866", "6210"])
def test_new_numbers_are_valid_and_carry_the_prefix(settings, prefix):
    settings.CLUB_CARD_PREFIX = prefix
    numbers = {cards.new_number() for _ in range(200)}
    assert len(numbers) == 200
    assert all(cards.is_valid_number(n) and n.startswith(prefix) for n in numbers)


def test_a_typo_in_a_typed_number_is_caught_by_the_check_digit(member):
    card = member.cards.get()
    wrong = card.number[:-1] + str((int(card.number[-1]) + 1) % 10)
    assert cards.find_card(wrong)[0] is None
    assert cards.find_card(card.formatted_number) == (card, "")


def test_the_qr_carries_a_signed_number_and_a_forged_one_is_refused(member):
    card = member.cards.get()
    payload = cards.qr_payload(card)
    assert payload.startswith(card.number + ":") and payload != card.number
    assert cards.find_card(payload) == (card, "")
    forged, problem = cards.find_card(card.number + ":forged")
    assert forged is None and problem


def test_a_lost_card_stops_working_and_a_new_number_replaces_it(member):
    old = member.cards.get()
    new = cards.report_lost(member)
    old.refresh_from_db()
    assert (old.status, new.replaces, new.status) == ("lost", old, "active")
    assert new.number != old.number
    assert cards.card_problem(cards.find_card(cards.qr_payload(old))[0])
    assert cards.card_problem(new) == ""
    assert member.cards.filter(status="active").count() == 1


def test_one_active_card_per_member(member):
    with pytest.raises(cards.CardError):
        cards.new_card(member)


def test_revoking_needs_a_reason(member, club_staff):
    card = member.cards.get()
    with pytest.raises(cards.CardError):
        cards.revoke_card(card, by=club_staff, reason="")
    cards.revoke_card(card, by=club_staff, reason="会员退会")
    card.refresh_from_db()
    assert card.status == "revoked"
    with pytest.raises(cards.CardError):
        cards.revoke_card(card, by=club_staff, reason="again")


def test_the_member_reports_a_lost_card_on_the_site(client, member):
    client.force_login(member.user)
    old = member.cards.get()
    assert client.get(reverse("club:report_lost")).status_code == 405
    response = client.post(reverse("club:report_lost"), {"number": old.number}, follow=True)
    new = member.cards.get(status="active")
    assert new.formatted_number in response.content.decode()
    assert MemberCard.objects.get(pk=old.pk).status == "lost"
    # The same form again (a second tab, a double tap) leaves the new card alone.
    client.post(reverse("club:report_lost"), {"number": old.number})
    assert member.cards.get(status="active") == new and member.cards.count() == 2


def test_the_card_image_is_a_card_sized_png_of_the_members_own_card(client, member):
    client.force_login(member.user)
    response = client.get(reverse("club:card_png") + "?download=1")
    assert response["Content-Type"] == "image/png"
    assert member.cards.get().number in response["Content-Disposition"]
    image = Image.open(BytesIO(response.content))
    (width, height), (dpi_x, dpi_y) = image.size, image.info["dpi"]
    # Prints at card size (85.6 × 54 mm) from the resolution it records.
    assert (round(width / dpi_x * 25.4, 1), round(height / dpi_y * 25.4, 1)) == (85.7, 54.0)


def test_the_print_sheet_is_a_pdf_of_the_days_cards(client, make_member, club_staff):
    for n in range(12):
        make_member(f"m{n}")
    client.force_login(club_staff)
    url = reverse("club_cards:sheet")
    assert client.get(url).status_code == 200
    today = timezone.localdate().isoformat()
    response = client.post(url, {"issued_from": today, "issued_to": today})
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response.content.count(b"/Type /Page\n") + response.content.count(b"/Type /Page ") >= 2
    empty = client.post(url, {"issued_from": "2001-01-01", "issued_to": "2001-01-02"})
    assert empty.status_code == 200 and empty["Content-Type"].startswith("text/html")
    assert "help-critical" in empty.content.decode()  # the form says why


def test_the_desk_scans_a_card_and_sees_the_member(client, member, club_staff):
    client.force_login(club_staff)
    card = member.cards.get()
    page = client.post(reverse("club_check:index"), {"code": cards.qr_payload(card)})
    html = page.content.decode()
    assert member.number in html and "card-check--good" in html
    # A handheld scanner's URL form works too.
    assert (
        "card-check--good"
        in client.get(reverse("club_check:index"), {"code": card.number}).content.decode()
    )


def test_a_revoked_or_lost_card_says_so_at_the_desk(client, member, club_staff):
    client.force_login(club_staff)
    old = member.cards.get()
    new = cards.report_lost(member)
    html = client.post(reverse("club_check:index"), {"code": old.number}).content.decode()
    assert "card-check--bad" in html and new.formatted_number in html
    html = client.post(reverse("club_check:index"), {"code": "1234"}).content.decode()
    assert "card-check--bad" in html


def test_owners_cannot_reach_the_card_check(client, member):
    client.force_login(member.user)
    assert client.get(reverse("club_check:index")).status_code == 302


def test_the_card_image_carries_the_signed_qr_module_for_module(member):
    """Read the QR back off the PNG: every module on the card matches the signed payload's."""

    card = member.cards.select_related("member__user", "member__tier").get()
    image = Image.open(BytesIO(cards.card_png(card))).convert("L")
    code = segno.make(cards.qr_payload(card), error="m")
    rows = list(code.matrix_iter(scale=1, border=2))
    scale = (300 - 24) // len(rows)
    left = cards.WIDTH - 300 - 48 + (300 - len(rows) * scale) // 2
    top = 48 + (300 - len(rows) * scale) // 2
    for y, row in enumerate(rows):
        for x, dark in enumerate(row):
            pixel = image.getpixel((left + x * scale + scale // 2, top + y * scale + scale // 2))
            assert (pixel < 128) == bool(dark), (x, y)


def test_only_ascii_digits_make_a_card_number():
    assert not cards.is_valid_number("²" * 16)
    assert cards.find_card("²" * 16)[0] is None
