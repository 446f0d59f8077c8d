"""Connectors bring values from sources (statistics files, SQL databases, HTTP APIs, manual
reports) into the metric store as load runs. They use `indicators` and never `reports`.
`cells` reads numbers and units as bureaus write them; the connector kinds, refresh and
freshness arrive with the data-in issue."""
