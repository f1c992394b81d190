"""Where user files are kept: public media (avatars, CMS images) in Django's default storage,
private files (case attachments, forum pictures, "my data" ZIPs) in the "private" one.

Each is a folder (the embedded default) or an S3-compatible bucket (django-storages: AWS S3,
Aliyun OSS, Tencent COS, MinIO), chosen by the settings (`media_storages` in
portal/settings/base.py; the public bucket's class is in portal/s3.py). Code reaches files only
through the storage API (open, save, delete, exists, listdir), never through a local path, so
any number of web servers can share them. Private files are never given a public address: the
views that check who asks stream them (portal.files.serve_user_file).
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

PRIVATE_ALIAS = "private"


class PrivateFileSystemStorage(FileSystemStorage):
    """The private folder, read from the settings when used, so tests can point it elsewhere."""

    @property
    def base_location(self):
        return settings.PRIVATE_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)


class PrivateStorage(LazyObject):
    """The "private" storage, looked up when first used (like Django's default_storage) and
    again after the settings change. Model fields name this class, so migrations do not depend on
    where the files are."""

    def _setup(self):
        self._wrapped = storages[PRIVATE_ALIAS]

    def deconstruct(self):
        return ("portal.storage.PrivateStorage", (), {})


private_storage = PrivateStorage()


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        private_storage._wrapped = empty
