"""Back up the database and both file stores into one archive, and put them back from it.

The archive is a plain tar file (what it holds is compressed already or does not compress):

    database.pgdump        pg_dump's custom format, when the database is PostgreSQL
    database.sqlite3       a copy made by SQLite's backup API, when it is SQLite
    media/public/...       every file of the public store (avatars, CMS images and documents)
    media/private/...      every file of the private store (case attachments, forum pictures,
                           "my data" ZIPs)
    manifest.json          when, from which database, and each file's size and SHA-256

Files are read and written through the storage API, so the same archive moves between folders
and S3-compatible buckets. `manage.py backup` and `manage.py restore` call these functions.
"""

import hashlib
import io
import json
import os
import posixpath
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core.cache import caches
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, connections

from portal.actions import Refused
from portal.storage import private_storage

FORMAT = 1
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024


class BackupError(Refused):
    """Backing up or restoring cannot go on; the message says why."""


def stores():
    """The file stores, by the name they have in an archive."""
    return {"public": default_storage, "private": private_storage}


@dataclass
class Entry:
    path: str
    size: int
    sha256: str


# -- Backing up ---------------------------------------------------------------------------------


def backup(output, *, log=print):
    """Write the archive to output (a path); return the manifest."""
    partial = f"{output}.partial"
    started = time.monotonic()
    try:
        manifest = _write(partial, log)
    except BaseException:
        if os.path.exists(partial):
            os.remove(partial)
        raise
    os.replace(partial, output)
    log(f"written in {time.monotonic() - started:.1f} s")
    return manifest


def _write(partial, log):
    entries = []
    with (
        tempfile.TemporaryDirectory(prefix="portal-backup-") as work,
        tarfile.open(partial, "w", format=tarfile.PAX_FORMAT) as archive,
    ):
        # The database first: files saved after it are extra, never missing.
        path, member = _dump_database(work)
        with open(path, "rb") as dump:
            entries.append(_add(archive, member, dump, os.path.getsize(path)))
        log(f"database: {entries[0].size} bytes")
        for store_name, storage in stores().items():
            count = 0
            for name in _walk(storage):
                with storage.open(name, "rb") as source:
                    entries.append(_add(archive, f"media/{store_name}/{name}", source, source.size))
                count += 1
            log(f"{store_name} files: {count}")
        manifest = {
            "format": FORMAT,
            "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": connection.vendor,
            "entries": [vars(entry) for entry in entries],
        }
        data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mtime = len(data), int(time.time())
        archive.addfile(info, io.BytesIO(data))
    return manifest


def _dump_database(work):
    if connection.vendor == "postgresql":
        path = os.path.join(work, "database.pgdump")
        _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", path])
        return path, "database.pgdump"
    if connection.vendor == "sqlite":
        path = os.path.join(work, "database.sqlite3")
        connection.ensure_connection()
        with sqlite3.connect(path) as target:
            connection.connection.backup(target)
        target.close()
        return path, "database.sqlite3"
    raise BackupError(f"Backing up a {connection.vendor} database is not supported.")


def _walk(storage, folder=""):
    """Every file name under folder, through the storage API (folders and buckets alike)."""
    try:
        folders, files = storage.listdir(folder)
    except FileNotFoundError:  # a store nothing was ever saved to
        return
    for name in sorted(files):
        yield posixpath.join(folder, name)
    for name in sorted(folders):
        yield from _walk(storage, posixpath.join(folder, name))


def _add(archive, path, source, size):
    """Add size bytes of source to the archive as path; its entry with the SHA-256."""
    info = tarfile.TarInfo(path)
    info.size, info.mtime = size, int(time.time())
    reader = _Reader(source)
    archive.addfile(info, reader)
    if reader.read_bytes != size:
        raise BackupError(f"{path} changed while it was copied; run the backup again.")
    return Entry(path, size, reader.hash.hexdigest())


class _Reader:
    """A file read through, hashing what passes."""

    def __init__(self, file):
        self.file, self.hash, self.read_bytes = file, hashlib.sha256(), 0

    def read(self, size=-1):
        data = self.file.read(size)
        self.hash.update(data)
        self.read_bytes += len(data)
        return data


# -- Restoring ----------------------------------------------------------------------------------


