"""A dashboard table as CSV (UTF-8 with BOM, so Excel reads Vietnamese) or XLSX.

Values are written as the API gives them (ratios as fractions, shown as percentages in XLSX), so an
export and an API answer compare number for number. A text cell that starts with = + - @ would be
read as a formula by a spreadsheet (CSV/formula injection): it is written with a leading apostrophe.
"""

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from figures.dashboard import Table
from portal.text import spreadsheet_safe as safe_text

NUMBER_FORMATS = {"ratio": "0.00%", "int": "#,##0", "money": "#,##0", "number": "0.00"}


def table_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([safe_text(str(column.label)) for column in table.columns])
    for row in table.rows:
        writer.writerow(["" if row.get(c.key) is None else safe_text(row.get(c.key)) for c in table.columns])
    return buffer.getvalue().encode("utf-8-sig")


def table_xlsx(table: Table) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.key[:31]
    sheet.append([safe_text(str(column.label)) for column in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append([safe_text(row.get(column.key)) for column in table.columns])
    for row_number, row in enumerate(table.rows, start=2):
        for index, column in enumerate(table.columns, start=1):
            number_format = NUMBER_FORMATS.get(column.kind_in(row))
            if number_format:
                sheet.cell(row=row_number, column=index).number_format = number_format
    for index, column in enumerate(table.columns, start=1):
        letter = sheet.cell(row=1, column=index).column_letter
        sheet.column_dimensions[letter].width = max(12, min(60, len(str(column.label)) + 4))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
