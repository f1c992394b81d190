"""The site search's index: each document's character pairs, so Chinese words are found
inside sentences on SQLite and PostgreSQL alike (neither segments Chinese by itself)."""

from django.db import models


class Gram(models.Model):
    """One distinct character pair (or Latin word) of a document's text."""

    class Kind(models.TextChoices):
        POST = "post"
        PAGE = "page"

    kind = models.CharField(max_length=4, choices=Kind.choices)
    object_id = models.PositiveIntegerField()
    gram = models.CharField(max_length=16)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["gram", "kind", "object_id"], name="search_gram_unique")
        ]
        # Object first: a search's `kind = ?` must use the gram index above, not walk this one.
        indexes = [models.Index(fields=["object_id", "kind"], name="search_gram_document")]

    def __str__(self):
        return f"{self.kind}:{self.object_id}:{self.gram}"
