"""Errors a user can act on, with the exit code each one maps to (design: 0 ok, 1 bug, 2 usage, 3 data)."""

from __future__ import annotations

from dataclasses import dataclass


class AmAnalyticsError(Exception):
    """Base class of the errors the command line reports without a traceback."""

    exit_code = 1


class UsageError(AmAnalyticsError):
    """The command was called wrongly (unknown region, malformed date, missing folder...)."""

    exit_code = 2


@dataclass(frozen=True)
class Location:
    """Where a problem sits in an input file; every part is optional because not every problem has one."""

    file: str | None = None
    line: int | None = None
    column: str | None = None
    value: str | None = None

    def describe(self) -> str:
        parts = []
        if self.file is not None:
            parts.append(self.file)
        if self.line is not None:
            parts.append(f"ligne {self.line}")
        if self.column is not None:
            parts.append(f"colonne « {self.column} »")
        if self.value is not None:
            parts.append(f"valeur « {self.value} »")
        return ", ".join(parts)


class DataError(AmAnalyticsError):
    """Input data cannot be used: the message says where, what is wrong and what to do."""

    exit_code = 3

    def __init__(self, problem: str, *, where: Location | None = None, hint: str | None = None):
        self.problem = problem
        self.where = where or Location()
        self.hint = hint
        super().__init__(self.message)

    @property
    def message(self) -> str:
        text = self.problem
        located = self.where.describe()
        if located:
            text = f"{located} : {text}"
        if self.hint:
            text = f"{text}\n  → {self.hint}"
        return text


class NotBuiltYet(AmAnalyticsError):
    """A wired command whose implementation has not been written yet: said plainly, never faked."""

    exit_code = 1
