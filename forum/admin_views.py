"""Moderation screens: a report, a topic or a post, with the actions moderators take on it.

Each action is a small function (view, form data) -> message for the moderator; the rules and
the audit log live in forum.moderation.
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from forum import moderation
from forum.admin_forms import ModerationForm
from forum.models import Post, Report, Topic
from portal.admin_actions import ActionsInspectView

Error = moderation.ModerationError


def hide_post(post_of):
    def act(view, data):
        moderation.hide_post(post_of(view.object), view.request.user, data["reason"])
        return _("Post hidden; its author has been told why.")

    return act, Error


def warn(author_of):
    def act(view, data):
        author = author_of(view.object)
        moderation.warn(author, view.request.user, data["reason"])
        return _("%(name)s has been warned.") % {"name": author.display_name}

    return act, Error


def suspend(author_of):
    def act(view, data):
        if not data.get("until"):
            raise Error(_("Choose until when the author may not post."))
        author = author_of(view.object)
        moderation.suspend(author, view.request.user, data["until"], data["reason"])
        return _("%(name)s may not post until %(until)s.") % {
            "name": author.display_name,
            "until": data["until"].strftime("%Y-%m-%d %H:%M"),
        }

    return act, Error


def set_flag(flag, value, message):
    def act(view, data):
        moderation.set_flags(view.object, view.request.user, **{flag: value})
        return message

    return act, Error


def dismiss_report(view, data):
    moderation.dismiss_report(view.object, view.request.user)
    return _("Report dismissed.")


def restore_post(view, data):
    moderation.restore_post(view.object, view.request.user)
    return _("Post restored.")


def hide_topic(view, data):
    moderation.hide_topic(view.object, view.request.user, data["reason"])
    return _("Topic hidden; its author has been told why.")


def restore_topic(view, data):
    moderation.restore_topic(view.object, view.request.user)
    return _("Topic restored.")


def rename_topic(view, data):
    moderation.rename_topic(view.object, view.request.user, data.get("title") or "")
    return _("Renamed; its author has been told.")


def move_topic(view, data):
    if not data.get("board"):
        raise Error(_("Choose the board to move the topic to."))
    moderation.move_topic(view.object, view.request.user, data["board"])
    return _("Moved to %(board)s.") % {"board": data["board"]}


class ModerationView(ActionsInspectView):
    action_form_class = ModerationForm
    page_title = gettext_lazy("Moderate")


class ReportReviewView(ModerationView):
    actions = {
        "dismiss": (dismiss_report, Error),
        "hide": hide_post(lambda report: report.post),
        "warn": warn(lambda report: report.post.author),
        "suspend": suspend(lambda report: report.post.author),
    }

    def get_object(self, queryset=None):
        reports = Report.objects.select_related("post__topic__board", "post__author", "reporter")
        return get_object_or_404(reports, pk=self.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["post"] = self.object.post
        context["other_reports"] = (
            Report.objects.filter(post=self.object.post)
            .exclude(pk=self.object.pk)
            .select_related("reporter")
        )
        return context


class TopicModerationView(ModerationView):
    actions = {
        "pin": set_flag("is_pinned", True, gettext_lazy("Pinned.")),
        "unpin": set_flag("is_pinned", False, gettext_lazy("Unpinned.")),
        "lock": set_flag("is_locked", True, gettext_lazy("Locked: no new replies.")),
        "unlock": set_flag("is_locked", False, gettext_lazy("Unlocked.")),
        "hide": (hide_topic, Error),
        "restore": (restore_topic, Error),
        "move": (move_topic, Error),
        "rename": (rename_topic, Error),
    }

    def get_object(self, queryset=None):
        return get_object_or_404(Topic.objects.select_related("board", "author"), pk=self.pk)


class PostModerationView(ModerationView):
    actions = {
        "hide": hide_post(lambda post: post),
        "restore": (restore_post, Error),
        "warn": warn(lambda post: post.author),
        "suspend": suspend(lambda post: post.author),
    }

    def get_object(self, queryset=None):
        posts = Post.objects.select_related("topic__board", "author").prefetch_related(
            "revisions__editor", "images"
        )
        return get_object_or_404(posts, pk=self.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["post"] = self.object
        return context
