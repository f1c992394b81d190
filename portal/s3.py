"""The public bucket's storage: only imported when MEDIA_BUCKET is set, so the site runs without
boto3 (the `s3` extra) on its folders."""

from storages.backends.s3 import S3Storage

from portal.files import DOWNLOAD, MEDIA_TYPES


class PublicMediaStorage(S3Storage):
    """The public bucket. Each object carries the type the site serves it with (pictures as
    what they are, anything else as a download) and is readable by anyone, except CMS documents:
    those are written private and served by Wagtail's /documents/ view, which checks who may
    read them."""

    def get_object_parameters(self, name):
        params = super().get_object_parameters(name)
        content_type = MEDIA_TYPES.get(name.rsplit(".", 1)[-1].lower())
        if content_type:
            params.setdefault("ContentType", content_type)
            params.setdefault("CacheControl", "public, max-age=86400")
        else:
            params.setdefault("ContentType", DOWNLOAD)
            params.setdefault("ContentDisposition", "attachment")
        if name.lstrip("/").lower().startswith("documents/"):
            params["ACL"] = "private"
        return params
