"""Automatic backups of a project file: taken, checked, listed, thinned out and restored.

Each project has a folder of its own inside the user's backup folder; each backup is a
checked copy (``ID.thematic``) and a small manifest beside it (``ID.json``) that says what
it holds and whether it was verified. Team projects on a server are not backed up here.
"""
