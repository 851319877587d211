"""The Participants view: a classification sheet of participants and their attributes."""
