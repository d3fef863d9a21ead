"""One exception hierarchy for the whole package.

Library code raises these; the CLI turns :class:`NetAnalysisError` into a one-line message and
exit code 2 (bad input or bad options), anything else into exit code 1.
"""

from __future__ import annotations

__all__ = ["NetAnalysisError", "InputError", "OptionError", "EmptyNetworkError"]


class NetAnalysisError(Exception):
    """Base class: a problem the user can fix (input, options)."""


class InputError(NetAnalysisError):
    """Bad input data. The message names the file, the row and the column where known.

    Rows are numbered as a spreadsheet shows them: the header is row 1, the first record row 2.
    """

    def __init__(self, message: str, *, file: str | None = None, row: int | None = None,
                 column: str | None = None):
        self.file, self.row, self.column, self.reason = file, row, column, message
        where = []
        if file is not None:
            where.append(str(file))
        if row is not None:
            where.append(f"row {row}")
        if column is not None:
            where.append(f"column '{column}'")
        super().__init__(f"{', '.join(where)}: {message}" if where else message)


class OptionError(NetAnalysisError):
    """An option or parameter value that cannot be used."""


class EmptyNetworkError(NetAnalysisError):
    """The network (or the selected view) has no nodes, so the measure is undefined."""
