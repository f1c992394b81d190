"""The member club in the Wagtail admin: one menu for the club desk's daily work."""

import django_filters
from django.db.models import Case, IntegerField, Value, When
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import HeaderButton
from wagtail.permissions import register_permission_policy

from club import admin_views, cards
from club.admin_forms import RewardEditForm
from club.models import (
    Hobby,
    Member,
    MemberCard,
    MembershipApplication,
    PointsEntry,
    Redemption,
    Referral,
    Reward,
    Tier,
)
from club.reminders import month_days_ahead
from owners.models import Estate
from portal.admin_actions import ActionsOnlyViewSet, InspectFirstIndexView, RulesOnlyPolicy

for model, actions in (
    (MembershipApplication, ("view",)),
    (Member, ("view", "change")),
    (PointsEntry, ("view",)),
    (MemberCard, ("view",)),
    (Redemption, ("view",)),
    (Referral, ("view",)),
):
    register_permission_policy(model, RulesOnlyPolicy(model, actions), exact_class=True)


def first_when(status):
    """Order by this status first (the work waiting), then the rest."""
    return Case(When(status=status, then=Value(0)), default=Value(1), output_field=IntegerField())


class ApplicationViewSet(ModelViewSet):
    """入会审核: pending applications first, oldest first."""

    model = MembershipApplication
    name = "club_applications"
    url_prefix = "club/applications"
    icon = "form"
    menu_label = _("Applications")
    list_display = [
        "user",
        Column("status", label=_("Status"), accessor="get_status_display"),
        DateColumn("created_at", label=_("Submitted")),
        "reviewed_by",
    ]
    list_filter = ["status"]
    search_fields = ["user__real_name", "user__email", "user__mobile"]
    index_view_class = InspectFirstIndexView
    inspect_view_enabled = True
    inspect_view_class = admin_views.ApplicationReviewView
    add_to_reference_index = False
    copy_view_enabled = False
    form_fields = []  # never edited here: see RulesOnlyPolicy

    def get_index_view_kwargs(self, **kwargs):
        queryset = (
            MembershipApplication.objects.select_related("user", "reviewed_by")
            .annotate(waiting=first_when(MembershipApplication.Status.PENDING))
            .order_by("waiting", "created_at")
        )
        return super().get_index_view_kwargs(queryset=queryset, **kwargs)


class UpcomingDateFilter(django_filters.ChoiceFilter):
    def filter(self, queryset, value):
        if not value:
            return queryset
        ahead = month_days_ahead(int(value))
        return queryset.filter(
            pk__in=Member.objects.filter(dates__month_day__in=ahead).values("pk")
        )


class MemberFilterSet(WagtailFilterSet):
    estate = django_filters.ModelChoiceFilter(
        label=_("Estate"), queryset=Estate.objects.all(), method="filter_estate"
    )
    hobby = django_filters.ModelChoiceFilter(
        label=_("Hobby"), queryset=Hobby.objects.all(), field_name="hobbies"
    )
    upcoming = UpcomingDateFilter(
        label=_("Important date coming up"),
        choices=[("7", _("In the next 7 days")), ("30", _("In the next 30 days"))],
    )

    class Meta:
        model = Member
        fields = ["tier", "status"]

    def filter_estate(self, queryset, name, value):
        owners = Member.objects.filter(
            user__claims__status="approved", user__claims__unit__estate=value
        ).values("pk")
        return queryset.filter(pk__in=owners)


class MemberIndexView(InspectFirstIndexView):
    @cached_property
    def header_buttons(self):
        buttons = list(super().header_buttons)
        if self.request.user.has_perm("club.review_membershipapplication"):
            url = reverse("club_members:enrol")
            buttons.append(HeaderButton(_("Enrol at the desk"), url=url, icon_name="plus"))
        return buttons


class MemberViewSet(ModelViewSet):
    model = Member
    name = "club_members"
    url_prefix = "club/members"
    icon = "group"
    menu_label = _("Members")
    filterset_class = MemberFilterSet
    list_display = [
        "number",
        Column("name", label=_("Name"), accessor="holder_name"),
        "tier",
        Column("status", label=_("Status"), accessor="get_status_display"),
        Column("points_balance", label=_("Points"), sort_key="points_balance"),
        DateColumn("joined_at", label=_("Joined")),
    ]
    list_export = [
        "number",
        "holder_name",
        "email",
        "mobile",
        "tier",
        "status",
        "points_balance",
        "tier_points",
        "publications",
        "event_news",
        "joined_at",
    ]
    export_headings = {
        "holder_name": _("Name"),
        "email": _("Email address"),
        "mobile": _("Mobile number"),
    }
    export_filename = "club-members"
    search_fields = [
        "number",
        "user__real_name",
        "user__email",
        "user__mobile",
        "record__name",
        "record__mobile",
    ]
    form_fields = [
        "hobbies",
        "other_hobbies",
        "publications",
        "event_news",
        "birthday_greeting",
    ]
    index_view_class = MemberIndexView
    inspect_view_enabled = True
    inspect_view_class = admin_views.MemberScreen
    add_to_reference_index = False
    copy_view_enabled = False
    list_per_page = 50

    def get_index_view_kwargs(self, **kwargs):
        queryset = Member.objects.select_related("user", "record", "tier").order_by("-joined_at")
        return super().get_index_view_kwargs(queryset=queryset, **kwargs)

    def get_inspect_view_kwargs(self, **kwargs):
        return super().get_inspect_view_kwargs(ledger_url_name="club_points:index", **kwargs)

    def get_urlpatterns(self):
        enrol = admin_views.DeskEnrolView.as_view(member_url_name=self.get_url_name("inspect"))
        return [*super().get_urlpatterns(), path("enrol/", enrol, name="enrol")]


