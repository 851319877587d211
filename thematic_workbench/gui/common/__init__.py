"""Parts the features share: table and tree models, column widths, the banner, colours,
choice rows, background jobs, following changes."""
