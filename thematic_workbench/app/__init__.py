"""The use cases the window and the command line share: importing transcripts, exports
and exchange jobs, participant attributes, the demo project. No Qt here."""
