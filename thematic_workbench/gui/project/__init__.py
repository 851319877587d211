"""Project settings: who works on it in which role, and its language."""
