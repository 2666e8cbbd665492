"""The legacy workbook: its template, and reading it into rows for the importer."""
