"""Connector kind `files`: CSV and Excel tables as statistics bureaus deliver them.

Options are in connectors.table_spec, the shape of a table in connectors.tables, and reading
one file in connectors.table_read.

A source lists its `tables`; each names the files (a glob relative to the sources file), the
header row (found by its first cell under any title lines), whether rows are areas (地区) or
indicators (指标名称), where the period is written (title, file name or a column) and which
column holds which indicator. A column head may carry its window, 工业总产值（10月）beside
工业总产值（1-10月）: the one matching the indicator's `published_as` is read unless the mapping
names a window; in February a merged release's 1-2月 head is its 当期 too. A plain head holds
the window its title, file name or period cell states (1-10月 累计, 10月 当月): a flow or a
windowed mapping needing the other is rejected, never loaded as the wrong figure. Cells in 万元
are converted to the catalog's 亿元 (unit from the mapping, else the title's 单位 line when it
measures the same quantity). Missing marks are skipped, never 0; a % sign is read for % units
only; a formula Excel never computed is rejected. Every unusable cell, column, header or file
becomes a Rejection naming file, row and column head; a missing column rejects that column only.

A table's `files` glob reads only inside the sources file's folder and the folders its
`folders:` lists (connectors.folders): a glob reaching elsewhere (`../../etc/*`, `/etc/*`) is a
config error raised before any file is read, and a match that links elsewhere is a rejection.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from connectors.base import Progress, ReadResult, Rejection, SourceContext
from connectors.folders import readable_files
from connectors.registry import ConnectorConfigError, register
from connectors.table_read import read_table
from connectors.table_spec import FilesOptions, TableSpec
from indicators.model import Indicator, Kind, Nature
from indicators.registry import Catalog, UnknownIndicatorError


@register("files", FilesOptions, "CSV/Excel tables as statistics bureaus write them")
@dataclass(frozen=True)
class FilesConnector:
    options: FilesOptions

    def read(self, context: SourceContext, progress: Progress) -> ReadResult:
        indicators = check_indicators(self.options, context.catalog)
        result = ReadResult()
        jobs: list[tuple[TableSpec, Path]] = []
        for t, table in enumerate(self.options.tables):
            files = readable_files(context, table.files, f"options.tables[{t}].files")
            if not files.paths and not files.rejections:
                reason = f"no file matches {table.files}"
                result.rejections.append(Rejection(table.name, "files", table.files, reason))
            result.rejections.extend(files.rejections)
            jobs.extend((table, path) for path in files.paths)
        progress("read", 0, len(jobs))
        for done, (table, path) in enumerate(jobs, start=1):
            result.extend(read_table(table, path, context.catalog, indicators))
            progress("read", done, len(jobs))
        return result


def check_indicators(options: FilesOptions, catalog: Catalog) -> dict[str, Indicator]:
    """The configured indicators; a mapping the catalog cannot honour is a config error."""
    found: dict[str, Indicator] = {}
    for t, table in enumerate(options.tables):
        for c, column in enumerate(table.columns):
            where = f"options.tables[{t}].columns[{c}].indicator"
            try:
                ind = catalog.get(column.indicator)
            except UnknownIndicatorError as exc:
                raise ConnectorConfigError(f"{where}: {exc}") from None
            if ind.kind is not Kind.base:
                raise ConnectorConfigError(f"{where}: {ind.code} is computed, not read")
            if ind.nature is Nature.flow and column.window not in (None, ind.published_as):
                raise ConnectorConfigError(
                    f"{where}: {ind.code} is published as {ind.published_as.value}; "
                    f"its {column.window} column is not what the store keeps"
                )
            found[ind.code] = ind
    return found
