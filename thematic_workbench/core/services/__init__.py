"""Every change a user can make.

Each service takes a ``Tx`` (core/storage/transaction.py) and plain arguments, checks the
invariants, makes the change, writes its audit event in the same transaction and returns a
``Change`` (core/changes.py) naming what it added, changed or removed.
"""
