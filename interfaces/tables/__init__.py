"""Lists as spreadsheets: the columns of a view's rows, their labels, and the CSV and Excel
writers used by the exports of every view."""
