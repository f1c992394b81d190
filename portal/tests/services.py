"""Throwaway services for fault tests, on 127.0.0.1 only: an SMTP sink that counts what it
receives, a private redis-server, and Celery workers that deliver through them."""

import contextlib
import email
import os
import shutil
import signal
import socket
import socketserver
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from django.conf import settings
from django.db import connection, connections

from portal import celery_app
from portal.outbox import QUEUES


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.1)
    raise AssertionError(f"still waiting after {timeout} s for {what}")


class _SMTPHandler(socketserver.StreamRequestHandler):
    def reply(self, text):
        self.wfile.write(text.encode() + b"\r\n")

    def handle(self):
        sink = self.server.sink
        with sink.lock:
            sink.connections += 1
        self.reply("220 sink ESMTP")
        recipients = []
        while line := self.rfile.readline():
            verb = line[:4].decode(errors="replace").upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 sink")
            elif verb == "MAIL":
                time.sleep(sink.delay)  # a slow server: the time a worker may be killed in
                recipients = []
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(line.split(b":", 1)[1].strip().strip(b"<>").decode())
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 go on")
                lines = []
                while (data := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(data[1:] if data.startswith(b"..") else data)
                with sink.lock:
                    sink.messages.append((recipients, email.message_from_bytes(b"".join(lines))))
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:  # RSET, NOOP
                self.reply("250 OK")


class SMTPSink:
    """An SMTP server on a free port that keeps every message (recipients, parsed email)."""

    def __init__(self, delay=0.0):
        self.delay, self.lock = delay, threading.Lock()
        self.messages, self.connections = [], 0
        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
        self.server.daemon_threads = True
        self.server.sink = self
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()

    def recipients(self):
        with self.lock:
            return [address for to, _message in self.messages for address in to]


class RedisServer:
    """A private redis-server (no persistence) that a test can stop and start again."""

    def __init__(self, port=None):
        if not shutil.which("redis-server"):
            pytest.skip("redis-server is not installed")
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                *("redis-server", "--bind", "127.0.0.1", "--port", str(self.port)),
                *("--save", "", "--appendonly", "no"),
            ],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port)
        wait_for(lambda: _pings(client), 10, f"redis-server on {self.port}")

    def stop(self):
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


def _pings(client):
    try:
        return client.ping()
    except redis.RedisError:
        return False


def worker_database_url():
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("workers share the test database only on PostgreSQL")
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


class Worker:
    """`celery worker` taking every queue of the site under `prefix`, against `broker_url`, on
    the test database, sending email to `smtp_port`."""

    def __init__(self, broker_url, prefix, smtp_port, **environment):
        queues = ",".join(prefix + queue for queue in QUEUES)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "portal.settings.test",
            "DATABASE_URL": worker_database_url(),
            "CELERY_BROKER_URL": broker_url,
            "CELERY_RESULT_BACKEND": broker_url,
            "CELERY_QUEUE_PREFIX": prefix,
            "TEST_WORKER_SMTP_PORT": str(smtp_port),
            **{name: str(value) for name, value in environment.items()},
        }
        env.pop("REDIS_URL", None)  # the worker's cache is its own memory
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "celery", "-A", "portal", "worker"),
                *("--pool", "solo", "--queues", queues, "--hostname", f"{prefix}w@%h"),
                *("--loglevel", "warning"),
                *("--without-gossip", "--without-mingle", "--without-heartbeat"),
            ],
            env=env,
            cwd=settings.BASE_DIR,
        )

    def kill(self):
        """kill -9: no chance to finish, acknowledge or roll anything back itself."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@contextlib.contextmanager
def broker_for_this_process(broker_url, prefix):
    """This test process sends its tasks to `broker_url` (queues under `prefix`), not in-process."""
    conf = celery_app.conf
    names = ("broker_url", "broker_write_url", "broker_read_url", "task_always_eager")
    saved = {name: conf[name] for name in names}, settings.CELERY_QUEUE_PREFIX
    conf.update(broker_url=broker_url, broker_write_url=broker_url, broker_read_url=broker_url)
    conf.task_always_eager = False
    settings.CELERY_QUEUE_PREFIX = prefix
    _forget_connections()
    try:
        yield
    finally:
        _forget_connections()
        conf.update(saved[0])
        settings.CELERY_QUEUE_PREFIX = saved[1]


def _forget_connections():
    """Celery keeps a pool of broker connections made from the URL it had then."""
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


class Faults:
    """A private broker (not started yet), an SMTP sink, workers started with them, and their
    queue prefix. `send_through_broker()`: from then on this test process sends its tasks to
    that broker instead of running them in-process."""

    def __init__(self, stack):
        self.stack, self.started = stack, []
        self.broker, self.sink = RedisServer(), SMTPSink()
        self.prefix = f"fault-{uuid.uuid4().hex[:8]}-"
        stack.callback(self.sink.close)
        stack.callback(self.broker.stop)
        stack.callback(lambda: [worker.stop() for worker in self.started])

    def worker(self, **environment):
        self.started.append(Worker(self.broker.url, self.prefix, self.sink.port, **environment))
        return self.started[-1]

    def send_through_broker(self):
        self.stack.enter_context(broker_for_this_process(self.broker.url, self.prefix))


@contextlib.contextmanager
def fault_services():
    with contextlib.ExitStack() as stack:
        yield Faults(stack)


def twice_at_once(work):
    """work() in two threads, each on its own database connection, released together by a
    barrier (two beats firing the same schedule). Returns both results; errors are raised."""
    barrier = threading.Barrier(2)

    def run(_):
        try:
            barrier.wait(timeout=30)
            return work()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=2) as pool:
        return list(pool.map(run, range(2)))
