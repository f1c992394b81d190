"""Task delivery through the real broker to a real worker (run in CI with Redis)."""

import pytest

from portal import celery_app
from portal.tasks import ping


@pytest.mark.celery_worker
def test_a_task_sent_through_the_broker_is_run_by_a_worker(celery_worker_queue):
    celery_app.conf.task_always_eager = False
    try:
        result = ping.apply_async(queue=celery_worker_queue)
        assert result.get(timeout=60) == "pong"
        assert result.successful()
    finally:
        celery_app.conf.task_always_eager = True


def test_without_a_broker_tasks_run_in_process(settings):
    assert celery_app.conf.task_always_eager
    assert ping.delay().get() == "pong"
