"""Finding passages: search with word forms and stop words, the scope a filter leaves, coding
queries, and which passages an autocode would code."""
