"""Importers (file -> ImportedDocument) and exporters. Never imports Qt or touches the database."""
