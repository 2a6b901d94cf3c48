"""Documents: the business documents an organization receives, and the files they came in."""
