"""Domain, storage and services. Never imports Qt.

The package is grouped by what its modules do: ``storage`` (the project file, its schema,
the transaction that writes every change with its audit event), ``trail`` (reading,
verifying and signing the audit trail), ``text`` (stable lines, speaker turns, quotes),
``queries`` (reads that return plain values), ``finding`` (search, word forms, scopes,
coding queries), ``services`` (every change, with its audit event and its Change),
``records`` and ``reports`` (plain records read from files, and the report models writers
render). The few modules at this level are the vocabulary they all share.
"""

APP_NAME = "thematic-workbench"  # the folder name for this user's keys, witness log, data
