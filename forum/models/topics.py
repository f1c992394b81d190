from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class TopicQuerySet(models.QuerySet):
    def visible(self):
        return self.filter(is_hidden=False)

    def awaiting_official_reply(self):
        return self.visible().filter(board__is_question_board=True, official_answer__isnull=True)


class Topic(models.Model):
    board = models.ForeignKey(
        "forum.Board", on_delete=models.PROTECT, related_name="topics", verbose_name=_("board")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="topics",
        verbose_name=_("author"),
    )
    title = models.CharField(_("title"), max_length=100)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    is_pinned = models.BooleanField(_("pinned"), default=False)
    is_locked = models.BooleanField(_("locked"), default=False)
    is_hidden = models.BooleanField(_("hidden"), default=False)
    hidden_reason = models.CharField(_("reason for hiding"), max_length=200, blank=True)
    #: The first official reply, linked at the top of the topic.
    official_answer = models.ForeignKey(
        "forum.Post",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("official answer"),
    )

    # Kept by forum.posting under a lock on this row.
    post_count = models.PositiveIntegerField(_("posts"), default=0)
    last_post = models.ForeignKey(
        "forum.Post", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_post_at = models.DateTimeField(_("last activity"), null=True, db_index=True)

    objects = TopicQuerySet.as_manager()

    class Meta:
        ordering = ["-is_pinned", "-last_post_at"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")
        indexes = [
            models.Index(fields=["board", "is_hidden", "-is_pinned", "-last_post_at"]),
            # The board of each visible topic, for the search's check of what a reader may see.
            models.Index(
                fields=["id"],
                include=["board"],
                condition=models.Q(is_hidden=False),
                name="topic_visible",
            ),
        ]
        permissions = [("moderate_topic", _("Can moderate the forum"))]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("forum:topic", args=[self.pk])

    @property
    def awaits_official_reply(self):
        return self.board.is_question_board and not self.official_answer_id
