"""A bare Django view for the HTTP benchmark's yardstick: no middleware, no database, one URL.

`make bench-http` serves it with gunicorn beside the site (`gunicorn --pythonpath
demo/yardstick bare`), so every page can be given as a share of what Django itself costs on the
same machine in the same run. It configures Django itself, so it lives outside the packages the
site and its tests import.
"""

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

settings.configure(
    DEBUG=False,
    ROOT_URLCONF=__name__,
    ALLOWED_HOSTS=["127.0.0.1"],
    SECRET_KEY="a bare view signs nothing; Django only wants a key of some length",
    MIDDLEWARE=[],
)


def hello(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("", hello)]
application = get_wsgi_application()
