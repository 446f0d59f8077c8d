"""Briefing templates: which blocks, in which order, with which parameters, as YAML a bureau
keeps and edits. A template says nothing about figures; the blocks read them for a period.

A bad template is one line naming the file, the block (its position and kind) and the field.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

SHIPPED = Path(__file__).parent / "briefing_templates"
# What a bureau or template name may hold, as it names a folder or file on every platform:
# Chinese characters, letters, digits, - _ and round brackets, at most FILE_NAME_LENGTH.
FILE_NAME = re.compile(r"[0-9A-Za-z_\-()（）\u3400-\u4dbf\u4e00-\u9fff]+")
FILE_NAME_LENGTH = 64


class TemplateError(ValueError):
    """The template cannot be used; the message names the file, block and field."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BlockSpec(Strict):
    kind: str = Field(min_length=1)
    params: dict[str, Any] = Field(default_factory=dict)


class BriefingTemplate(Strict):
    name: str = Field(min_length=1)
    title: str = Field(min_length=1)  # 新河市经济运行月度简报
    issuer: str = Field(min_length=1)  # 发文单位
    classification: str = "内部资料"  # the marking on the cover and every page
    area: str | None = None  # a district's briefing; the city's when absent
    blocks: tuple[BlockSpec, ...] = Field(min_length=1)


def shipped_templates() -> dict[str, Path]:
    return {path.stem: path for path in sorted(SHIPPED.glob("*.yaml"))}


def load_template(name_or_path: str) -> tuple[BriefingTemplate, Path]:
    """A shipped template by name (`monthly-economy`) or a YAML file by path."""
    shipped = shipped_templates()
    path = shipped.get(name_or_path) or Path(name_or_path)
    if not path.is_file():
        known = ", ".join(shipped)
        raise TemplateError(f"{name_or_path}: no such template file or shipped template ({known})")
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise TemplateError(f"{path}: not valid YAML: {exc}".splitlines()[0]) from None
    try:
        return BriefingTemplate.model_validate(raw), path
    except ValidationError as exc:
        raise TemplateError(f"{path}: {_where(raw, exc)}") from None


def _where(raw: Any, exc: ValidationError) -> str:
    """`blocks[2] (kpi_table): params: …` for the first error, naming the block's kind."""
    first = exc.errors()[0]
    location = list(first["loc"])
    if len(location) >= 2 and location[0] == "blocks" and isinstance(location[1], int):
        index = location[1]
        blocks = raw.get("blocks") if isinstance(raw, dict) else None
        kind = (
            blocks[index].get("kind")
            if isinstance(blocks, list) and isinstance(blocks[index], dict)
            else None
        )
        rest = ".".join(str(p) for p in location[2:])
        return f"blocks[{index}] ({kind or '?'}): {rest + ': ' if rest else ''}{first['msg']}"
    return f"{'.'.join(str(p) for p in location) or 'template'}: {first['msg']}"


def saved_templates(folder: Path, bureau: str | None = None) -> dict[str, Path]:
    """A site's own templates under `folder`/<bureau>/<name>.yaml, keyed `bureau/name`: one
    bureau's when `bureau` is given (a bureau head's set), else every bureau's."""
    found = sorted(folder.glob("*/*.yaml"))
    return {
        f"{path.parent.name}/{path.stem}": path
        for path in found
        if bureau is None or path.parent.name == bureau
    }


def template_path(template: BriefingTemplate, folder: Path, bureau: str) -> Path:
    """Where `template` is kept for `bureau`: `folder`/<bureau>/<name>.yaml, once both names
    are checked to name a file there (TemplateError otherwise)."""
    for part, what in ((bureau, "bureau"), (template.name, "template name")):
        problem = _file_name_problem(part)
        if problem:
            raise TemplateError(f"{what} {_shown(part)} cannot name a file: {problem}")
    return folder / bureau / f"{template.name}.yaml"


def save_template(template: BriefingTemplate, folder: Path, bureau: str) -> Path:
    """Write `template` as `folder`/<bureau>/<name>.yaml (a bureau keeps its own set)."""
    path = template_path(template, folder, bureau)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = template.model_dump(mode="json", exclude_none=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _file_name_problem(part: str) -> str | None:
    if len(part) > FILE_NAME_LENGTH:
        return f"{len(part)} characters, at most {FILE_NAME_LENGTH}"
    if not FILE_NAME.fullmatch(part):
        return "use Chinese characters, letters, digits, - _ ( ) （ ） only"
    return None


def _shown(part: str) -> str:
    """`part` quoted on one line: control characters escaped, a long one cut short."""
    return repr(part if len(part) <= FILE_NAME_LENGTH else part[:FILE_NAME_LENGTH] + "…")
