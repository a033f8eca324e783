"""Uploaded populations: a CSV or Parquet file streamed to the job cache, validated column by column
by peloton.simulate.population (the same pass `peloton simulate --population FILE` makes), and kept
under its content hash until the jobs that use it are deleted or it expires.

Each upload is written under a temporary name and renamed into place only after validation, so a file
that exists under its id is a whole, checked population; its description (<id>.json) is written the
same way. Its id is its content hash, checked once per server process before the file is used: a
file whose bytes no longer match is deleted, never read. Nothing else the user sends is kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict
from starlette.concurrency import run_in_threadpool

from peloton.api.atomic import write_json_atomically
from peloton.errors import InputError
from peloton.user_text import check_text

ID_LENGTH = 32
MAX_UPLOAD_BYTES = 100_000_000  # a population of about two million records as CSV
MAX_UPLOAD_RECORDS = 2_500_000  # as many as a synthetic population may have (POST /simulations)
UPLOAD_TTL_SECONDS = 24 * 3600  # an upload no job has used for a day is deleted
PARQUET_MAGIC = b"PAR1"


class UploadTooLarge(Exception):
    """The streamed upload passed MAX_UPLOAD_BYTES."""


class Upload(BaseModel):
    """What an upload is: its id (the hash of its bytes), format, records and weighted firms; kept
    as <id>.json beside the file, and the body of POST /populations (with the URL)."""

    model_config = ConfigDict(frozen=True)

    id: str
    format: str
    records: int
    firms: float
    all_synthetic: bool
    bytes: int
    name: str

    def as_dict(self) -> dict[str, Any]:
        return self.model_dump()


def valid_upload_id(text: str) -> bool:
    return len(text) == ID_LENGTH and all(c in "0123456789abcdef" for c in text)


class UploadStore:
    """The uploads folder of the job cache."""

    def __init__(self, root: Path) -> None:
        self.root = root / "uploads"
        self.checked: set[tuple[str, int, int]] = set()  # (id, size, inode) whose hash matched

    def path(self, upload: str) -> Path | None:
        """The population file of an upload id, or None when there is none (or it was damaged)."""
        if not valid_upload_id(upload):
            return None
        for suffix in (".csv", ".parquet"):
            candidate = self.root / f"{upload}{suffix}"
            if candidate.is_file():
                return candidate if self._matches(upload, candidate) else None
        return None

    def _matches(self, upload: str, path: Path) -> bool:
        try:
            stat = path.stat()
            key = (upload, stat.st_size, stat.st_ino)
            if key in self.checked:
                return True
            digest = hashlib.sha256()
            with path.open("rb") as handle:
                while block := handle.read(1 << 20):
                    digest.update(block)
        except OSError:
            return False
        if digest.hexdigest()[:ID_LENGTH] == upload:
            self.checked.add(key)
            return True
        for item in (path, self.root / f"{upload}.json"):
            with contextlib.suppress(OSError):
                item.unlink()
        return False

    def info(self, upload: str) -> Upload | None:
        if self.path(upload) is None:
            return None
        try:
            data = json.loads((self.root / f"{upload}.json").read_text(encoding="utf-8"))
            return Upload(**data)
        except (OSError, ValueError, TypeError):
            return None

    async def receive(self, chunks: AsyncIterator[bytes], name: str, declared: str | None) -> Upload:
        """Stream the body to a temporary file (at most MAX_UPLOAD_BYTES), hash it, validate it, and
        keep it under its hash. `declared` is the format the client named (csv or parquet), if any."""
        check_text("name", name, 200)  # kept in the description and shown back: no bidi tricks
        self.root.mkdir(parents=True, exist_ok=True)
        self.expire()
        tmp = self.root / f".upload-{os.getpid()}-{time.monotonic_ns()}.tmp"
        digest = hashlib.sha256()
        size = 0
        head = b""
        try:
            with tmp.open("wb") as handle:
                async for chunk in chunks:
                    size += len(chunk)
                    if size > MAX_UPLOAD_BYTES:
                        raise UploadTooLarge
                    if len(head) < 4:
                        head = (head + chunk)[:4]
                    digest.update(chunk)
                    handle.write(chunk)
            if size == 0:
                raise InputError("population", "the upload is empty (expected a CSV or Parquet file)")
            fmt = _format(head, name, declared)
            upload = digest.hexdigest()[:ID_LENGTH]
            existing = self.info(upload)
            if existing is not None:
                self.touch(upload)
                return existing
            return await run_in_threadpool(self._keep, tmp, upload, fmt, size, name)
        finally:
            with contextlib.suppress(OSError):
                tmp.unlink()

    def _keep(self, tmp: Path, upload: str, fmt: str, size: int, name: str) -> Upload:
        from peloton.simulate.population import PopulationFile

        checked = tmp.with_name(f".{upload}.{os.getpid()}.{fmt}")
        os.replace(tmp, checked)
        try:
            population = PopulationFile(checked, kind="user")
            claimed = population.count_rows()  # Parquet: from its metadata, before reading a row
            if claimed > MAX_UPLOAD_RECORDS:
                raise InputError(
                    "population",
                    f"{checked.name} claims {claimed:,} records; an upload may hold at most "
                    f"{MAX_UPLOAD_RECORDS:,}",
                )
            info = population.validate()
            if info.records > MAX_UPLOAD_RECORDS:
                raise InputError(
                    "population",
                    f"{checked.name} holds {info.records:,} records; at most {MAX_UPLOAD_RECORDS:,}",
                )
        except InputError as exc:
            checked.unlink(missing_ok=True)
            raise InputError(exc.field, exc.problem.replace(checked.name, name or "the upload")) from None
        description = Upload(
            id=upload,
            format=fmt,
            records=info.records,
            firms=info.firms,
            all_synthetic=info.all_synthetic,
            bytes=size,
            name=name[:200],
        )
        write_json_atomically(self.root / f"{upload}.json", description.as_dict())
        os.replace(checked, self.root / f"{upload}.{fmt}")
        return description

    def touch(self, upload: str) -> None:
        """Mark an upload as used now (a job was submitted on it), so it does not expire under the job."""
        path = self.path(upload)
        if path is not None:
            with contextlib.suppress(OSError):
                os.utime(path)

    def delete(self, upload: str) -> bool:
        path = self.path(upload)
        if path is None:
            return False
        for item in (path, self.root / f"{upload}.json"):
            with contextlib.suppress(OSError):
                item.unlink()
        return True

    def expire(self, now: float | None = None) -> None:
        """Delete uploads unused for UPLOAD_TTL_SECONDS, and temporary files a killed server left."""
        if not self.root.is_dir():
            return
        now = time.time() if now is None else now
        for item in self.root.iterdir():
            try:
                age = now - item.stat().st_mtime
            except OSError:
                continue
            if item.name.startswith(".") and age > 3600:
                with contextlib.suppress(OSError):
                    item.unlink()
            elif item.suffix in (".csv", ".parquet") and age > UPLOAD_TTL_SECONDS:
                self.delete(item.stem)
        for item in self.root.glob("*.json"):
            if self.path(item.stem) is None:
                with contextlib.suppress(OSError):
                    item.unlink()


def _format(head: bytes, name: str, declared: str | None) -> str:
    """csv or parquet: Parquet files start with PAR1; a declared or named format must agree."""
    sniffed = "parquet" if head == PARQUET_MAGIC else "csv"
    wanted = declared or (
        "parquet"
        if name.lower().endswith((".parquet", ".pq"))
        else "csv"
        if name.lower().endswith(".csv")
        else None
    )
    if wanted is not None and wanted != sniffed:
        raise InputError("population", f"the upload was declared {wanted} but its content is {sniffed}")
    return sniffed
