"""What notices keep about an owner ("my data"): each notice sent to them, when it was read and
confirmed. A closure deletes them; the notices themselves name nobody."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from notices.models import Receipt
from owners import privacy


class NoticesPart(privacy.Part):
    labels = {"notice_receipts": gettext_lazy("notice receipts deleted")}

    def export(self, user, out):
        receipts = Receipt.objects.filter(user=user).select_related("notice").order_by("pk")
        out.csv(
            "notices/notices.csv",
            [_("Notice"), pgettext("notice", "Delivered"), _("Read"), _("Confirmed")],
            [
                (
                    receipt.notice.title,
                    privacy.local(receipt.delivered_at),
                    privacy.local(receipt.read_at) or "",
                    privacy.local(receipt.acknowledged_at) or "",
                )
                for receipt in receipts
            ],
            gettext_lazy("The notices sent to you, and when you read and confirmed them."),
        )

    def erase(self, user, closure, by):
        return {"notice_receipts": Receipt.objects.filter(user=user).delete()[0]}


privacy.register(NoticesPart())
