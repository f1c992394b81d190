from django.utils.translation import gettext_lazy

from owners.consent import consent_exempt
from owners.models import User
from portal import channels
from portal.views import UnsubscribeView
from publications.mailing import PUBLICATIONS


class StopPublications(UnsubscribeView):
    """Stop the club's publications by email from the link in one, without signing in (they still
    come in the site's notifications, and by WeChat if the member chose it)."""

    email_list = PUBLICATIONS
    words = UnsubscribeView.Words(
        heading=gettext_lazy("The club's publications by email"),
        question=gettext_lazy("Stop emailing you the club magazine and club news?"),
        done=gettext_lazy(
            "Done: we will not email you the magazine and club news any more. You can read "
            "them on the site, and choose email again in your notification settings."
        ),
        invalid=gettext_lazy(
            "This link is not valid. Sign in and change your choices on your club page."
        ),
    )

    def find(self, user_id):
        return User.objects.filter(pk=user_id, member__isnull=False).first()

    def stop(self, user):
        channels.leave(user, "publications", channels.EMAIL)


stop_publications = consent_exempt(StopPublications.as_view())
