"""Reports out and exchange files in: Table 1's preview, export and import actions."""
