from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReadState(models.Model):
    """How far a signed-in owner has read a topic: drives unread markers and "first unread"."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    topic = models.ForeignKey("forum.Topic", on_delete=models.CASCADE, related_name="+")
    last_position = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "topic"], name="readstate_unique")]

    def __str__(self):
        return f"{self.user} · {self.topic} · {self.last_position}"


class Subscription(models.Model):
    """Following a topic or a whole board: new posts there notify the follower."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="forum_subscriptions"
    )
    topic = models.ForeignKey(
        "forum.Topic", null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    board = models.ForeignKey(
        "forum.Board", null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("subscription")
        constraints = [
            models.CheckConstraint(
                condition=Q(topic__isnull=False, board__isnull=True)
                | Q(topic__isnull=True, board__isnull=False),
                name="subscription_topic_or_board",
            ),
            models.UniqueConstraint(
                fields=["user", "topic"], condition=Q(topic__isnull=False), name="sub_topic_once"
            ),
            models.UniqueConstraint(
                fields=["user", "board"], condition=Q(board__isnull=False), name="sub_board_once"
            ),
        ]

    def __str__(self):
        return f"{self.user} → {self.topic or self.board}"