def read_manifest(path):
    """The archive's manifest, after checking every entry's size and SHA-256 against it."""
    try:
        archive = tarfile.open(path, "r:")  # noqa: SIM115 (closed by the with below)
    except (OSError, tarfile.TarError) as error:
        raise BackupError(f"{path} is not a backup archive: {error}") from error
    with archive:
        try:
            manifest = json.load(archive.extractfile(MANIFEST))
        except (KeyError, ValueError) as error:
            raise BackupError(f"{path} has no readable manifest.") from error
        if manifest.get("format") != FORMAT:
            raise BackupError(f"{path} is an archive of an unknown format.")
        for entry in manifest["entries"]:
            _check_name(entry["path"])
            try:
                member = archive.extractfile(entry["path"])
            except KeyError as error:
                raise BackupError(f"{entry['path']} is missing from the archive.") from error
            digest, size = hashlib.sha256(), 0
            while chunk := member.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
            if (size, digest.hexdigest()) != (entry["size"], entry["sha256"]):
                raise BackupError(f"{entry['path']} does not match its checksum: damaged.")
    return manifest


def _check_name(path):
    parts = path.split("/")
    if (
        path.startswith("/")
        or ".." in parts
        or not (
            path in ("database.pgdump", "database.sqlite3")
            or (len(parts) > 2 and parts[0] == "media" and parts[1] in stores())
        )
    ):
        raise BackupError(f"{path}: not a name a backup archive holds.")


def holds_data():
    """What is in the way of a restore: the database's tables, the stores' first files."""
    found = []
    tables = connection.introspection.table_names()
    if tables:
        found.append(f"the database has {len(tables)} tables")
    for name, storage in stores().items():
        if next(_walk(storage), None):
            found.append(f"the {name} file store has files")
    return found


def restore(path, manifest, *, log=print):
    """Replace the database with the archive's, then save its files into the stores."""
    if manifest["database"] != connection.vendor:
        raise BackupError(
            f"The archive holds a {manifest['database']} database; this site uses "
            f"{connection.vendor}."
        )
    started = time.monotonic()
    with tarfile.open(path, "r:") as archive, tempfile.TemporaryDirectory() as work:
        for entry in manifest["entries"]:
            name = entry["path"]
            if name.startswith("database."):
                local = os.path.join(work, name)
                with archive.extractfile(name) as source, open(local, "wb") as target:
                    shutil.copyfileobj(source, target, CHUNK)
                _load_database(local)
                log(f"database: restored from {entry['size']} bytes")
        counts = dict.fromkeys(stores(), 0)
        for entry in manifest["entries"]:
            if not entry["path"].startswith("media/"):
                continue
            _media, store_name, name = entry["path"].split("/", 2)
            storage = stores()[store_name]
            if storage.exists(name):
                storage.delete(name)
            with archive.extractfile(entry["path"]) as source:
                saved = storage.save(name, File(source, name=posixpath.basename(name)))
            if saved != name:
                raise BackupError(f"{name} was saved as {saved}.")
            counts[store_name] += 1
        for store_name, count in counts.items():
            log(f"{store_name} files: {count} restored")
    # Cached pages and sessions' cache copies belong to the database just replaced.
    for cache in caches.all():
        cache.clear()
    log(f"cache emptied; restored in {time.monotonic() - started:.1f} s")


def _load_database(local):
    if connection.vendor == "postgresql":
        connections.close_all()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--no-privileges",
                "--single-transaction",
                "--exit-on-error",
                "--dbname",
                connection.settings_dict["NAME"],
                local,
            ]
        )
    else:
        connection.ensure_connection()
        with sqlite3.connect(local) as source:
            source.backup(connection.connection)
        source.close()
    connections.close_all()


def _run(command):
    """A PostgreSQL client program with this site's connection settings."""
    # Django's own psql settings: host, port, user, password and OPTIONS (sslmode, service, ...).
    db = connection.settings_dict
    _args, client_env = connection.client.settings_to_cmd_args_env(db, [])
    env = {**os.environ, **(client_env or {}), "PGDATABASE": db["NAME"]}
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER")):
        if db.get(key):
            env[name] = str(db[key])
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError as error:
        raise BackupError(
            f"{command[0]} is not installed (apt-get install postgresql-client)."
        ) from error
    if result.returncode:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")
