"""Briefings (月度简报): blocks, templates and PDF/Word rendering from indicator snapshots.
They use `indicators` and never `connectors`. The blocks arrive with the briefings issue;
this package is reserved for them."""
