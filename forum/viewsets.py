"""The forum in the Wagtail admin: boards, reports, topics, posts, suspensions, and the queue of
owner questions waiting for a spokesperson."""

from django.db.models import Case, IntegerField, Value, When
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail.admin.ui.tables import BooleanColumn, Column, DateColumn
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from forum import admin_views
from forum.models import Board, Post, Report, Suspension, Topic
from portal.admin_actions import ActionsOnlyViewSet


class BoardViewSet(ModelViewSet):
    model = Board
    name = "boards"
    url_prefix = "forum/boards"
    icon = "folder-open-inverse"
    menu_label = _("Boards")
    form_fields = ["name", "slug", "description", "readers", "writers", "is_question_board"]
    list_display = [
        "name",
        Column("readers", label=_("Who may read"), accessor="get_readers_display"),
        Column("writers", label=_("Who may post"), accessor="get_writers_display"),
        BooleanColumn("is_question_board", label=_("Owner questions")),
        Column("topic_count", label=_("Topics")),
        Column("post_count", label=_("Posts")),
    ]
    sort_order_field = "sort_order"
    add_to_reference_index = False


class ReportViewSet(ActionsOnlyViewSet):
    """Open reports first, oldest first."""

    model = Report
    name = "reports"
    url_prefix = "forum/reports"
    icon = "warning"
    menu_label = pgettext_lazy("forum", "Reports")
    list_display = [
        "__str__",
        "reporter",
        Column("status", label=_("Status"), accessor="get_status_display"),
        DateColumn("created_at", label=_("Reported")),
    ]
    list_filter = ["status", "reason"]
    inspect_view_enabled = True
    inspect_view_class = admin_views.ReportReviewView
    inspect_template_name = "forum/admin/report_review.html"

    def get_index_view_kwargs(self, **kwargs):
        open_first = Case(
            When(status="open", then=Value(0)), default=Value(1), output_field=IntegerField()
        )
        queryset = (
            Report.objects.select_related("post__topic", "reporter")
            .annotate(open_first=open_first)
            .order_by("open_first", "created_at")
        )
        return super().get_index_view_kwargs(queryset=queryset, **kwargs)


class TopicViewSet(ActionsOnlyViewSet):
    model = Topic
    name = "topics"
    url_prefix = "forum/topics"
    icon = "comment"
    menu_label = _("Topics")
    list_display = [
        "title",
        "board",
        "author",
        BooleanColumn("is_pinned", label=_("Pinned")),
        BooleanColumn("is_locked", label=_("Locked")),
        BooleanColumn("is_hidden", label=_("Hidden")),
        DateColumn("last_post_at", label=_("Last activity")),
    ]
    list_filter = ["board", "is_pinned", "is_locked", "is_hidden"]
    search_fields = ["title"]
    inspect_view_enabled = True
    inspect_view_class = admin_views.TopicModerationView
    inspect_template_name = "forum/admin/topic_moderation.html"

    def topics(self):
        return Topic.objects.select_related("board", "author").order_by("-last_post_at")

    def get_index_view_kwargs(self, **kwargs):
        return super().get_index_view_kwargs(
            queryset=self.topics(), page_title=self.menu_label, **kwargs
        )


class AwaitingReplyViewSet(TopicViewSet):
    """Owner questions no spokesperson has answered yet, the longest waiting first."""

    name = "awaiting_reply"
    url_prefix = "forum/awaiting-reply"
    icon = "help"
    menu_label = _("Awaiting official reply")
    list_display = ["title", "board", "author", DateColumn("created_at", label=_("Waiting since"))]
    list_filter = ["board"]
    search_fields = None

    def topics(self):
        waiting = Topic.objects.awaiting_official_reply().select_related("board", "author")
        return waiting.order_by("created_at")


class PostViewSet(ActionsOnlyViewSet):
    model = Post
    name = "posts"
    url_prefix = "forum/posts"
    icon = "doc-full"
    menu_label = _("Posts")
    list_display = [
        "__str__",
        "author",
        BooleanColumn("is_official", label=_("Official reply")),
        BooleanColumn("is_hidden", label=_("Hidden")),
        DateColumn("created_at", label=_("Posted")),
    ]
    list_filter = ["is_hidden", "is_official", "deleted_by_author"]
    search_fields = ["search_text"]
    inspect_view_enabled = True
    inspect_view_class = admin_views.PostModerationView
    inspect_template_name = "forum/admin/post_moderation.html"

    def get_index_view_kwargs(self, **kwargs):
        queryset = Post.objects.select_related("topic", "author").order_by("-created_at")
        return super().get_index_view_kwargs(queryset=queryset, **kwargs)


class SuspensionViewSet(ModelViewSet):
    model = Suspension
    name = "suspensions"
    url_prefix = "forum/suspensions"
    icon = "lock"
    menu_label = _("Posting suspensions")
    # Moderators shorten or lift a suspension here; they impose one from a report or a post.
    form_fields = ["until", "reason"]
    list_display = ["user", DateColumn("until", label=_("Until")), "reason", "created_by"]
    add_to_reference_index = False

    def get_index_view_kwargs(self, **kwargs):
        queryset = Suspension.objects.select_related("user", "created_by")
        return super().get_index_view_kwargs(queryset=queryset, **kwargs)


class ForumViewSetGroup(ViewSetGroup):
    menu_label = _("Forum")
    menu_icon = "group"
    menu_order = 210
    items = (
        AwaitingReplyViewSet,
        ReportViewSet,
        TopicViewSet,
        PostViewSet,
        BoardViewSet,
        SuspensionViewSet,
    )
