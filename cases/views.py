"""The owner's side of the complaint mailbox: file a case, follow it, answer, reopen, rate."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.http import require_POST

from cases import casework, rules
from cases.forms import CaseForm, MessageForm, RatingForm, ReopenForm
from cases.models import Case, CaseAttachment
from forum.models import Topic
from owners.consent import consent_exempt
from portal.files import serve_user_file
from portal.links import addresses


@login_required
def my_cases(request):
    cases = request.user.cases.select_related("category").order_by("-created_at")
    page = Paginator(cases, 20).get_page(request.GET.get("page"))
    detail = addresses("cases:detail")
    for case in page.object_list:
        case.url = detail(case.reference)
    return render(request, "cases/list.html", {"page": page})


@login_required
def new_case(request):
    form = CaseForm(request.POST or None, request.FILES or None, owner=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = casework.file_case(
                request.user,
                kind=data["kind"],
                category=data["category"],
                unit=data["unit"],
                subject=data["subject"],
                description=data["description"],
                files=data["attachments"],
            )
        except rules.CaseError as error:
            form.add_error(None, str(error))
        else:
            # Submitted, not accepted: the case waits for a first responder (待受理).
            messages.success(
                request,
                _("Case %(reference)s has been submitted. We will answer by %(due)s.")
                % {
                    "reference": case.reference,
                    "due": timezone.localtime(case.first_response_due).strftime("%m-%d %H:%M"),
                },
            )
            return redirect(case)
    return render(request, "cases/new.html", {"form": form})


ACTIONS = {"message": MessageForm, "reopen": ReopenForm, "rate": RatingForm}
#: What the owner is told once an action is done.
DONE = {
    "message": gettext_lazy("Your information is added; the person handling the case sees it."),
    "reopen": gettext_lazy("The case is reopened; we will come back to you."),
    "rate": gettext_lazy("Thank you for your rating."),
}


@login_required
def case_detail(request, reference):
    # Another owner's reference is simply not found.
    case = get_object_or_404(
        Case.objects.select_related("category", "unit__estate", "first_responder", "owner"),
        reference=reference,
        owner=request.user,
    )
    forms = {name: form_class() for name, form_class in ACTIONS.items()}
    action = request.POST.get("action")
    if request.method == "POST" and action == "confirm":
        try:
            casework.confirm_resolved(case, request.user)
        except rules.CaseError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Thank you for confirming."))
        return redirect(case)
    if request.method == "POST" and action in ACTIONS:
        form = forms[action] = ACTIONS[action](request.POST, request.FILES)
        if form.is_valid():
            try:
                _act(case, request.user, action, form.cleaned_data)
            except rules.CaseError as error:
                case.refresh_from_db()
                if not _allowed(request.user, case)[action]:  # the case has moved on (closed…)
                    messages.error(request, str(error))
                    return redirect(case)
                # Refused for now (too fast, too much today): the form again, as typed.
                form.add_error(None, str(error))
            else:
                messages.success(request, DONE[action])
                return redirect(case)
    events = list(
        case.events.filter(visible_to_owner=True)
        .select_related("author")
        .prefetch_related(Prefetch("attachments", queryset=CaseAttachment.objects.order_by("pk")))
    )
    attachment = addresses("cases:attachment", case.reference)
    thumbnail = addresses("cases:attachment_thumbnail", case.reference)
    for event in events:
        event.files = event.attachments.all()
        for file in event.files:
            file.url, file.thumbnail_url = attachment(file.pk), thumbnail(file.pk)
    return render(
        request,
        "cases/detail.html",
        {"case": case, "events": events, "can": _allowed(request.user, case), **forms},
    )


def _allowed(owner, case):
    """What the owner may do on the case as it is now: the page shows these buttons and forms."""
    return {
        "message": rules.can_message(owner, case),
        "confirm": rules.can_confirm(owner, case),
        "reopen": rules.can_reopen(owner, case),
        "rate": rules.can_rate(owner, case),
    }


def _act(case, owner, action, data):
    if action == "message":
        casework.owner_message(case, owner, data["text"], data["attachments"])
    elif action == "reopen":
        casework.reopen(case, owner, data["reason"])
    elif action == "rate":
        casework.rate(case, owner, data["score"], data["comment"])


@consent_exempt  # the owner's own files: never harder to reach for not agreeing to a new policy
@login_required
def attachment(request, reference, pk, thumbnail=False):
    """Served only to the case's owner and to staff who handle cases; never from a public URL.
    `thumbnail`: a photo's small square copy, the photo itself where it has none."""
    attachment = get_object_or_404(
        CaseAttachment.objects.select_related("case", "event"), pk=pk, case__reference=reference
    )
    user = request.user
    if not rules.can_read(user, attachment.case):
        raise Http404
    internal = attachment.event and not attachment.event.visible_to_owner
    if internal and not rules.sees_internal(user):
        raise PermissionDenied
    if thumbnail and attachment.thumbnail:
        return serve_user_file(attachment.thumbnail.open("rb"), verified_type="image/jpeg")
    return serve_user_file(
        attachment.file.open("rb"), verified_type=attachment.verified_type, filename=attachment.name
    )


@csrf_protect
def rate_by_link(request, token):
    """The rating link in the "resolved" email: no sign-in, this case only, once."""
    try:
        case = casework.case_for_rating_token(token)
    except rules.CaseError as error:
        return render(request, "cases/rate.html", {"error": str(error)}, status=400)
    form = RatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            casework.rate_by_token(token, form.cleaned_data["score"], form.cleaned_data["comment"])
        except rules.CaseError as error:
            return render(request, "cases/rate.html", {"error": str(error)}, status=400)
        return render(request, "cases/rate.html", {"done": True, "case": case})
    return render(request, "cases/rate.html", {"form": form, "case": case})


@login_required
@require_POST
def from_topic(request, pk):
    """Customer service turns an owner's topic into a case they follow to the end. Pressed
    twice (or by two agents at once), it leads to the same case."""
    topic = get_object_or_404(Topic.objects.select_related("author"), pk=pk)
    try:
        case = casework.case_from_topic(topic, request.user)
    except rules.CaseError as error:  # no case category yet
        messages.error(request, str(error))
        return redirect(topic)
    return redirect("case_ledger:inspect", case.pk)
