from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from forum import access
from forum.admin_panels import ForumQueuesPanel
from forum.viewsets import ForumViewSetGroup


@hooks.register("register_admin_viewset")
def register_forum_viewsets():
    return ForumViewSetGroup()


@hooks.register("construct_homepage_panels")
def add_forum_panels(request, panels):
    questions, reports = access.is_forum_staff(request.user), access.is_moderator(request.user)
    if questions or reports:
        panels.append(ForumQueuesPanel(questions, reports))


@hooks.register("register_log_actions")
def register_forum_log_actions(actions):
    for action, label, message in [
        ("forum.post.hide", _("Hide post"), _("Post hidden")),
        ("forum.post.edit", _("Edit an owner's post"), _("Owner's post edited")),
        ("forum.post.restore", _("Restore post"), _("Post restored")),
        ("forum.report.dismiss", _("Dismiss report"), _("Report dismissed")),
        ("forum.topic.hide", _("Hide topic"), _("Topic hidden")),
        ("forum.topic.restore", _("Restore topic"), _("Topic restored")),
        ("forum.topic.pin", _("Pin topic"), _("Topic pinned")),
        ("forum.topic.unpin", _("Unpin topic"), _("Topic unpinned")),
        ("forum.topic.lock", _("Lock topic"), _("Topic locked")),
        ("forum.topic.unlock", _("Unlock topic"), _("Topic unlocked")),
        ("forum.topic.move", _("Move topic"), _("Topic moved")),
        ("forum.topic.rename", _("Rename topic"), _("Topic renamed")),
        ("forum.user.warn", _("Warn owner"), _("Owner warned")),
        ("forum.user.suspend", _("Suspend owner"), _("Owner suspended from posting")),
    ]:
        actions.register_action(action, label, message)