class PointsFilterSet(WagtailFilterSet):
    member = django_filters.NumberFilter(
        field_name="member", widget=django_filters.widgets.forms.HiddenInput
    )
    created_at = django_filters.DateFromToRangeFilter(label=_("When"), widget=DateRangePickerWidget)

    class Meta:
        model = PointsEntry
        fields = ["kind", "member", "created_at"]


class PointsViewSet(ActionsOnlyViewSet):
    """积分流水: the whole ledger, read-only, filterable by member, kind and date."""

    model = PointsEntry
    name = "club_points"
    url_prefix = "club/points"
    icon = "list-ul"
    menu_label = _("Points ledger")
    filterset_class = PointsFilterSet
    list_display = [
        DateColumn("created_at", label=_("When")),
        "member",
        Column("kind", label=_("Kind"), accessor="get_kind_display"),
        Column("delta", label=_("Points")),
        Column("balance_after", label=_("Balance after")),
        "reason",
        "created_by",
    ]
    list_export = [
        "created_at",
        "member",
        "kind",
        "delta",
        "balance_after",
        "reason",
        "key",
        "created_by",
        "expires_at",
    ]
    export_filename = "points-ledger"
    search_fields = [
        "member__number",
        "member__user__real_name",
        "member__record__name",
        "reason",
        "key",
    ]
    list_per_page = 50

    def get_index_view_kwargs(self, **kwargs):
        queryset = PointsEntry.objects.select_related(
            "member__user", "member__record", "created_by"
        )
        return super().get_index_view_kwargs(queryset=queryset, **kwargs)


class CardIndexView(InspectFirstIndexView):
    sheet_url_name = check_url_name = None

    @cached_property
    def header_buttons(self):

        buttons = list(super().header_buttons)
        buttons.append(
            HeaderButton(_("Check a card"), url=reverse(self.check_url_name), icon_name="search")
        )
        if cards.can_manage_cards(self.request.user):
            buttons.append(
                HeaderButton(
                    _("Print cards"), url=reverse(self.sheet_url_name), icon_name="doc-full"
                )
            )
        return buttons


class CardViewSet(ModelViewSet):
    model = MemberCard
    name = "club_cards"
    url_prefix = "club/cards"
    icon = "tag"
    menu_label = _("Member cards")
    list_display = [
        Column("number", label=_("Card number"), accessor="formatted_number"),
        "member",
        Column("status", label=_("Status"), accessor="get_status_display"),
        DateColumn("issued_at", label=_("Issued")),
        "end_reason",
    ]
    list_filter = ["status"]
    list_export = ["number", "member", "status", "issued_at", "issued_by", "ended_at", "end_reason"]
    export_filename = "member-cards"
    search_fields = ["number", "member__number", "member__user__real_name", "member__record__name"]
    index_view_class = CardIndexView
    add_to_reference_index = False
    copy_view_enabled = False
    form_fields = []  # never edited here: see RulesOnlyPolicy

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            # Everything the list and its spreadsheet show, in one query (the export's "issued
            # by" too).
            queryset=MemberCard.objects.select_related(
                "member__user", "member__record", "issued_by"
            ),
            sheet_url_name=self.get_url_name("sheet"),
            check_url_name="club_check:index",
            **kwargs,
        )

    def get_urlpatterns(self):
        sheet = admin_views.CardSheetView.as_view()
        return [*super().get_urlpatterns(), path("sheet/", sheet, name="sheet")]


class CardCheckViewSet(ViewSet):
    name = "club_check"
    url_prefix = "club/check"
    icon = "search"
    menu_label = _("Check a card")

    def get_urlpatterns(self):
        view = admin_views.CardCheckView.as_view(member_url_name="club_members:inspect")
        return [path("", view, name="index")]

    menu_item_class = type(
        "CardCheckMenuItem",
        (MenuItem,),
        {"is_shown": lambda self, request: request.user.has_perm("club.view_membercard")},
    )


