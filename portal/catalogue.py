"""Django's, allauth's and Wagtail's strings that show on the site's pages and the staff's main
admin screens, said the site's way.

Django looks a string up in the project's catalogue (locale/) before an app's, and the project's
catalogue carries only the strings that occur in the site's code (`make messages`). Listing them
here puts them there, translated with 您, the site's words (电子邮件, 退出登录, 账号) and full-width
punctuation, or translated at all: Django's Chinese lacks the current wording of the
short-password error. Nothing imports this module; it is read by `makemessages` only.
"""

from django.utils.translation import gettext_noop, ngettext_lazy, pgettext_lazy

STRINGS = (
    # allauth: signing out, signing up, confirming an email address.
    gettext_noop("Sign Out"),
    gettext_noop("Are you sure you want to sign out?"),
    gettext_noop("You have signed out."),
    gettext_noop("Already have an account? Then please %(link)ssign in%(end_link)s."),
    gettext_noop("Verify Your Email Address"),
    gettext_noop("Confirm Email Address"),
    # allauth: asking for the password again.
    gettext_noop("Please reauthenticate to safeguard your account."),
    gettext_noop("Enter your password:"),
    gettext_noop("Incorrect password."),
    gettext_noop("Alternative options"),
    gettext_noop("Use your password"),
    gettext_noop("Send me a sign-in code"),
    gettext_noop("Use authenticator app or code"),
    # allauth: signing in with the number or an address, by password or by a code.
    gettext_noop("Email or phone"),
    pgettext_lazy("field label", "Login"),
    gettext_noop("Enter Sign-In Code"),
    gettext_noop("Request new code"),
    gettext_noop("Verify Phone Number"),
    gettext_noop("Change Phone Number"),
    gettext_noop("Incorrect code."),
    gettext_noop("Code"),
    gettext_noop(
        "We've sent a code to %(recipient)s. The code expires shortly, so please enter it soon."
    ),
    gettext_noop("Phone Verification"),
    gettext_noop("Enter Phone Verification Code"),
    gettext_noop("Use a different phone number"),
    gettext_noop("Change Phone"),
    pgettext_lazy("action", "Change Phone"),
    gettext_noop("Current phone"),
    gettext_noop("Change to"),
    gettext_noop("Your phone number is still pending verification."),
    gettext_noop("Re-send Verification"),
    gettext_noop("A verification code has been sent to %(phone)s."),
    gettext_noop("You have verified phone number %(phone)s."),
    gettext_noop("A sign-in code has been sent to %(recipient)s."),
    # Django's password validators (the hints under every new-password field, and two errors).
    gettext_noop("Your password can’t be too similar to your other personal information."),
    ngettext_lazy(
        "Your password must contain at least %(min_length)d character.",
        "Your password must contain at least %(min_length)d characters.",
    ),
    gettext_noop("Your password can’t be a commonly used password."),
    gettext_noop("Your password can’t be entirely numeric."),
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
    ),
    gettext_noop("This password is entirely numeric."),
    # Wagtail's admin: the strings of the dashboard, listings and the page explorer that its own
    # Chinese catalogue lacks (portal/tests/test_language_leaks.py finds them).
    ngettext_lazy(
        '%(total)s Page <span class="w-sr-only">created in %(site_name)s</span>',
        '%(total)s Pages <span class="w-sr-only">created in %(site_name)s</span>',
    ),
    ngettext_lazy(
        '%(total)s Document <span class="w-sr-only">created in %(site_name)s</span>',
        '%(total)s Documents <span class="w-sr-only">created in %(site_name)s</span>',
    ),
    ngettext_lazy(
        '%(total)s Image <span class="w-sr-only">created in %(site_name)s</span>',
        '%(total)s Images <span class="w-sr-only">created in %(site_name)s</span>',
    ),
    gettext_noop("Wagtail %(current_version)s editor guide"),
    gettext_noop(
        'There are no %(model_name)s to display. Why not <a href="%(add_url)s">add one</a>?'
    ),
    gettext_noop("New: %(model_name)s"),
    gettext_noop("Edit account avatar"),
    gettext_noop("Search all pages…"),
    gettext_noop("Sort"),
    gettext_noop("Sort by '%(label)s' in ascending order."),
    gettext_noop("Sort by '%(label)s' in descending order."),
    gettext_noop(
        "Sort the order of child pages within '%(parent)s' by '%(label)s' in ascending order."
    ),
    gettext_noop(
        "Sort the order of child pages within '%(parent)s' by '%(label)s' in descending order."
    ),
    gettext_noop("Date updated"),
    gettext_noop("Edited by"),
    gettext_noop("Has child pages"),
    gettext_noop("Any"),
    gettext_noop("Page type"),
    gettext_noop("Exploring"),
    gettext_noop("None"),
    gettext_noop("Locking: "),
    gettext_noop("Anyone can edit this %(model_name)s"),
    gettext_noop("Anyone can edit this %(model_name)s – lock it to prevent others from editing"),
    ngettext_lazy("Referenced %(count)s time", "Referenced %(count)s times"),
    # Times in Wagtail's listings and side panels. Wagtail shortens Django's "time since" by
    # cutting it at the first ASCII comma, which Django's Chinese writes as "，" (and days as 日):
    # the admin said "4 日，22 小时 之前". Said here as the owner pages say them (portal/when.py),
    # 4天前; a time today is shown as its clock time, said to be today.
    ngettext_lazy("%(num)d year", "%(num)d years", "num"),
    ngettext_lazy("%(num)d month", "%(num)d months", "num"),
    ngettext_lazy("%(num)d week", "%(num)d weeks", "num"),
    ngettext_lazy("%(num)d day", "%(num)d days", "num"),
    ngettext_lazy("%(num)d hour", "%(num)d hours", "num"),
    ngettext_lazy("%(num)d minute", "%(num)d minutes", "num"),
    gettext_noop(", "),
    gettext_noop("0 minutes"),
    gettext_noop("%(time_period)s ago"),
    gettext_noop("%(time_period)s ago by %(user_display_name)s"),
    gettext_noop("at %(time)s"),
    gettext_noop("at %(time)s by %(user_display_name)s"),
    gettext_noop("%(time)s by %(user_display_name)s"),
    # The page editor.
    gettext_noop("Saved"),
    gettext_noop("Autosave is paused"),
    gettext_noop("Autosave is <span>paused</span>"),
    gettext_noop("Toggle checks"),
    gettext_noop("Actions (footer)"),
    # The editorial workflow's buttons read 提交经理审批 (home/migrations/0006), and a save says
    # 已保存 rather than 已被更新.
    gettext_noop("Submit to %(workflow_name)s"),
    gettext_noop("Resubmit to %(task_name)s"),
    gettext_noop("Page '%(page_title)s' has been updated."),
    gettext_noop("Page '%(page_title)s' has been submitted for moderation."),
    gettext_noop("Page '%(page_title)s' has been published."),
    # The image library.
    gettext_noop("Grid layout"),
    gettext_noop("List layout"),
    gettext_noop("Newest"),
    gettext_noop("Oldest"),
    gettext_noop("File size: (low to high)"),
    gettext_noop("File size: (high to low)"),
    gettext_noop("Usage count: (low to high)"),
    gettext_noop("Usage count: (high to low)"),
    gettext_noop("Usage count"),
    # The admin's keyboard shortcuts (?), on every admin page.
    gettext_noop("Keyboard shortcuts"),
    gettext_noop("Application"),
    gettext_noop("Show keyboard shortcuts"),
    gettext_noop("Toggle minimap"),
    gettext_noop("Close modal dialogs (like this one)"),
    gettext_noop("Save changes"),
    gettext_noop("Add or show comments"),
    gettext_noop("Text editing"),
    gettext_noop("Cut"),
    gettext_noop("Paste"),
    gettext_noop("Paste and match style"),
    gettext_noop("Paste without formatting"),
    gettext_noop("Text formatting"),
    gettext_noop("Insert or edit a link"),
    gettext_noop("Monospace (code)"),
    gettext_noop("Strike-through"),
    gettext_noop("Section"),
    gettext_noop("account"),
)
