import copy

from allauth.account.forms import SetPasswordForm
from allauth.account.internal.flows import password_change
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from owners import privacy
from owners.claims import ClaimError, submit_claim
from owners.consent import consent_exempt
from owners.forms import ChannelsForm, ClaimForm, ProfileForm
from owners.models import AccountClosure, User, Visit
from owners.public_names import nickname_taken_error
from portal import signin
from portal.notifications import NOTIFICATIONS, mark_read, unread_count
from portal.views import UnsubscribeView, remember_language


@login_required
def dashboard(request):
    claims = request.user.claims.select_related("unit__estate").order_by("-created_at")
    closure = request.user.closures.filter(status=AccountClosure.Status.PENDING).first()
    return render(
        request,
        "owners/dashboard.html",
        {
            "claims": claims,
            "closure": closure,
            "closure_deadline": privacy.deadline(closure) if closure else None,
            "unread_notifications": unread_count(request.user),
            # What the desk recorded of their walk-ins and calls, once the account is linked
            # to their record in the owner archive.
            "visits": Visit.objects.filter(record__user=request.user)[:5],
        },
    )


@login_required
def new_password(request):
    """A forgotten password replaced by SMS: right after signing in with a code texted to the
    number, a new password without the old one (allauth's form and its "password changed"
    email and message); any other time, allauth's change page, which asks for the old one."""
    if not signin.signed_in_by_code_just_now(request):
        return redirect("account_change_password")
    form = SetPasswordForm(data=request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        password_change.finalize_password_change(request, request.user)
        return redirect("owners:dashboard")
    return render(request, "owners/new_password.html", {"form": form})


@login_required
def profile(request):
    # The form works on a copy: a refused form must not leave the header showing unsaved names.
    form = ProfileForm(
        request.POST or None, request.FILES or None, instance=copy.copy(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                form.save()
        except IntegrityError:  # the same nickname saved by someone else a moment ago
            form.add_error("nickname", nickname_taken_error(form.cleaned_data["nickname"]))
        else:
            messages.success(request, _("Your profile is saved."))
            response = redirect("owners:dashboard")
            remember_language(request, response, form.instance.language)
            return response
    consents = request.user.consents.order_by("-given_at")[:20]
    # The name others would see without a nickname, with and without the real name, for the
    # preview that follows the form as the owner types (static/js/site.js).
    preview = {
        "shown": request.user.name_without_nickname(show_real_name=True),
        "masked": request.user.name_without_nickname(show_real_name=False),
        "mask": request.user.NAME_MASK,
    }
    return render(
        request, "owners/profile.html", {"form": form, "consents": consents, "preview": preview}
    )


@login_required
def claim_unit(request):
    form = ClaimForm(
        request.POST or None,
        initial={"estate": request.GET.get("estate"), "building": request.GET.get("building")},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            submit_claim(request.user, data["unit"], role=data["role"], proof=data["proof"])
        except ClaimError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, _("Your claim is submitted. Staff will review it within two working days.")
            )
            return redirect("owners:dashboard")
    return render(request, "owners/claim_form.html", {"form": form})


@login_required
def notifications(request):
    """The owner's notifications, newest first; opening the page marks them read."""
    page = Paginator(request.user.notifications.select_related("actor"), 30).get_page(
        request.GET.get("page")
    )
    unread_ids = [n.pk for n in page.object_list if n.read_at is None]
    if unread_ids:
        mark_read(request.user, unread_ids)
    return render(request, "owners/notifications.html", {"page": page, "unread_ids": unread_ids})


@login_required
def channels(request):
    """我的 → 通知设置: how each kind of message reaches the owner."""
    form = ChannelsForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your notification settings are saved."))
        return redirect("owners:channels")
    return render(
        request,
        "owners/channels.html",
        {
            "form": form,
            "reachable": form.reachable,
            "wechat_on": bool(settings.WECHAT_MP_APP_ID),
            "quiet": settings.SMS_QUIET_HOURS,
        },
    )


class NotificationsUnsubscribe(UnsubscribeView):
    """Stop notification emails from a link in one of them, without signing in."""

    email_list = NOTIFICATIONS
    words = UnsubscribeView.Words(
        heading=gettext_lazy("Email notifications"),
        question=gettext_lazy(
            "Stop emailing you notifications of replies, mentions and official answers?"
        ),
        done=gettext_lazy(
            "Done: we will not email you notifications any more. You still see them on the site."
        ),
        invalid=gettext_lazy(
            "This link is not valid. Sign in and change your settings under Me → Notification "
            "settings."
        ),
    )

    def find(self, user_id):
        return User.objects.filter(pk=user_id).first()

    def stop(self, user):
        user.email_notifications = User.EmailNotifications.NEVER
        user.save(update_fields=["email_notifications"])


unsubscribe = consent_exempt(NotificationsUnsubscribe.as_view())