class SurveyAnswersViewSet(ViewSet):
    name = "club_surveys"
    url_prefix = "club/surveys"
    icon = "form"
    menu_label = _("Survey answers")

    def get_urlpatterns(self):
        return [path("", admin_views.SurveyAnswersView.as_view(), name="index")]

    menu_item_class = type(
        "SurveyAnswersMenuItem",
        (MenuItem,),
        {"is_shown": lambda self, request: request.user.has_perm("club.view_surveyanswer")},
    )


class RedemptionViewSet(ActionsOnlyViewSet):
    """礼品兑换: what members redeemed, waiting hand-overs first."""

    model = Redemption
    name = "club_redemptions"
    url_prefix = "club/redemptions"
    icon = "pick"
    menu_label = _("Redemptions")
    list_display = [
        "reward",
        "member",
        "points",
        Column("status", label=_("Status"), accessor="get_status_display"),
        DateColumn("created_at", label=_("Redeemed")),
    ]
    list_filter = ["status", "reward"]
    list_export = [
        "created_at",
        "reward",
        "member",
        "points",
        "status",
        "handled_by",
        "handled_at",
        "reason",
    ]
    export_filename = "redemptions"
    search_fields = [
        "member__number",
        "member__user__real_name",
        "member__record__name",
        "reward__name",
    ]
    index_view_class = InspectFirstIndexView
    inspect_view_enabled = True
    inspect_view_class = admin_views.RedemptionScreen

    def get_index_view_kwargs(self, **kwargs):
        queryset = (
            Redemption.objects.select_related(
                "reward", "member__user", "member__record", "handled_by"
            )
            .annotate(waiting=first_when(Redemption.Status.REQUESTED))
            .order_by("waiting", "created_at")
        )
        return super().get_index_view_kwargs(queryset=queryset, **kwargs)


class ReferralViewSet(ModelViewSet):
    model = Referral
    name = "club_referrals"
    url_prefix = "club/referrals"
    icon = "user"
    menu_label = _("Referrals")
    list_display = [
        "member",
        "buyer_name",
        "development",
        Column("status", label=_("Status"), accessor="get_status_display"),
        DateColumn("created_at", label=_("Submitted")),
    ]
    list_filter = ["status"]
    list_export = [
        "created_at",
        "member",
        "buyer_name",
        "buyer_mobile",
        "development",
        "note",
        "status",
        "reason",
    ]
    export_filename = "referrals"
    search_fields = [
        "buyer_name",
        "buyer_mobile",
        "member__number",
        "member__user__real_name",
        "member__record__name",
    ]
    index_view_class = InspectFirstIndexView
    inspect_view_enabled = True
    inspect_view_class = admin_views.ReferralScreen
    add_to_reference_index = False
    copy_view_enabled = False
    form_fields = []  # never edited here: see RulesOnlyPolicy

    def get_index_view_kwargs(self, **kwargs):
        queryset = (
            Referral.objects.select_related("member__user", "member__record")
            .annotate(waiting=first_when(Referral.Status.PENDING))
            .order_by("waiting", "created_at")
        )
        return super().get_index_view_kwargs(queryset=queryset, **kwargs)


class RewardViewSet(ModelViewSet):
    model = Reward
    name = "club_rewards"
    url_prefix = "club/rewards"
    icon = "pick"
    menu_label = _("Rewards")
    form_fields = [
        "name",
        "description",
        "image",
        "kind",
        "credit",
        "points",
        "stock",
        "limit_per_member",
        "min_tier",
        "available_from",
        "available_until",
        "is_active",
    ]
    list_display = ["name", "points", "stock", "limit_per_member", "min_tier", "is_active"]
    list_filter = ["is_active", "kind"]
    sort_order_field = "sort_order"
    add_to_reference_index = False
    delete_view_class = admin_views.RewardDeleteView

    def get_form_class(self, for_update=False):
        return RewardEditForm if for_update else super().get_form_class(for_update)


class TierViewSet(ModelViewSet):
    model = Tier
    name = "club_tiers"
    url_prefix = "club/tiers"
    icon = "order"
    menu_label = _("Tiers")
    form_fields = ["name", "min_points", "colour"]
    list_display = ["name", "min_points", "colour"]
    add_to_reference_index = False


class HobbyViewSet(ModelViewSet):
    model = Hobby
    name = "club_hobbies"
    url_prefix = "club/hobbies"
    icon = "tag"
    menu_label = _("Hobbies")
    form_fields = ["name"]
    list_display = ["name"]
    sort_order_field = "sort_order"
    add_to_reference_index = False


class ClubViewSetGroup(ViewSetGroup):
    menu_label = _("Member club")
    menu_icon = "group"
    menu_order = 160
    items = (
        ApplicationViewSet,
        MemberViewSet,
        CardCheckViewSet,
        RedemptionViewSet,
        ReferralViewSet,
        PointsViewSet,
        SurveyAnswersViewSet,
        CardViewSet,
        RewardViewSet,
        TierViewSet,
        HobbyViewSet,
    )
