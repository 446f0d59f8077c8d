"""`cockpit sample`: write every source of the sample city under COCKPIT_HOME.

Layout: `sources.yaml` (the sources file, from sample_data/sources.yaml), `secrets.env`
(the sample API token, mode 600: a secret, so not in the sources file) and `sample/` with
the bureaus' files, databases, manual reports and `meta.json` (seed, today, scale), from
which the sample API process rebuilds the same numbers.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from indicators.registry import Catalog
from sample_data import manual, relational, stats_files
from sample_data.model import CityModel
from sample_data.plan import API_TOKEN_VARIABLE, OVERDUE_SOURCES, SAMPLE_DIR, Scale

SOURCES_TEMPLATE = Path(__file__).with_name("sources.yaml")
Progress = Callable[[str, int, int | None], None]


@dataclass(frozen=True)
class SampleWriter:
    name: str  # shown on the progress bar
    write: Callable[[CityModel, Path, Scale, Progress], None]


WRITERS = (
    SampleWriter("统计局/财政局/供电公司 files", stats_files.write),
    SampleWriter("12345/网格/政务服务 databases", relational.write),
    SampleWriter("基层填报 workbooks", manual.write),
)


def generate(
    catalog: Catalog,
    home: Path,
    seed: int,
    scale: Scale,
    today: date,
    progress_for: Callable[[str], Progress],
) -> CityModel:
    """Write the sample into `home` (replacing an earlier sample) and return its model."""
    model = CityModel(catalog, seed=seed, today=today, overdue_sources=OVERDUE_SOURCES)
    out_dir = home / SAMPLE_DIR
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    for writer in WRITERS:
        writer.write(model, out_dir, scale, progress_for(writer.name))
    meta = {"seed": seed, "today": today.isoformat(), "scale": scale.value}
    (out_dir / "meta.json").write_text(json.dumps(meta), encoding="utf-8")
    shutil.copyfile(SOURCES_TEMPLATE, home / "sources.yaml")
    _ensure_token(home / "secrets.env")
    return model


def _ensure_token(path: Path) -> None:
    """Keep an existing token (a running sample API uses it); otherwise make one."""
    if path.exists() and API_TOKEN_VARIABLE in path.read_text(encoding="utf-8"):
        return
    # Created owner-only from the first byte, not chmod-ed after the token is in it.
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(descriptor, "a", encoding="utf-8") as handle:
        handle.write(f"{API_TOKEN_VARIABLE}={secrets.token_urlsafe(24)}\n")
