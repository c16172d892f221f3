"""Writing output files so that a reader never sees half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def _umask() -> int:
    # os.umask can only be read by setting it; set it back at once
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


#: The mode of every file teipipe writes: what open() would give (0666 less the umask).
#: mkstemp makes its files 0600, which a web server serving an edition cannot read.
FILE_MODE = 0o666 & ~_umask()


def write_atomic(path: str | Path, data: bytes | str) -> None:
    """Write a file whole or not at all: a temp file beside it, then a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            os.fchmod(f.fileno(), FILE_MODE)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


# --- confinement: a relative path that stays inside its folder -----------------

def inside(root: str | Path, rel: str) -> Path | None:
    """``root/rel`` when it lies inside ``root`` (itself resolved), else None.

    ``rel`` comes from places an attacker can reach (an ``xml:id``, a manifest
    someone edited), so it is checked both by its shape (relative, no ``..``, no
    empty or ``.`` segment) and, with every symbolic link of its folders followed,
    by where it really lands. The last segment is not followed: a build replaces
    or removes a link there, it never writes through it.
    """
    return Inside(root)(rel)


class Inside:
    """:func:`inside` for many paths under one root: each folder is resolved once.

    A rebuild checks every output of every record (40,000 paths at 10,000
    records); resolving each path's folders again would cost more than the check.
    """

    def __init__(self, root: str | Path):
        self.root = Path(root).resolve()
        self._folders: dict[str, Path | None] = {}

    def __call__(self, rel: str) -> Path | None:
        if not isinstance(rel, str) or not rel or "\0" in rel or "\\" in rel:
            return None
        parts = rel.split("/")
        if rel.startswith("/") or any(p in ("", ".", "..") for p in parts):
            return None
        folder_rel = "/".join(parts[:-1])
        if folder_rel not in self._folders:
            self._folders[folder_rel] = self._folder(parts[:-1])
        folder = self._folders[folder_rel]
        return None if folder is None else folder / parts[-1]

    def _folder(self, parts: list[str]) -> Path | None:
        try:
            folder = self.root.joinpath(*parts).resolve()
        except (OSError, RuntimeError):  # a loop of links
            return None
        if folder != self.root and self.root not in folder.parents:
            return None
        return folder


# --- one writer per folder ---------------------------------------------------

class FolderBusy(Exception):
    """Another process holds the lock on the folder."""


class FolderLock:
    """An exclusive lock on a folder, held through an open lock file inside it.

    The lock is ``flock`` on the file: the kernel drops it when the holder dies,
    however it dies (kill -9 included), so a lock left by a killed process never
    blocks the next one, and nothing has to be cleaned up. The file stays, empty:
    removing it would let a waiting process lock a file another has just replaced.
    Where ``fcntl`` does not exist (Windows) the lock is a no-op.
    """

    def __init__(self, folder: str | Path, name: str, wait: bool = False):
        self.path = Path(folder) / name
        self.wait = wait
        self._fd: int | None = None

    def __enter__(self) -> FolderLock:
        try:
            import fcntl
        except ImportError:  # pragma: no cover - no flock on this platform
            return self
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if self.wait else fcntl.LOCK_NB))
        except BlockingIOError:
            os.close(fd)
            raise FolderBusy(str(self.path.parent)) from None
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        return self

    def __exit__(self, *exc: object) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the last descriptor releases the lock
            self._fd = None
