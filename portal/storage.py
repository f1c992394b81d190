"""Where files that are not for everyone are kept: outside MEDIA_ROOT, so no public URL reaches
them; views that check who asks serve them."""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """The folder is read from the settings when used, so migrations do not freeze this machine's
    path and tests can point it elsewhere."""

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)


private_storage = PrivateStorage()
