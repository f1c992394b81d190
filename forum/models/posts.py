import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from forum.paging import post_url
from portal.storage import private_storage


def post_image_path(image, filename):
    # A random name: the address of a picture cannot be guessed from its owner or its order.
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"forum/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


class PostQuerySet(models.QuerySet):
    def visible(self):
        """What readers see: not hidden by a moderator, not deleted by the author."""
        return self.filter(is_hidden=False, deleted_by_author=False)


class Post(models.Model):
    """A message in a topic. The Markdown source is rendered to sanitised HTML once, by the
    action that writes it (forum.posting.text_fields): pages show `html` as it is."""

    topic = models.ForeignKey(
        "forum.Topic", on_delete=models.CASCADE, related_name="posts", verbose_name=_("topic")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="forum_posts",
        verbose_name=_("author"),
    )
    #: 1 for the opening post, then 2, 3, … : pages are position ranges, never offsets.
    position = models.PositiveIntegerField(_("number"))
    source = models.TextField(_("text"))
    html = models.TextField(editable=False)
    search_text = models.TextField(editable=False, blank=True)
    created_at = models.DateTimeField(_("posted"), auto_now_add=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    is_official = models.BooleanField(_("official reply"), default=False)
    is_hidden = models.BooleanField(_("hidden by a moderator"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=200, blank=True)
    deleted_by_author = models.BooleanField(_("deleted by the author"), default=False)
    like_count = models.PositiveIntegerField(_("likes"), default=0)
    #: The people the post @mentions, by account: the text shows the name others see (王**,
    #: a nickname), which may be shared or change (forum.mentions).
    mentions = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+", verbose_name=_("mentions")
    )

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["topic", "position"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            models.UniqueConstraint(fields=["topic", "position"], name="post_position_unique")
        ]
        indexes = [
            models.Index(fields=["author", "-created_at"]),
            # The search's candidates are checked against it without reading the posts (wide
            # rows: text, HTML, search words): the visible posts' ids, newest read first.
            models.Index(
                fields=["id"],
                include=["topic"],
                condition=models.Q(is_hidden=False, deleted_by_author=False),
                name="post_visible",
            ),
        ]
        permissions = [("reply_officially", _("Can reply officially as a spokesperson"))]

    def __str__(self):
        return f"{self.topic} #{self.position}"

    def get_absolute_url(self):
        return post_url(self)

    @property
    def is_visible(self):
        # The same rule as PostQuerySet.visible.
        return not (self.is_hidden or self.deleted_by_author)


class PostRevision(models.Model):
    """The text of a post before each edit, for moderators."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    source = models.TextField(_("text"))
    created_at = models.DateTimeField(_("saved"), auto_now_add=True)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("earlier version")
        verbose_name_plural = _("earlier versions")

    def __str__(self):
        return f"{self.post} @ {self.created_at:%Y-%m-%d %H:%M}"


class PostImage(models.Model):
    """A picture in a post: checked by Pillow, resized and stripped of EXIF before it is stored."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="images")
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    # Private: a picture is served, like its post, only to those who may read the board.
    image = models.ImageField(
        upload_to=post_image_path,
        storage=private_storage,
        width_field="width",
        height_field="height",
    )
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.image.name

    def get_absolute_url(self):
        return reverse("forum:picture", args=[self.pk])


class Reaction(models.Model):
    """A like (赞)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user"], name="reaction_once_per_user")
        ]

    def __str__(self):
        return f"{self.user} ♥ {self.post}"
