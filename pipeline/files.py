"""Writing output files so that a reader never sees half of one."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path

from pipeline.errors import Problem


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


# --- names and places of output files ------------------------------------------
#
# Every output file is named from an id a document gives (TEI/@xml:id, a person's
# xml:id) or, failing that, from a file stem. Such a value is data from anyone: it is
# checked to be an XML name (NCName: no "/", no ":", no leading "." and no control
# characters, so it is one plain path segment) before it names a file, and the path is
# confirmed to lie inside the output folder before anything is written there.

_NAME_START = ("A-Z_a-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff"
               "\u200c-\u200d\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf"
               "\ufdf0-\ufffd\U00010000-\U000effff")
_NAME_CHAR = _NAME_START + r"\-.0-9\u00b7\u0300-\u036f\u203f-\u2040"
_NCNAME = re.compile(f"[{_NAME_START}][{_NAME_CHAR}]*")
#: Longer ids would make file names some file systems refuse (255 bytes with a suffix).
MAX_ID_BYTES = 200


class UnsafePath(ValueError):
    """A path that would leave the output folder (or pass through a symbolic link)."""


def is_ncname(value: str) -> bool:
    """Is ``value`` an XML NCName (what xml:id must be)?"""
    return _NCNAME.fullmatch(value) is not None


def safe_id(value: str | None) -> bool:
    """Can ``value`` name an output file: an NCName of at most :data:`MAX_ID_BYTES`?"""
    return bool(value) and is_ncname(value) and len(value.encode("utf-8")) <= MAX_ID_BYTES


def _plain_parts(rel: str | Path) -> list[str] | None:
    """The segments of a plain relative path, or None (absolute, "..", ".", empty
    segments, NUL or backslash: shapes that could leave the folder on some system)."""
    text = rel.as_posix() if isinstance(rel, Path) else rel
    if not isinstance(text, str) or not text or "\0" in text or "\\" in text:
        return None
    parts = text.split("/")
    if text.startswith("/") or any(p in ("", ".", "..") for p in parts):
        return None
    return parts


class Inside:
    """Confines paths to one folder: ``Inside(out)(rel)`` is ``out/rel`` when it lies
    inside ``out`` with no symbolic link on the way, else None.

    ``rel`` comes from places an attacker can reach (an ``xml:id``, a manifest someone
    edited), so it is checked by its shape and by what is on the disk: every part of
    the path that exists must be a real folder (or, last, a real file), so a link
    planted in the output cannot redirect a write or a deletion elsewhere. The folders
    are checked once per Inside: a rebuild checks every output of every record
    (40,000 paths at 10,000 records).
    """

    def __init__(self, root: str | Path):
        self.base = Path(root)
        self.root = self.base.resolve()
        self._folders: dict[str, Path | None] = {}

    def __call__(self, rel: str | Path) -> Path | None:
        parts = _plain_parts(rel)
        if parts is None:
            return None
        key = "/".join(parts[:-1])
        if key not in self._folders:
            self._folders[key] = self._folder(parts[:-1])
        folder = self._folders[key]
        if folder is None:
            return None
        target = folder / parts[-1]
        return None if target.is_symlink() else target

    def _folder(self, parts: list[str]) -> Path | None:
        here = self.root
        for part in parts:
            here = here / part
            if here.is_symlink():
                return None
            if not os.path.lexists(here):
                break
        return self.root.joinpath(*parts)


def inside(out_dir: str | Path, rel: str | Path) -> Path:
    """``out_dir/rel`` (resolved), confirmed by :class:`Inside` to lie inside ``out_dir``
    with no symbolic link on the way; raises :class:`UnsafePath` otherwise."""
    target = Inside(out_dir)(rel)
    if target is None:
        raise UnsafePath(f"{rel} is not a plain path inside {out_dir} (or passes a link)")
    return target


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


# --- where a command may write --------------------------------------------------
#
# A command's output path comes from the user: a typo or a CI job's wrong variable must
# end in one message, before any work is done, not in a traceback half-way through,
# and never in folders made somewhere unexpected (`-o /sitee/x` once made /sitee).

def _nearest_existing(path: Path) -> Path:
    here = path
    while not os.path.lexists(here) and here != here.parent:
        here = here.parent
    return here


def _writable(folder: Path) -> bool:
    return os.access(folder, os.W_OK | os.X_OK)


def output_folder_problem(path: str | Path, *, what: str = "output folder") -> Problem | None:
    """Why ``path`` cannot be the output folder (a Problem), or None when it can.

    The folder itself is made when missing (it is what ``--output`` names); missing
    folders above it only under the current folder, since elsewhere a typo would
    silently make folders in places nobody looks (the filesystem root).
    """
    path = Path(path)
    name = str(path)
    if not name or name.strip() == "":
        return Problem(name, 0, 0, "error", "output-path", f"the {what} is empty",
                       "give a folder name")
    if os.path.lexists(path):
        if not path.is_dir():
            return Problem(name, 0, 0, "error", "output-path",
                           f"is a file, not a folder: it cannot be the {what}",
                           "give a folder, or move the file away")
        if not _writable(path):
            return Problem(name, 0, 0, "error", "output-path",
                           f"the {what} is read-only", "give a folder you can write to")
        return None
    return _missing_problem(path, name, what)


def output_file_problem(path: str | Path, *, what: str = "output file",
                        example: str = "out.xml") -> Problem | None:
    """Why ``path`` cannot be written as one output file (a Problem), or None;
    ``example`` is the file name the hint suggests."""
    name = str(path)
    if not name.strip():
        return Problem(name, 0, 0, "error", "output-path", f"the {what} is empty",
                       f"give a file name, e.g. {example}")
    path = Path(path)
    if path.is_dir():
        return Problem(name, 0, 0, "error", "output-path",
                       f"is a folder, not a file: the {what} cannot be written there",
                       f"give a file name, e.g. {path / example}")
    if name.endswith(("/", os.sep)):
        return Problem(name, 0, 0, "error", "output-path",
                       f"names a folder (it ends in /), not a file: the {what} cannot be "
                       "written there", f"give a file name, e.g. {path / example}")
    parent = path.parent
    if os.path.lexists(parent) and parent.is_dir():
        if not _writable(parent):
            return Problem(name, 0, 0, "error", "output-path",
                           f"its folder {parent} is read-only", "give a folder you can write to")
        return None
    return _missing_problem(parent, name, what)


def _missing_problem(folder: Path, name: str, what: str) -> Problem | None:
    base = _nearest_existing(folder)
    if not base.is_dir():
        return Problem(name, 0, 0, "error", "output-path",
                       f"{base} is a file, so the {what} cannot be made inside it",
                       "give a path through folders only")
    # The folder --output names (for a file: the folder it names for the file) is
    # made; missing folders above it only under the current folder.
    above = folder.parent
    if not os.path.lexists(above) and not _under_cwd(above):
        return Problem(name, 0, 0, "error", "output-path",
                       f"the folder {above} does not exist",
                       "create it first (teipipe makes missing folders only under the "
                       "current folder)")
    if not _writable(base):
        return Problem(name, 0, 0, "error", "output-path",
                       f"{base} is read-only: the {what} cannot be made there",
                       "give a folder you can write to")
    return None


def _under_cwd(path: Path) -> bool:
    try:
        return Path(os.path.abspath(path)).is_relative_to(Path.cwd().resolve()) or \
            Path(os.path.abspath(path)).is_relative_to(Path(os.getcwd()))
    except OSError:  # the current folder was removed
        return False


def write_problem(path: object, error: OSError) -> Problem:
    """The one line for an output the system refused to write (``error`` names the
    path where it can; else ``path``): a file where a folder is made, a folder where a
    file is written, a permission, a full disk."""
    where = error.filename or path
    if isinstance(error, (FileExistsError, NotADirectoryError)):
        # mkdir of a folder whose name a file already has, or a path through a file
        message = "is a file where a folder is needed"
    elif isinstance(error, IsADirectoryError):
        message = "is a folder where a file is to be written"
    else:
        message = f"cannot be written: {error.strerror or type(error).__name__}"
    return Problem(str(where), 0, 0, "error", "output-path", message,
                   "check the output path and its permissions")
