"""Plain records several layers share: what a reader hands to a service (the imported
transcript, a REFI-QDA project's contents). Only data and small pure helpers; no Session,
no files, no Qt."""
