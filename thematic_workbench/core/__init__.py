"""Domain, storage and services. Never imports Qt."""
