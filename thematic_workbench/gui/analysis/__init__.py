"""The analysis view: charts (matplotlib in Qt) and tables of codes, participants,
attributes, co-occurrence and coverage."""
