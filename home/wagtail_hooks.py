"""The page editor says what a manager's decision did: Wagtail answers every action on the edit
screen, approving and sending back included, with "the page has been updated"."""

from django.contrib import messages
from django.utils.translation import gettext as _
from wagtail import hooks


@hooks.register("after_edit_page")
def say_what_the_decision_did(request, page):
    if request.method != "POST" or "action-workflow-action" not in request.POST:
        return
    action = request.POST.get("workflow-action-name")
    title = page.get_admin_display_title()
    if action == "approve":
        page.refresh_from_db(fields=["live", "has_unpublished_changes"])
        if page.live and not page.has_unpublished_changes:
            said = _("Approved: “%(title)s” is published.")
        else:
            said = _("Approved: “%(title)s” goes on to its next review.")
    elif action == "reject":
        said = _("“%(title)s” is sent back to its editor for changes.")
    else:
        return
    # Reading the messages takes them off the page; all but Wagtail's "updated" (with its
    # buttons) go back.
    updated = _("Page '%(page_title)s' has been updated.") % {"page_title": title}
    kept = [m for m in messages.get_messages(request) if not str(m.message).startswith(updated)]
    for message in kept:
        messages.add_message(request, message.level, message.message, message.extra_tags)
    messages.success(request, said % {"title": title})
