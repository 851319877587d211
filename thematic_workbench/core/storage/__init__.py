"""The project file: its schema and migrations, the store and its sessions, the transaction
that writes every change with its audit event, the lock, the witness log, the search index."""
