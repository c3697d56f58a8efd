"""Excel and CSV exports: XlsxWriter through pandas, with formula injection neutralised."""

from __future__ import annotations

import io

import pandas as pd

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """A text cell that Excel would run as a formula gets a leading apostrophe (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def to_xlsx(sheets: dict[str, pd.DataFrame]) -> bytes:
    """One workbook, one sheet per item, columns sized to their content."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter") as writer:
        for name, frame in sheets.items():
            safe = frame.map(neutralise) if not frame.empty else frame
            safe.to_excel(writer, sheet_name=name[:31], index=False)
            sheet = writer.sheets[name[:31]]
            for i, column in enumerate(safe.columns):
                width = max([len(str(column))] + [len(str(v)) for v in safe[column].head(500)]) + 2
                sheet.set_column(i, i, min(max(width * 1.6, 8), 50))
            sheet.freeze_panes(1, 0)
    return buffer.getvalue()


def to_csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 with BOM, so that Excel opens Chinese correctly."""
    return frame.map(neutralise).to_csv(index=False).encode("utf-8-sig")
