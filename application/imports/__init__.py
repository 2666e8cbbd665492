"""Legacy import: a workbook of earlier donors and cases recorded through the ordinary
commands, back-dated, each case whole or not at all, and a rerun recording nothing new."""
