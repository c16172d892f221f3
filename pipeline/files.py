"""Writing output files so that a reader never sees half of one."""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path


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


def inside(out_dir: str | Path, rel: str | Path) -> Path:
    """``out_dir/rel``, confirmed to lie inside ``out_dir`` with no symbolic link on the way.

    ``rel`` must be relative and free of ``..``; every folder between ``out_dir`` and
    the file that exists already must be a real folder, and the file itself, if it
    exists, a regular file: a link planted in the output cannot redirect a write (or a
    deletion) elsewhere. Raises :class:`UnsafePath` otherwise.
    """
    base = Path(out_dir)
    rel = Path(rel)
    if rel.is_absolute() or not rel.parts or any(p in ("", ".", "..") for p in rel.parts) \
            or any(c in str(rel) for c in "\x00\\"):
        raise UnsafePath(f"{rel} is not a plain relative path")
    root = base.resolve()
    here = base
    for part in rel.parts:
        here = here / part
        if here.is_symlink():
            raise UnsafePath(f"{here} is a symbolic link")
        if not os.path.lexists(here):
            break
    target = base / rel
    try:
        target.resolve().relative_to(root)
    except ValueError:
        raise UnsafePath(f"{target} lies outside {base}") from None
    return target
