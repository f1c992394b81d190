"""The member's side of the club: joining, "My club", the card, points, rewards, referrals."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from club import cards, membership, referrals
from club import rewards as reward_rules
from club.forms import ApplicationForm, ClubRecordForm, RedeemForm, ReferralForm
from club.models import (
    ClubPage,
    ClubSettings,
    Member,
    MemberCard,
    Redemption,
    Reward,
    Tier,
    active_member,
)
from club.points import next_tier
from club.reminders import BIRTHDAY_GREETINGS
from home.models import SiteImage
from owners.consent import consent_exempt
from portal.links import addresses
from portal.pagecache import PAGES
from portal.views import UnsubscribeView


def member_required(view):
    """Active members only; everyone else is sent to the club's page, which tells a suspended
    member why and others how to join."""

    def wrapped(request, *args, **kwargs):
        member = active_member(request.user)
        if member is None:
            return redirect("club:join")
        return view(request, member, *args, **kwargs)

    return wrapped


def join(request):
    """The way in from the tab bar: members go to their club page, others to the club's page."""
    if active_member(request.user):
        return redirect("club:home")
    page = ClubPage.objects.live().first()
    return redirect(page.url if page else "club:apply")


#: The tiers and points rules are kept this long at most, should they change with no signal
#: sent (an update()).
RULES_SECONDS = 10 * 60


def _club_rules(request):
    """The tiers, and the points rules left on the request, where Wagtail's `settings` in the
    templates finds them: kept with the pages, which a change of either refreshes
    (club.signals), so "My club" costs no query for them."""
    tiers, rules = PAGES.kept(
        "club:rules", lambda: (list(Tier.objects.all()), ClubSettings.load()), RULES_SECONDS
    )
    setattr(request, ClubSettings.get_cache_attr_name(), rules)
    return tiers


@member_required
def home(request, member):
    tiers = _club_rules(request)
    upcoming, to_go = next_tier(member, tiers)
    card = member.cards.filter(status=MemberCard.Status.ACTIVE).first()
    context = {
        "member": member,
        "card": card,
        "qr_svg": cards.qr_svg(cards.qr_payload(card)) if card else "",
        "next_tier": upcoming,
        "points_to_next_tier": to_go,
        "entries": member.points.all()[:8],
        "dates": member.dates.all(),
        "hobbies": member.hobbies.all(),
        "redemptions": member.redemptions.filter(status=Redemption.Status.REQUESTED).select_related(
            "reward"
        ),
    }
    return render(request, "club/home.html", context)


@login_required
def apply(request):
    problem = membership.why_not_eligible(request.user)
    if problem and active_member(request.user):
        return redirect("club:home")
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and not problem and form.is_valid():
        try:
            membership.apply(request.user, **form.record())
        except membership.MembershipError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Thank you! Your application is with the club staff; we will email you."),
            )
            return redirect("owners:dashboard")
    page = ClubPage.objects.live().first()
    return render(request, "club/apply.html", {"form": form, "problem": problem, "club_page": page})


@member_required
def edit(request, member):
    form = ClubRecordForm(request.POST or None, member=member)
    if request.method == "POST" and form.is_valid():
        membership.update_record(member, **form.record())
        messages.success(request, _("Your club record is saved."))
        return redirect("club:home")
    return render(request, "club/edit.html", {"form": form, "member": member})


@member_required
def history(request, member):
    page = Paginator(member.points.all(), 30).get_page(request.GET.get("page"))
    return render(request, "club/points.html", {"member": member, "page": page})


@member_required
def card_png(request, member):
    card = (
        member.cards.select_related("member__user", "member__record", "member__tier")
        .filter(status=MemberCard.Status.ACTIVE)
        .first()
    )
    if card is None:
        raise Http404
    response = HttpResponse(cards.card_png(card), content_type="image/png")
    if "download" in request.GET:
        response["Content-Disposition"] = f'attachment; filename="member-card-{card.number}.png"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@member_required
def report_lost(request, member):
    try:
        card = cards.report_lost(member, request.POST.get("number", ""))
    except cards.CardError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Your old card no longer works. Your new card number is %(number)s.")
            % {"number": card.formatted_number},
        )
    return redirect("club:home")


@member_required
def reward_list(request, member):
    # The pictures come with their renditions in one more query, not one query per reward.
    pictures = SiteImage.objects.prefetch_renditions("fill-480x320|format-webp")
    rewards = list(
        Reward.objects.available()
        .select_related("min_tier")
        .prefetch_related(Prefetch("image", queryset=pictures))
    )
    redeem = addresses("club:redeem")
    for reward in rewards:  # the rule redeem checks, asked here for the button
        reward.tier_problem = reward_rules.why_not_tier(member, reward)
        reward.redeem_url = redeem(reward.pk)
        reward.balance_after = member.points_balance - reward.points
    mine = member.redemptions.select_related("reward")[:20]
    return render(
        request,
        "club/rewards.html",
        {"member": member, "rewards": rewards, "redemptions": mine, "form": RedeemForm()},
    )


@require_POST
@member_required
def redeem(request, member, pk):
    reward = get_object_or_404(Reward, pk=pk)  # the rules say if it is no longer on offer
    form = RedeemForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The form has expired; please try again."))
        return redirect("club:rewards")
    # One key per page and reward: a double click redeems once, another reward is its own.
    key = f"{form.cleaned_data['key']}:{reward.pk}"
    try:
        redemption, created = reward_rules.redeem(member, reward, key=key)
    except reward_rules.RedemptionError as error:
        messages.error(request, str(error))
    else:
        if created:
            messages.success(
                request,
                _("%(reward)s is yours. Show your member card at the club desk to collect it.")
                % {"reward": reward.name},
            )
        else:
            messages.info(request, _("You have already redeemed this; it is in your list below."))
    return redirect("club:rewards")


@member_required
def refer(request, member):
    form = ReferralForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            referrals.refer(member, **form.cleaned_data)
        except referrals.ReferralError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Thank you! You earn the referral points once staff confirm the purchase."),
            )
            return redirect("club:refer")
    return render(
        request,
        "club/refer.html",
        {"form": form, "member": member, "referrals": member.referrals.all()[:50]},
    )


class StopBirthdayGreetings(UnsubscribeView):
    """Stop the birthday greeting from the link in one, without signing in."""

    email_list = BIRTHDAY_GREETINGS
    words = UnsubscribeView.Words(
        heading=gettext_lazy("Birthday greetings"),
        question=gettext_lazy("Stop emailing you a birthday greeting?"),
        done=gettext_lazy(
            "Done: we will not email you a birthday greeting any more. Your birthday points "
            "still come, and you can turn the greeting back on in My club."
        ),
        invalid=gettext_lazy(
            "This link is not valid. Sign in and change your choices on your club page."
        ),
    )

    def find(self, user_id):
        return Member.objects.filter(user_id=user_id).first()

    def stop(self, member):
        member.birthday_greeting = False
        member.save(update_fields=["birthday_greeting"])


stop_birthday_greetings = consent_exempt(StopBirthdayGreetings.as_view())
