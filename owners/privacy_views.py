"""The owner's "account and privacy" pages: download my data, close my account.

Each is open to an owner who has not agreed to a changed privacy policy (consent_exempt):
taking one's data or leaving must never be harder for someone who does not agree."""

from allauth.account.decorators import reauthentication_required
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from owners import privacy
from owners.consent import consent_exempt
from owners.models import AccountClosure, DataExport

#: The exports listed on the page; older ones have expired anyway.
EXPORTS_SHOWN = 5


@consent_exempt
@login_required
def overview(request):
    user = request.user
    exports = list(user.data_exports.all()[:EXPORTS_SHOWN])
    pending = user.closures.filter(status=AccountClosure.Status.PENDING).first()
    now = timezone.now()
    for export in exports:
        export.downloadable = privacy.downloadable(export, now)
        if privacy.lost(export, now):  # the hourly task marks it so in the database too
            export.status = DataExport.Status.FAILED
    return render(
        request,
        "owners/privacy/overview.html",
        {
            "exports": exports,
            "ready": next((e for e in exports if e.downloadable), None),
            "export_problem": privacy.why_not_export(user, now),
            "closure": pending,
            "closure_deadline": privacy.deadline(pending) if pending else None,
            "close_problem": "" if pending else privacy.why_not_close(user),
            "export_days": settings.DATA_EXPORT_DAYS,
            "exports_per_day": settings.DATA_EXPORTS_PER_DAY,
        },
    )


@consent_exempt
@login_required
@require_POST
def request_export(request):
    try:
        export = privacy.request_export(request.user)
    except privacy.PrivacyError as error:
        messages.error(request, str(error))
    else:
        export.refresh_from_db()  # tasks run in-process without a broker: it may be ready
        if export.is_ready:
            messages.success(request, _("Your data is ready. Download it below."))
        else:
            messages.success(
                request,
                _("We are preparing your data. We will email you as soon as it is ready."),
            )
    return redirect("owners:privacy")


@consent_exempt
@login_required
def download_export(request, pk):
    """The ZIP, to its owner only, as a download nobody caches."""
    export = get_object_or_404(DataExport, pk=pk, user=request.user)
    if not privacy.downloadable(export):
        raise Http404
    local = timezone.localtime(export.ready_at)
    response = FileResponse(
        export.file.open("rb"),
        as_attachment=True,
        filename=f"jindu-my-data-{local:%Y%m%d-%H%M}.zip",
        content_type="application/zip",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


class ClosureForm(forms.Form):
    posts = forms.ChoiceField(
        label=gettext_lazy("Your forum posts"),
        choices=AccountClosure.Posts.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose what happens to your forum posts.")},
    )
    understood = forms.BooleanField(
        label=gettext_lazy(
            "I understand that a closed account cannot be restored, and that I can no longer "
            "sign in, see my cases or use my member card and points."
        ),
        error_messages={"required": gettext_lazy("Please confirm that you understand.")},
    )


def _complete(request):
    return ClosureForm(request.POST).is_valid()


# A complete request needs the password once more (or the second factor, where the owner has
# one; allauth asks, then sends the form on): a phone left unlocked cannot close an account.
# Mistakes on the form are shown first, without asking.
@consent_exempt
@login_required
@reauthentication_required(allow_get=True, enabled=_complete)
def close_account(request):
    user = request.user
    problem = privacy.why_not_close(user)
    form = ClosureForm(request.POST or None)
    if request.method == "POST" and not problem and form.is_valid():
        try:
            closure = privacy.request_closure(user, posts=form.cleaned_data["posts"])
        except privacy.PrivacyError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _(
                    "Your request is received. We will close your account by %(deadline)s; "
                    "until then you can withdraw it here."
                )
                % {"deadline": timezone.localtime(privacy.deadline(closure)).strftime("%Y-%m-%d")},
            )
            return redirect("owners:privacy")
    return render(
        request,
        "owners/privacy/close.html",
        {
            "form": form,
            "problem": problem,
            "days": settings.ACCOUNT_CLOSURE_DAYS,
            "case_years": settings.CASE_RETENTION_DAYS // 365,
        },
    )


@consent_exempt
@login_required
@require_POST
def withdraw_closure(request, pk):
    closure = get_object_or_404(AccountClosure, pk=pk, user=request.user)
    try:
        privacy.withdraw_closure(closure, request.user)
    except privacy.PrivacyError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Your request is withdrawn. Your account stays open."))
    return redirect("owners:privacy")
