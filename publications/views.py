from django.core import signing
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt

from club.models import Member
from owners.consent import consent_exempt
from publications.mailing import UNSUBSCRIBE_SALT


@consent_exempt
@csrf_exempt  # the signed token is the credential; mail apps POST here without a session
def stop_publications(request, token):
    """Stop the club's publications by email from the link in one, without signing in."""
    try:
        member = Member.objects.select_related("user").get(
            user_id=signing.loads(token, salt=UNSUBSCRIBE_SALT)
        )
    except (signing.BadSignature, Member.DoesNotExist):
        return render(request, "publications/stop_publications.html", {"invalid": True}, status=400)
    if request.method == "POST":
        member.magazine_by_email = False
        member.save(update_fields=["magazine_by_email"])
        return render(request, "publications/stop_publications.html", {"done": True})
    # No email address on the page: anyone the link was forwarded to would see it.
    return render(request, "publications/stop_publications.html")
