from club.models import Member
from owners.consent import consent_exempt
from portal.views import UnsubscribeView
from publications.mailing import PUBLICATIONS


class StopPublications(UnsubscribeView):
    """Stop the club's publications by email from the link in one, without signing in."""

    email_list = PUBLICATIONS
    template_name = "publications/stop_publications.html"

    def find(self, user_id):
        return Member.objects.filter(user_id=user_id).first()

    def stop(self, member):
        member.magazine_by_email = False
        member.save(update_fields=["magazine_by_email"])


stop_publications = consent_exempt(StopPublications.as_view())
