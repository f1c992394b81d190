"""The admin's sidebar (its menus, its search and the account menu), kept per staff member.

Wagtail builds the sidebar on every admin screen: each menu item asks the permission policies
whether to show itself, and the lot is packed for the browser — about a quarter of a ledger
page's time. What it shows depends on who is signed in (their permissions, roles, page and
collection permissions, name and avatar), the language, the release and the page tree (the
explorer starts at the pages one may edit; Forms shows once a form page one may edit exists):
the current item is marked in the browser. So it is kept under a scope of its own, which every
change of those bumps (`STAFF_MENUS`), and Wagtail's tag is replaced by one that reads what was
kept. Kept in the shared cache alone: one per staff member and language, they would crowd the
process's few entries.

The dialog of keyboard shortcuts, on every admin screen too, shows the same for everyone who
reads the same language on the same kind of keyboard: it is rendered once per process for each.
So is Wagtail's configuration for its scripts (the content languages, the admin's addresses, the
names of months and days), but for what is the request's or the reader's (`PER_REQUEST`).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from wagtail.admin.templatetags import wagtailadmin_tags
from wagtail.models import GroupCollectionPermission, GroupPagePermission, Locale, Page, Site
from wagtail.signals import post_page_move
from wagtail.users.models import UserProfile

from portal import pagecache

STAFF_MENUS = pagecache.Scope("staff-menus", pages=False)
_build = wagtailadmin_tags.sidebar_props


@wagtailadmin_tags.register.simple_tag(takes_context=True, name="sidebar_props")
def sidebar_props(context):
    """Wagtail's sidebar props for the reader, built once per person, language and version."""
    user = context["request"].user
    key = f"sidebar:{user.pk}:{get_language()}"
    return mark_safe(STAFF_MENUS.kept(key, lambda: str(_build(context)), local=False))


_shortcuts = wagtailadmin_tags.keyboard_shortcuts_dialog
#: What a dialog of shortcuts shows -> its HTML: a handful, the languages by kinds of keyboard.
_dialogs = {}


@wagtailadmin_tags.register.simple_tag(takes_context=True, name="keyboard_shortcuts_dialog")
def keyboard_shortcuts_dialog(context):
    """Wagtail's dialog of keyboard shortcuts, from what Wagtail says it shows (the keys of the
    reader's keyboard, whether they turned shortcuts off), rendered once per process for each."""
    shown = _shortcuts(context)
    key = repr(
        (
            get_language(),
            shown["keyboard_shortcuts_enabled"],
            [
                (*map(str, section), [tuple(map(str, keys)) for keys in rows if keys])
                for section, rows in shown["shortcuts"].items()
            ],
        )
    )
    html = _dialogs.get(key)
    if html is None:
        html = _dialogs[key] = render_to_string(
            "wagtailadmin/shared/keyboard_shortcuts_dialog.html", shown
        )
    return mark_safe(html)  # rendered by Wagtail's template, which escapes


_wagtail_config = wagtailadmin_tags.wagtail_config


@wagtailadmin_tags.register.simple_tag(takes_context=True, name="wagtail_config")
def wagtail_config(context):
    """Wagtail's configuration for the admin's scripts: what is the same for every reader of a
    language built once per process and language (and version: a content language added bumps
    it), what is the request's or the reader's set on each screen, as Wagtail sets it."""
    key = f"wagtail-config:{get_language()}"
    config = STAFF_MENUS.kept(key, lambda: _shared_config(context))
    request = context["request"]
    config["CSRF_TOKEN"] = get_token(request)
    if locale := context.get("locale"):
        config["ACTIVE_CONTENT_LOCALE"] = locale.language_code
    profile = getattr(request.user, "wagtail_userprofile", None)
    config["KEYBOARD_SHORTCUTS_ENABLED"] = profile.keyboard_shortcuts if profile else True
    return config


#: The parts of Wagtail's configuration that are the request's or the reader's.
PER_REQUEST = ("CSRF_TOKEN", "ACTIVE_CONTENT_LOCALE", "KEYBOARD_SHORTCUTS_ENABLED")


def _shared_config(context):
    return {
        name: value for name, value in _wagtail_config(context).items() if name not in PER_REQUEST
    }


def bump(**kwargs):
    STAFF_MENUS.bump()


def bump_for_staff(instance, update_fields=None, **kwargs):
    """A staff member's account saved: their name, email (the avatar) or superuser flag may
    have changed. An owner's is no concern of the admin's menus, nor is signing in, which
    saves the time of it (a role given or taken changes the groups, which bumps anyway)."""
    if not (instance.is_staff or instance.is_superuser):
        return
    if update_fields is None or set(update_fields) - {"last_login"}:
        STAFF_MENUS.bump()


def bump_for_new_pages(sender, instance, created, **kwargs):
    """A page added (every model's saves are sent here: a page's is sent by its own class)."""
    if created and isinstance(instance, Page):
        STAFF_MENUS.bump()


def connect():
    """Every change a sidebar shows bumps the menus' version."""
    User = get_user_model()
    post_save.connect(bump_for_staff, sender=User, dispatch_uid="menus:user")
    post_delete.connect(bump, sender=User, dispatch_uid="menus:user-gone")
    for model in (Group, Permission, GroupPagePermission, GroupCollectionPermission, Site, Locale):
        for signal in (post_save, post_delete):
            signal.connect(bump, sender=model, dispatch_uid=f"menus:{model.__name__}:{signal}")
    post_save.connect(bump, sender=UserProfile, dispatch_uid="menus:profile")
    post_save.connect(bump_for_new_pages, dispatch_uid="menus:page-added")
    # A deleted page is sent as a Page too; a receiver for every model's deletes would make
    # Django load each row before deleting it.
    post_delete.connect(bump, sender=Page, dispatch_uid="menus:page-deleted")
    post_page_move.connect(bump, dispatch_uid="menus:page-moved")
    for through in (
        User.groups.through,
        User.user_permissions.through,
        Group.permissions.through,
    ):
        m2m_changed.connect(bump, sender=through, dispatch_uid=f"menus:{through}")
