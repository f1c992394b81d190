"""`make run` on a development database made before the apps were reshaped."""

import os
import sqlite3

import psycopg
import pytest

from portal.tests.test_settings import run_manage


def test_an_old_sqlite_database_is_set_aside_and_a_new_one_made(tmp_path):
    old = tmp_path / "db.sqlite3"
    with sqlite3.connect(old) as db:
        db.execute("CREATE TABLE portal_user (id integer primary key)")
    env = {"DATABASE_URL": f"sqlite:///{old}"}

    result = run_manage("reset_old_layout", **env)
    assert result.returncode == 0, result.stderr
    assert "before-reshape" in result.stdout
    assert (tmp_path / "db.sqlite3.before-reshape").exists()

    assert not old.exists() or "portal_user" not in tables_of(old)  # `migrate` makes it anew

    with sqlite3.connect(old) as db:  # a database of today's layout
        db.execute("CREATE TABLE owners_user (id integer primary key)")
    again = run_manage("reset_old_layout", **env)
    assert again.returncode == 0 and again.stdout == ""
    assert tables_of(old) == {"owners_user"}


def tables_of(path):
    with sqlite3.connect(path) as db:
        return {row[0] for row in db.execute("SELECT name FROM sqlite_master")}


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="needs PostgreSQL"
)
def test_a_server_database_is_never_touched_only_explained():
    """Anything but a development SQLite file is the operator's to recreate."""
    server = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    name = f"old_layout_{os.getpid()}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        with psycopg.connect(f"{server}/{name}", autocommit=True) as db:
            db.execute("CREATE TABLE portal_case (id integer primary key)")
        result = run_manage("reset_old_layout", DATABASE_URL=f"{server}/{name}")
        assert result.returncode != 0
        assert "cannot be migrated forward" in result.stderr
        with psycopg.connect(f"{server}/{name}") as db:
            assert db.execute("SELECT count(*) FROM portal_case").fetchone() == (0,)
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
