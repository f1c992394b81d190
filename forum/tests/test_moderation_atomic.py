"""A moderator's action is all or nothing: when its last write (the audit log entry) fails, the
post, topic, report, counters and search index are as before and nobody is told anything; and
two moderators pressing the same button together do it once."""

from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import DatabaseError, connection, connections
from django.utils import timezone
from wagtail.models import ModelLogEntry

from forum import moderation, posting
from forum.models import Board, Post, PostRevision, Report, Suspension, Topic
from portal.models import Notification
from search.models import Gram

LOG_TABLE = ModelLogEntry._meta.db_table


@contextmanager
def audit_log_refused():
    """The database refuses every new audit log entry, as a full disk or a lost connection
    would, after the action's other writes have gone through."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "CREATE FUNCTION refuse_log() RETURNS trigger LANGUAGE plpgsql AS "
                "$$ BEGIN RAISE EXCEPTION 'audit log unavailable'; END $$"
            )
            cursor.execute(
                f"CREATE TRIGGER refuse_log BEFORE INSERT ON {LOG_TABLE} "
                "FOR EACH ROW EXECUTE FUNCTION refuse_log()"
            )
        else:
            cursor.execute(
                f"CREATE TRIGGER refuse_log BEFORE INSERT ON {LOG_TABLE} "
                "BEGIN SELECT RAISE(ABORT, 'audit log unavailable'); END"
            )
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER refuse_log ON {LOG_TABLE}")
                cursor.execute("DROP FUNCTION refuse_log()")
            else:
                cursor.execute("DROP TRIGGER refuse_log")


def snapshot():
    """Every row the forum's moderation can touch, and the search index of the posts."""
    rows = {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in (Board, Topic, Post, PostRevision, Report, Suspension, Notification)
    }
    rows["Gram"] = list(Gram.objects.order_by("kind", "object_id", "gram").values())
    rows["log"] = ModelLogEntry.objects.count()
    return rows


@pytest.fixture
def scene(alice, bob, moderator, boards):
    """A topic with a reported reply, a hidden reply and an official answer, and a hidden
    topic: everything each action needs to find in place."""
    topic = posting.create_topic(alice, boards["owners"], title="装修推荐", source="求推荐师傅")
    rude = posting.reply(bob, topic, source="你懂什么！")
    report = Report.objects.create(post=rude, reporter=alice, reason="abuse")
    hidden = posting.reply(bob, topic, source="广告：装修找我")
    moderation.hide_post(hidden, moderator, "广告")
    gone = posting.create_topic(alice, boards["owners"], title="重复的话题", source="同上")
    moderation.hide_topic(gone, moderator, "重复话题")
    return SimpleNamespace(
        topic=topic,
        rude=rude,
        report=report,
        hidden=hidden,
        gone=gone,
        alice=alice,
        bob=bob,
        moderator=moderator,
        boards=boards,
    )


ACTIONS = {
    "hide a post": lambda f: moderation.hide_post(f.rude, f.moderator, "请文明发言"),
    "restore a post": lambda f: moderation.restore_post(f.hidden, f.moderator),
    "dismiss a report": lambda f: moderation.dismiss_report(f.report, f.moderator),
    "pin and lock": lambda f: moderation.set_flags(
        f.topic, f.moderator, is_pinned=True, is_locked=True
    ),
    "hide a topic": lambda f: moderation.hide_topic(f.topic, f.moderator, "跑题"),
    "restore a topic": lambda f: moderation.restore_topic(f.gone, f.moderator),
    "move a topic": lambda f: moderation.move_topic(f.topic, f.moderator, f.boards["questions"]),
    "warn": lambda f: moderation.warn(f.bob, f.moderator, "注意言辞"),
    "suspend": lambda f: moderation.suspend(
        f.bob, f.moderator, timezone.now() + timedelta(days=1), "冷静一天"
    ),
    "edit an owner's post": lambda f: posting.edit_post(f.rude, f.moderator, source="已删改"),
}


@pytest.mark.django_db
@pytest.mark.parametrize("action", ACTIONS)
def test_an_action_whose_audit_log_fails_changes_nothing(
    scene, action, django_capture_on_commit_callbacks
):
    before = snapshot()
    with (
        django_capture_on_commit_callbacks(execute=True) as told,
        audit_log_refused(),
        pytest.raises(DatabaseError),
    ):
        ACTIONS[action](scene)
    assert snapshot() == before
    assert not told  # no notification of what did not happen

    ACTIONS[action](scene)  # and with the log back, the same call goes through
    assert snapshot()["log"] > before["log"]


# -- Two moderators at once (PostgreSQL row locks) ---------------------------------------------


def twice_at_once(work, times=8):
    """Run `work()` in `times` threads together; what each returned or raised."""

    def once(_):
        try:
            return work()
        except moderation.ModerationError as error:
            return error
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=times) as pool:
        return list(pool.map(once, range(times)))


@pytest.mark.parametrize(
    "action, log_action",
    [
        ("restore a post", "forum.post.restore"),
        ("dismiss a report", "forum.report.dismiss"),
        ("pin and lock", "forum.topic.pin"),
    ],
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs PostgreSQL's row locks and parallel writers"
)
def test_the_same_action_pressed_by_many_moderators_happens_once(scene, action, log_action):
    def work():
        # Each moderator's screen loaded its own copy before anyone pressed the button.
        fresh = SimpleNamespace(
            **{
                **vars(scene),
                "rude": Post.objects.get(pk=scene.rude.pk),
                "hidden": Post.objects.get(pk=scene.hidden.pk),
                "report": Report.objects.get(pk=scene.report.pk),
                "topic": Topic.objects.get(pk=scene.topic.pk),
            }
        )
        return ACTIONS[action](fresh)

    outcomes = twice_at_once(work)
    assert ModelLogEntry.objects.filter(action=log_action).count() == 1
    refused = [o for o in outcomes if isinstance(o, moderation.ModerationError)]
    if action == "dismiss a report":
        assert len(refused) == len(outcomes) - 1
        assert Report.objects.get(pk=scene.report.pk).status == "dismissed"
    else:
        assert not refused
    board = Board.objects.get(pk=scene.boards["owners"].pk)
    assert (board.topic_count, board.post_count) == (1, 3)
