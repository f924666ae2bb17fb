"""The catalogue: importing a strategy from YAML, XLSX or CSV, and exporting it again."""
