"""The site search's index: each document's character pairs, so Chinese words are found
inside sentences on SQLite and PostgreSQL alike (neither segments Chinese by itself)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from search.folding import terms


class Gram(models.Model):
    """One distinct term of a document: a pair of Chinese characters or a Latin word, stored
    as a 56-bit hash. Numbers keep the table small and fast (about 85 rows per post); a rare
    hash collision only adds a candidate, which the check for the exact words then drops."""

    class Kind(models.IntegerChoices):
        POST = 1
        PAGE = 2
        #: The same documents' titles again, on their own: a title match ranks first.
        POST_TITLE = 3
        PAGE_TITLE = 4

    pk = models.CompositePrimaryKey("gram", "kind", "object_id")
    gram = models.BigIntegerField()
    kind = models.PositiveSmallIntegerField(choices=Kind.choices)
    object_id = models.PositiveIntegerField()

    class Meta:
        # Object first: a search's `kind = ?` must use the primary key, not walk this one.
        indexes = [models.Index(fields=["object_id", "kind"], name="search_gram_document")]

    def __str__(self):
        return f"{self.kind}:{self.object_id}:{self.gram}"


class Reading(models.Model):
    """How a Chinese character is read in pinyin, without tones: one row per reading (长 is
    chang and zhang). Filled once from pypinyin's dictionary by a migration, so a search reads
    a few rows instead of loading the dictionary into every web process (10 MiB). `common`
    marks the 3,755 characters of GB 2312's first level: a pinyin query is spelled with those."""

    pk = models.CompositePrimaryKey("character", "pinyin")
    character = models.CharField(max_length=1)
    pinyin = models.CharField(max_length=6)
    common = models.BooleanField(default=False)

    class Meta:
        indexes = [models.Index(fields=["pinyin", "common"], name="search_reading_pinyin")]
        managed = False  # filled by its migration, not by tests (search/migrations/0006)

    def __str__(self):
        return f"{self.character} {self.pinyin}"


class IndexState(models.Model):
    """Which folding (search.folding.VERSION) the index was built with: one row. A migrate
    after the folding changed rebuilds the index, so queries and documents never disagree."""

    folding = models.PositiveSmallIntegerField(default=0)

    def __str__(self):
        return f"folding {self.folding}"


class UnansweredQuery(models.Model):
    """A search that found nothing with every term, by its folded terms: how often and when it
    was asked. Staff read the list (admin, "Unanswered searches") to add synonyms or content.
    Nobody's identity is kept, only the words."""

    query = models.CharField(_("search"), max_length=100, unique=True)
    count = models.PositiveIntegerField(_("times asked"), default=1)
    first_asked_at = models.DateTimeField(_("first asked"), auto_now_add=True)
    last_asked_at = models.DateTimeField(_("last asked"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("unanswered search")
        verbose_name_plural = _("unanswered searches")
        default_permissions = ("view",)

    def __str__(self):
        return self.query


class Synonyms(models.Model):
    """Words owners and staff use for the same thing (业委会 = 业主委员会, 噪声 = 噪音): a search
    for any of them finds all of them. Staff keep the list in the admin."""

    words = models.CharField(
        _("words"),
        max_length=200,
        unique=True,
        help_text=_("Two or more words that mean the same, separated by spaces, commas or “=”."),
    )

    class Meta:
        verbose_name = _("synonyms")
        verbose_name_plural = _("synonyms")
        ordering = ["words"]

    def __str__(self):
        return self.words

    def clean(self):
        if len(terms(self.words)) < 2:
            raise ValidationError(
                {"words": _("Write at least two different words, e.g. 业委会 = 业主委员会.")}
            )
