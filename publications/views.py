from django.utils.translation import gettext_lazy

from club.models import Member
from owners.consent import consent_exempt
from portal.views import UnsubscribeView
from publications.mailing import PUBLICATIONS


class StopPublications(UnsubscribeView):
    """Stop the club's publications by email from the link in one, without signing in."""

    email_list = PUBLICATIONS
    words = UnsubscribeView.Words(
        heading=gettext_lazy("The club's publications by email"),
        question=gettext_lazy("Stop emailing you the club magazine and club news?"),
        done=gettext_lazy(
            "Done: we will not email you the magazine and club news any more. You can read "
            "them on the site, and turn them back on in My club."
        ),
        invalid=gettext_lazy(
            "This link is not valid. Sign in and change your choices on your club page."
        ),
    )

    def find(self, user_id):
        return Member.objects.filter(user_id=user_id).first()

    def stop(self, member):
        member.magazine_by_email = False
        member.save(update_fields=["magazine_by_email"])


stop_publications = consent_exempt(StopPublications.as_view())
