"""One problem found in an extract: table, row, column and a plain message."""
from __future__ import annotations

from dataclasses import dataclass

from swgdash.i18n import _


@dataclass(frozen=True)
class Problem:
    table: str | None
    row: int | None  # as the user sees it in the file; the header is row 1
    column: str | None
    message: str
    severity: str = "error"  # "error" refuses the extract; "warning" does not
    code: str = ""  # what kind of warning, for code that counts them (e.g. "set_aside"); never shown
    texts: tuple[tuple[str, str], ...] = ()  # (language, message) of a warning kept with a version

    def text(self, lang: str) -> str:
        """The message in `lang` when it was written in it, else as written."""
        return dict(self.texts).get(lang, self.message)

    def __str__(self) -> str:
        where = []
        where.append(_("table {table}").format(table=self.table) if self.table else _("extract"))
        if self.row is not None:
            where.append(_("row {row}").format(row=self.row))
        if self.column:
            where.append(_("column {column}").format(column=self.column))
        prefix = _("warning: ") if self.severity == "warning" else ""
        return f"{prefix}{', '.join(where)}: {self.message}"

    def as_dict(self) -> dict:
        return {**({"messages": dict(self.texts)} if self.texts else {}),
                "severity": self.severity, "table": self.table or "", "row": self.row,
                "column": self.column or "", "message": self.message}
