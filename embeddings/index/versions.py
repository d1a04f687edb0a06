"""Index versions: every build or update writes a whole new folder, and a link swap makes it current.

    var/index             a symbolic link to the current version
    var/index.versions/   000011/  000012/  ...  (whole index folders, see `build.py`)
    var/index.lock        held by whoever writes a version or the articles folder

`INDEX_DIR` stays "the index folder" for everything that reads it; a reader
resolves the link once (`current`) and loads that folder, so a swap in the
middle of a load cannot mix two versions. A new version is written under a
temporary name and renamed when complete; the link is then replaced in one
`rename`, so a crash at any point leaves the previous version whole and
current. The last `KEEP` versions stay on disk: a process that loaded an
older one keeps its memory-mapped files (Linux frees them only when unmapped).

The lock (`writing`) is a `flock` on `index.lock`: it orders writers in this
process and in every other one that sees the folder, replicas on a shared
volume included. It is re-entrant within a thread.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path

KEEP = 3
_VERSION = re.compile(r"^\d{6}$")
_STALE_BUILD_SECONDS = 24 * 3600


def versions_dir(index_dir: Path) -> Path:
    """Where the versions of `index_dir` are kept."""
    return index_dir.with_name(f"{index_dir.name}.versions")


def current(index_dir: Path) -> Path:
    """The folder `index_dir` stands for right now (itself when it is a plain folder of the older layout)."""
    return index_dir.resolve() if index_dir.is_symlink() else index_dir


@contextlib.contextmanager
def new_version(index_dir: Path) -> Iterator[Path]:
    """A folder to write a version into; when the block completes it becomes current, else it vanishes.

    The caller holds `writing(index_dir)` when other writers may run.
    """
    root = versions_dir(index_dir)
    root.mkdir(parents=True, exist_ok=True)
    tmp = root / f".building-{os.getpid()}-{threading.get_ident()}"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir()
    try:
        yield tmp
        _adopt_older_layout(index_dir, root)
        final = _place(tmp, root)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _point(index_dir, final)
    # Deleting a version frees hundreds of megabytes at scale: not on the way of the caller.
    threading.Thread(target=prune, args=(index_dir,), name="prune-versions", daemon=True).start()


def prune(index_dir: Path, keep: int = KEEP) -> None:
    """Delete all but the newest `keep` versions (never the current one), and builds abandoned long ago."""
    root = versions_dir(index_dir)
    if not root.is_dir():
        return
    now = current(index_dir)
    numbered = sorted(p for p in root.iterdir() if _VERSION.match(p.name))
    for old in numbered[:-keep] if keep else numbered:
        if old != now:
            shutil.rmtree(old, ignore_errors=True)
    for leftover in root.glob(".building-*"):
        with contextlib.suppress(OSError):
            if time.time() - leftover.stat().st_mtime > _STALE_BUILD_SECONDS:
                shutil.rmtree(leftover, ignore_errors=True)


def _next_number(root: Path) -> int:
    numbers = [int(p.name) for p in root.iterdir() if _VERSION.match(p.name)]
    return max(numbers, default=0) + 1


def _place(tmp: Path, root: Path) -> Path:
    """Rename the finished `tmp` to the next free version number."""
    for _ in range(100):
        final = root / f"{_next_number(root):06d}"
        try:
            tmp.rename(final)
        except OSError:  # another writer, not holding the lock, took that number first
            continue
        return final
    msg = f"no free version number in {root}"
    raise OSError(msg)


def _adopt_older_layout(index_dir: Path, root: Path) -> None:
    """A plain index folder (written before versions existed) becomes a version, so the link can replace it."""
    if index_dir.is_dir() and not index_dir.is_symlink():
        _place(index_dir, root)


def _point(index_dir: Path, target: Path) -> None:
    """Make `index_dir` a link to `target` in one rename (relative, so the pair can be moved together)."""
    link = index_dir.with_name(f".{index_dir.name}.link-{os.getpid()}-{threading.get_ident()}")
    with contextlib.suppress(FileNotFoundError):
        link.unlink()
    link.symlink_to(os.path.relpath(target, index_dir.parent), target_is_directory=True)
    os.replace(link, index_dir)


class _Held:
    """A lock file's lock in this process: the thread holding it, and how deep."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.depth = 0


_held: dict[Path, _Held] = {}
_held_guard = threading.Lock()


@contextlib.contextmanager
def writing(index_dir: Path) -> Iterator[None]:
    """Hold the writers' lock of `index_dir` (and of the articles folder beside it) for the block."""
    path = index_dir.with_name(f"{index_dir.name}.lock").absolute()
    with _held_guard:
        held = _held.setdefault(path, _Held())
    with held.lock:
        if held.depth:
            held.depth += 1
            try:
                yield
            finally:
                held.depth -= 1
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a") as handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            held.depth = 1
            try:
                yield
            finally:
                held.depth = 0
                fcntl.flock(handle, fcntl.LOCK_UN)
