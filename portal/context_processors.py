from django.conf import settings


def site(request):
    context = {"SITE_NAME": settings.WAGTAIL_SITE_NAME}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        # One indexed count for the badge in the navigation.
        context["unread_notifications"] = user.notifications.unread().count()
    return context
