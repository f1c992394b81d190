from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Board(models.Model):
    """A forum section (版块), created and ordered by staff."""

    class Readers(models.TextChoices):
        EVERYONE = "everyone", _("Everyone")
        SIGNED_IN = "signed_in", _("Signed-in owners")
        VERIFIED = "verified", _("Verified owners")

    class Writers(models.TextChoices):
        VERIFIED = "verified", _("Verified owners")
        STAFF = "staff", _("Staff only")

    name = models.CharField(_("name"), max_length=50)
    slug = models.SlugField(_("slug"), max_length=50, unique=True, allow_unicode=False)
    description = models.CharField(_("description"), max_length=200, blank=True)
    readers = models.CharField(
        _("who may read"), max_length=20, choices=Readers.choices, default=Readers.EVERYONE
    )
    writers = models.CharField(
        _("who may post"), max_length=20, choices=Writers.choices, default=Writers.VERIFIED
    )
    is_question_board = models.BooleanField(
        _("owner questions"),
        default=False,
        help_text=_("Topics here wait for an official reply from a spokesperson."),
    )
    sort_order = models.PositiveIntegerField(_("order"), default=0, db_index=True)

    # Kept by forum.posting in the same transaction as the post that changes them.
    topic_count = models.PositiveIntegerField(default=0, editable=False)
    post_count = models.PositiveIntegerField(default=0, editable=False)
    last_post = models.ForeignKey(
        "forum.Post",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["sort_order", "pk"]
        verbose_name = _("board")
        verbose_name_plural = _("boards")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("forum:board", args=[self.slug])
