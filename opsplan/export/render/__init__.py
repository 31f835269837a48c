"""Writers of export tables: XLSX (one sheet per table) and CSV (one file per table)."""
