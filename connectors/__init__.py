"""Connectors bring values from sources (statistics files, SQL databases, HTTP APIs, manual
reports) into the metric store as load runs. They use `indicators` and never `reports`.
The connector kinds arrive with the data-in issue; this package is reserved for them."""
