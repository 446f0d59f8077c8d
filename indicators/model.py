"""Typed definition of one indicator (指标) and of the deployment's areas.

The YAML catalog is parsed into these pydantic models. Field-level rules live here;
rules that span indicators (references, cycles, weights) live in `indicators.checks`,
so every problem of a catalog can be reported in one run.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

CODE_PATTERN = r"^[A-Z][A-Z0-9_]{1,63}$"


class Domain(StrEnum):
    """The five domains of the indicator system."""

    economic = "economic"  # 经济运行
    service = "service"  # 政务服务
    governance = "governance"  # 社会治理
    ecology = "ecology"  # 生态环境
    infrastructure = "infrastructure"  # 数字基础设施


DOMAIN_NAMES_ZH: dict[Domain, str] = {
    Domain.economic: "经济运行",
    Domain.service: "政务服务",
    Domain.governance: "社会治理",
    Domain.ecology: "生态环境",
    Domain.infrastructure: "数字基础设施",
}


class Frequency(StrEnum):
    day = "day"
    month = "month"
    quarter = "quarter"
    year = "year"


class Nature(StrEnum):
    """How values combine over time: 时期 (flow) adds up, 时点 (stock) takes the last value,
    a rate (ratio, share, average) never adds up and is recomputed from its parts."""

    flow = "flow"
    stock = "stock"
    rate = "rate"


class PublishedAs(StrEnum):
    """Whether the source publishes the value of the period itself (当月/当季) or the
    year-to-date total (1–N月累计)."""

    period = "period"
    ytd = "ytd"


class Kind(StrEnum):
    base = "base"  # read from a source
    ratio = "ratio"  # Σnumerator / Σdenominator × factor
    derived = "derived"  # safe formula over other indicators
    cumulative = "cumulative"  # running total of another indicator (累计)
    composite = "composite"  # weighted index of normalised children


class Direction(StrEnum):
    up = "up"  # 正向: higher is better
    down = "down"  # 逆向: lower is better
    band = "band"  # 适度: inside a band is best


class Sensitivity(StrEnum):
    public = "public"
    internal = "internal"
    restricted = "restricted"


class GrowthSource(StrEnum):
    """Where 同比 comes from. `supplied`: the source publishes the official rate (often at
    comparable prices, 可比价) and we never recompute it; `computed`: from stored levels."""

    computed = "computed"
    supplied = "supplied"
    none = "none"


class PriceBasis(StrEnum):
    current = "current"  # 现价
    comparable = "comparable"  # 可比价
    not_applicable = "n/a"


class AreaScope(StrEnum):
    city = "city"  # only the whole city is published
    all = "all"  # the city and each district


class TargetBasis(StrEnum):
    """`annual_total`: a full-year total judged by its year-to-date value against 序时进度;
    `level`: each period's own value judged against the level; `ytd_level`: the
    year-to-date value (累计, e.g. 1-10月 growth or good-air ratio) judged against the level."""

    annual_total = "annual_total"
    level = "level"
    ytd_level = "ytd_level"


class RagRuleKind(StrEnum):
    schedule = "schedule"  # 序时进度 bands
    threshold = "threshold"  # fixed green/amber levels, read with the direction
    band = "band"  # green and amber bands for 适度 indicators
    none = "none"  # informational, no status


class Strict(BaseModel):
    # NaN or infinity in a target or goalpost would silently turn every judgement off.
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class Target(Strict):
    basis: TargetBasis
    value: float | None = None
    by_year: dict[int, float] = Field(default_factory=dict)

    def for_year(self, year: int) -> float | None:
        """The target in force for `year`: a year-specific value wins over the default."""
        return self.by_year.get(year, self.value)


class RagRule(Strict):
    rule: RagRuleKind = RagRuleKind.none
    # schedule: how many points behind 序时进度 still count as amber (further is red).
    amber_points: float = Field(default=10.0, ge=0)
    # threshold: the level that is green (defaults to the target) and the level that is amber.
    green: float | None = None
    amber: float | None = None
    # band: inclusive [low, high] bands.
    green_band: tuple[float, float] | None = None
    amber_band: tuple[float, float] | None = None


class SourceRef(Strict):
    connector: str = Field(min_length=1)
    reads: str = Field(min_length=1)


class Release(Strict):
    """When a period's value should be there: `lag_days` after the period ends, with
    `grace_days` of tolerance before it counts as stale."""

    lag_days: int = Field(ge=0, le=400)
    grace_days: int = Field(default=5, ge=0, le=120)


class SuppliedGrowth(Strict):
    """Codes of the indicators holding the published growth rates."""

    yoy: str | None = None  # 当期同比
    ytd_yoy: str | None = None  # 累计同比


class CompositeChild(Strict):
    code: str
    weight: float = Field(gt=0, le=1)
    # Fixed normalisation goalposts: never the min/max of the data seen so far.
    lower: float
    upper: float


class Indicator(Strict):
    code: str = Field(pattern=CODE_PATTERN)
    name_zh: str = Field(min_length=2)
    name_en: str = Field(min_length=2)
    domain: Domain
    topic: str
    definition: str = Field(min_length=15)  # 口径
    unit: str = Field(min_length=1)
    unit_multiplier: float = Field(default=1.0, gt=0)  # value × multiplier = base unit
    decimals: int = Field(default=1, ge=0, le=4)
    frequency: Frequency
    nature: Nature
    published_as: PublishedAs = PublishedAs.period
    merged_jan_feb: bool = False  # 1–2月 published together; January is not missing
    kind: Kind = Kind.base
    numerator: str | None = None
    denominator: str | None = None
    factor: float = 1.0
    formula: str | None = None
    input: str | None = None
    children: tuple[CompositeChild, ...] = ()
    direction: Direction
    target: Target | None = None
    rag: RagRule = Field(default_factory=RagRule)
    owner: str = Field(min_length=2)  # 责任单位
    source: SourceRef
    release: Release
    areas: AreaScope = AreaScope.city
    sensitivity: Sensitivity = Sensitivity.internal
    growth: GrowthSource = GrowthSource.computed
    supplied_growth: SuppliedGrowth | None = None
    price_basis: PriceBasis = PriceBasis.not_applicable
    # How a rate read as published is worded (a flow says the same with published_as, which
    # also drives de-cumulation; a rate is never de-cumulated):
    # - rate_window: the months the published rate covers, its own period (当月/当季同比) or
    #   1–N月 / 1–N季度 (累计同比, 累计涨幅). The briefing and the tables open with 1-10月 or
    #   前三季度 for `ytd`. A rate named by a total's supplied_growth.ytd_yoy sets it too.
    # - growth_of: the total whose official growth rate this is, when that total is not an
    #   indicator of the catalog (one that is names the rate in its supplied_growth): the
    #   sentence says 规模以上工业增加值同比增长7.7%, not 规模以上工业增加值增速（累计）7.7%.
    rate_window: PublishedAs = PublishedAs.period
    growth_of: str | None = Field(default=None, min_length=2)

    @field_validator("rate_window")
    @classmethod
    def _ytd_rate_is_published(cls, window: PublishedAs, info: ValidationInfo) -> PublishedAs:
        if window is PublishedAs.period:
            return window
        read = info.data
        if read.get("nature") is not Nature.rate or read.get("kind") is not Kind.base:
            raise ValueError(
                "only a rate read as published (nature: rate, kind: base) covers 1–N months; "
                "a flow says so with published_as, a computed rate gets its 累计 from its parts"
            )
        if read.get("frequency") not in (Frequency.month, Frequency.quarter):
            raise ValueError("only a monthly or quarterly rate covers 1–N months")
        return window

    @field_validator("growth_of")
    @classmethod
    def _growth_is_a_rate(cls, total: str | None, info: ValidationInfo) -> str | None:
        if total is not None and (
            info.data.get("nature") is not Nature.rate or info.data.get("unit") != "%"
        ):
            raise ValueError("growth_of names the total of a growth rate (nature: rate, unit: %)")
        return total

    @property
    def is_rate_unit(self) -> bool:
        """Differences of values in these units are 个百分点, not %."""
        return self.unit in {"%", "‰"}

    def references(self) -> list[tuple[str, str]]:
        """(field, code) for every other indicator this one is computed from or points to."""
        from indicators.formula import parse_formula

        refs: list[tuple[str, str]] = []
        if self.numerator:
            refs.append(("numerator", self.numerator))
        if self.denominator:
            refs.append(("denominator", self.denominator))
        if self.input:
            refs.append(("input", self.input))
        refs.extend(("children", child.code) for child in self.children)
        if self.formula:
            refs.extend(("formula", name) for name in sorted(parse_formula(self.formula).names))
        if self.supplied_growth:
            growth = self.supplied_growth
            refs.extend(("supplied_growth", code) for code in (growth.yoy, growth.ytd_yoy) if code)
        return refs

    def inputs(self) -> list[str]:
        """Codes whose values this indicator's value is computed from (its dependencies)."""
        return [code for field, code in self.references() if field != "supplied_growth"]


class Area(Strict):
    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    name_zh: str
    name_en: str


class Deployment(Strict):
    """The places a deployment reports on: the city and its districts."""

    city: Area
    districts: tuple[Area, ...]

    @model_validator(mode="after")
    def _codes_are_unique(self) -> Deployment:
        codes = [area.code for area in self.areas]
        repeated = sorted({code for code in codes if codes.count(code) > 1})
        if repeated:
            raise ValueError(f"area codes used twice: {', '.join(repeated)}")
        return self

    @property
    def areas(self) -> tuple[Area, ...]:
        return (self.city, *self.districts)

    def find(self, name: str) -> Area | None:
        """Look an area up by code or by Chinese or English name."""
        wanted = name.strip().lower()
        for area in self.areas:
            if wanted in {area.code, area.name_zh.lower(), area.name_en.lower()}:
                return area
        return None
