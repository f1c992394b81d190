"""What the complaint mailbox holds about an owner ("my data", account closure), and how long
cases are kept after a closure. Registered with owners.privacy; docs/privacy.md says why."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cases.models import Case, CaseAttachment, CaseEvent, InboundEmail, QuarantinedEmail
from owners import privacy
from owners.privacy import delete_files_on_commit, relabel_log_entries, safe_name
from portal.storage import private_storage


class CasesPart(privacy.Part):
    labels = {
        "cases": gettext_lazy("cases kept for the retention period, contact details erased"),
    }

    def export(self, user, out):
        # Only what the owner sees on their case pages: internal notes and transfers stay out.
        visible = CaseEvent.objects.filter(visible_to_owner=True).prefetch_related(
            Prefetch("attachments", queryset=CaseAttachment.objects.order_by("pk"))
        )
        cases = (
            Case.objects.filter(owner=user)
            .select_related("category", "unit__estate")
            .prefetch_related(Prefetch("events", queryset=visible))
            .order_by("created_at")
        )
        records = []
        for case in cases:
            events = []
            for event in case.events.all():
                files = [
                    out.file(f"cases/{case.reference}/{a.pk}-{safe_name(a.name)}", a.file)
                    for a in event.attachments.all()
                ]
                events.append(
                    {
                        "kind": event.get_kind_display(),
                        "from": _("you") if event.author_id == user.pk else _("customer service"),
                        "status": event.get_status_display() if event.status else "",
                        "text": event.text,
                        "at": event.created_at,
                        "files": [f for f in files if f],
                    }
                )
            records.append(
                {
                    "reference": case.reference,
                    "kind": case.get_kind_display(),
                    "channel": case.get_channel_display(),
                    "category": str(case.category),
                    "unit": str(case.unit) if case.unit else "",
                    "subject": case.subject,
                    "description": case.description,
                    "status": case.get_status_display(),
                    "filed": case.created_at,
                    "resolved": case.resolved_at,
                    "closed": case.closed_at,
                    "satisfaction": case.satisfaction,
                    "timeline": events,
                }
            )
        out.json(
            "cases/cases.json",
            records,
            gettext_lazy(
                "Your cases (complaints, suggestions, enquiries…) with the replies and files you "
                "see on their pages; the files are in the cases folder, one sub-folder per case."
            ),
        )

    def summary(self, user):
        return [(_("Open cases"), Case.objects.open().filter(owner=user).count())]

    def erase(self, user, closure, by):
        # Cases stay in the ledger for CASE_RETENTION_DAYS, linked to the closed account;
        # the contact details go now. anonymise_expired_cases does the rest later.
        counts = {"cases": Case.objects.filter(owner=user).update(contact_email="")}
        InboundEmail.objects.filter(case__owner=user).update(sender="")
        if user.email:
            # Emails from their address that staff never matched (unverified sender), and
            # those the inbox could not handle: the address goes too.
            Case.objects.filter(owner=None, contact_email__iexact=user.email).update(
                contact_email=""
            )
            QuarantinedEmail.objects.filter(sender__icontains=user.email).update(sender="")
        return counts


privacy.register(CasesPart())


# -- Retention ---------------------------------------------------------------------------------


def anonymise_expired_cases(now=None):
    """Daily: cases of accounts closed more than CASE_RETENTION_DAYS ago lose everything that
    could say who filed them: text, files, the link to the account. The rows stay, so the
    ledger's numbers and the monthly reports do not change. Returns how many cases."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.CASE_RETENTION_DAYS)
    cases = list(
        Case.objects.filter(owner__closed_at__lte=cutoff).exclude(status__in=Case.OPEN_STATUSES)
    )
    if not cases:
        return 0
    with transaction.atomic():
        ids = [case.pk for case in cases]
        owners = {case.owner_id for case in cases}
        files = CaseAttachment.objects.filter(case__in=ids)
        delete_files_on_commit(private_storage, [n for f in files for n in f.stored_names()])
        files.delete()
        CaseEvent.objects.filter(case__in=ids).update(text="")
        CaseEvent.objects.filter(case__in=ids, author__in=owners).update(author=None)
        InboundEmail.objects.filter(case__in=ids).update(sender="")
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Case of a closed account")
        Case.objects.filter(pk__in=ids).update(
            owner=None, subject=subject, description="", contact_email=""
        )
        relabel_log_entries(Case.objects.filter(pk__in=ids))
    return len(ids)
