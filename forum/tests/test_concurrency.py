"""Counters stay right when many owners reply at once (PostgreSQL row locks)."""

from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from forum import posting
from forum.models import Board, Topic
from forum.tests.conftest import verified

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL's row locks and parallel writers",
    ),
]


def test_parallel_replies_get_distinct_numbers_and_exact_counts(boards, alice):
    topic = posting.create_topic(alice, boards["owners"], title="并发回复", source="开始")
    people = [verified(f"p{i}") for i in range(24)]

    def reply(person):
        try:
            return posting.reply(person, topic, source=f"{person.username} 的回复").position
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=12) as pool:
        positions = list(pool.map(reply, people))

    assert sorted(positions) == list(range(2, 26))
    topic.refresh_from_db()
    assert topic.post_count == 25 and topic.last_post.position == 25
    assert list(topic.posts.values_list("position", flat=True)) == list(range(1, 26))
    board = Board.objects.get(pk=boards["owners"].pk)
    assert (board.topic_count, board.post_count) == (1, 25)
    assert Topic.objects.get(pk=topic.pk).posts.count() == 25
