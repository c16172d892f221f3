"""Problems found in input, reported the same way by every stage.

A problem names the file, the line (and column where known), what is wrong and
what to do about it, so that an editor can act on it without a traceback:

    seeds/x.txt:12:1: warning [date-unresolved] "15.13" is not a date (check the source)
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One message about one place in one file."""

    path: str
    line: int = 0
    col: int = 0
    severity: str = "error"  # "error" | "warning"
    code: str = ""
    message: str = ""
    hint: str = ""

    def format(self) -> str:
        """``file:line:col: severity [code] message (hint)``."""
        where = printable(self.path)
        if self.line:
            where += f":{self.line}"
            if self.col:
                where += f":{self.col}"
        text = f"{where}: {self.severity}"
        if self.code:
            text += f" [{self.code}]"
        text += f" {printable(self.message)}"
        if self.hint:
            text += f" ({printable(self.hint)})"
        return text


def printable(text: str) -> str:
    """``text`` with control characters shown as ``\\xNN``: a file name or a value
    from a hostile file must not move the cursor or forge a line of the report."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)


class InputError(Exception):
    """Input that cannot be processed at all: nothing is written for it."""

    def __init__(self, problem: Problem):
        super().__init__(problem.format())
        self.problem = problem


def internal(path: object, error: BaseException) -> Problem:
    """An unexpected failure on one file, as that file's one problem (no traceback)."""
    text = " ".join(f"{type(error).__name__}: {error}".split())
    return Problem(str(path), 0, 0, "error", "internal", printable(text)[:300],
                   "this is a bug in teipipe; please report it with the file")
