"""新河市, a fictional city whose bureaus deliver the sources the connectors read.

`model` decides every number (trend, seasonality, district differences, noise) from
`profiles.yaml` and a seed; the writers turn those numbers into the files, databases and API
a real city's bureaus would hand over. Uses `indicators`, and the 基层填报 template layout
from `connectors.template` so the sample fills in the very form operators hand out.
"""
