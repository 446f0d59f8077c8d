"""The cockpit's words in Chinese (first) and English: UI labels, period names and units.

Indicator, area and topic names come from the catalog, which carries both languages; this
module holds only what the screens themselves say.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from indicators import formatting as fmt
from indicators.model import DOMAIN_NAMES_ZH, Domain, Indicator
from indicators.periods import Period
from indicators.registry import Catalog, Topic
from indicators.targets import STATUS_ZH, Status

Lang = Literal["zh", "en"]
LANGS: tuple[Lang, ...] = ("zh", "en")

TEXTS: dict[str, tuple[str, str]] = {
    "app_title": ("政务运行驾驶舱", "Gov Cockpit"),
    "default_user": ("默认用户", "Default user"),
    "zone_beijing": ("北京时间", "Beijing time"),
    "overview": ("总览", "Overview"),
    "catalog": ("指标体系", "Indicator system"),
    "ops": ("数据运维", "Data operations"),
    "briefing": ("月度简报", "Briefings"),
    "audit": ("审计日志", "Audit log"),
    "indicator": ("指标详情", "Indicator"),
    "period": ("统计期", "Period"),
    "latest": ("最新一期", "Latest"),
    "area": ("区域", "Area"),
    "as_of": ("数据截至", "Data as of"),
    "refreshed": ("数据更新", "Data refreshed"),
    "never_refreshed": ("尚未加载数据", "No data loaded yet"),
    "attention": ("今日关注", "Needs attention"),
    "attention_none": ("暂无需要关注的指标", "Nothing needs attention"),
    "map": ("分区态势", "Districts"),
    "map_by": ("地图指标", "Map indicator"),
    "yoy": ("同比", "YoY"),
    "mom": ("环比", "MoM"),
    "target": ("目标", "Target"),
    "attainment": ("完成", "Done"),
    "schedule": ("序时", "Schedule"),
    "gap": ("差距", "Gap"),
    "stale": ("逾期", "Overdue"),
    "failed": ("加载失败", "Load failed"),
    "never": ("未接入", "Not connected"),
    "late": ("迟报", "Late"),
    "expected": ("应有", "expected"),
    "no_data": ("暂无数据", "No data"),
    "city_only": ("仅全市统计", "City level only"),
    "history": ("历史视图", "Historical view"),
    "user": ("当前用户", "User"),
    "language": ("English", "中文"),
    "sign_out": ("退出", "Sign out"),
    "concern_red": ("落后", "Off target"),
    "concern_amber": ("预警", "At risk"),
    "concern_worsening": ("走弱", "Worsening"),
    "concern_late_data": ("数据逾期", "Data overdue"),
    "status_fell": ("较上期转差", "worse than last period"),
    "back": ("返回", "Back"),
    "series": ("走势与目标", "Trend and target"),
    "yoy_bars": ("同比变化", "Year-on-year change"),
    "districts": ("分区对比", "Districts"),
    "definition": ("口径", "Definition"),
    "method": ("计算方法", "Method"),
    "children": ("构成指标", "Components"),
    "source": ("数据来源", "Source"),
    "owner": ("责任单位", "Owner"),
    "loaded_at": ("入库时间", "Loaded at"),
    "load_runs": ("装载批次", "Load runs"),
    "rule": ("预警规则", "Alert rule"),
}

ROLE_NAMES: dict[str, tuple[str, str]] = {
    "leader": ("领导", "Leader"),
    "bureau_head": ("委办局负责人", "Bureau head"),
    "operator": ("运维人员", "Operator"),
    "admin": ("管理员", "Administrator"),
}

DOMAIN_NAMES_EN: dict[Domain, str] = {
    Domain.economic: "Economy",
    Domain.service: "Services",
    Domain.governance: "Governance",
    Domain.ecology: "Ecology",
    Domain.infrastructure: "Digital",
}

# Units as an English reader says them; anything not listed is shown as the catalog has it.
UNITS_EN: dict[str, str] = {
    "亿元": "100M yuan",
    "万元": "10k yuan",
    "元": "yuan",
    "万美元": "10k USD",
    "万人": "10k people",
    "万人次": "10k visits",
    "人": "people",
    "户": "entities",
    "万户": "10k households",
    "个": "",
    "次": "times",
    "万次": "10k times",
    "天": "days",
    "小时": "hours",
    "分钟": "min",
    "分": "pts",
    "张": "certificates",
    "种": "types",
    "条": "items",
    "起": "cases",
    "件": "cases",
    "万辆": "10k vehicles",
    "万吨": "10k t",
    "亿千瓦时": "100M kWh",
    "倍": "×",
    "指数": "index",
}

QUARTERS_EN = {1: "Q1", 2: "Q2", 3: "Q3", 4: "Q4"}

STATUS_EN: dict[Status, str] = {
    Status.green: "On track",
    Status.amber: "At risk",
    Status.red: "Off target",
    Status.none: "—",
    Status.unknown: "No data",
}


def text(key: str, lang: Lang) -> str:
    zh, en = TEXTS[key]
    return zh if lang == "zh" else en


def domain_name(domain: Domain, lang: Lang) -> str:
    return DOMAIN_NAMES_ZH[domain] if lang == "zh" else DOMAIN_NAMES_EN[domain]


def status_name(status: Status, lang: Lang) -> str:
    """正常/预警/落后 as `cockpit show` words them, or their English."""
    return STATUS_ZH[status] if lang == "zh" else STATUS_EN[status]


def role_name(role: str, lang: Lang) -> str:
    zh, en = ROLE_NAMES[role]
    return zh if lang == "zh" else en


def indicator_name(ind: Indicator, lang: Lang) -> str:
    return ind.name_zh if lang == "zh" else ind.name_en


def topic_name(topic: Topic, lang: Lang) -> str:
    return topic.name_zh if lang == "zh" else topic.name_en


def area_name(catalog: Catalog, code: str, lang: Lang) -> str:
    area = next((a for a in catalog.deployment.areas if a.code == code), None)
    if area is None:
        return code
    return area.name_zh if lang == "zh" else area.name_en


def unit(unit_zh: str, lang: Lang) -> str:
    """The unit as the reader says it; English word units get a leading space (3.8 days)."""
    if lang == "zh":
        return unit_zh
    english = UNITS_EN.get(unit_zh, unit_zh)
    return f" {english}" if any(c.isalpha() for c in english) else english


def local_time(moment: datetime | None, lang: Lang) -> str:
    """2026-11-25 23:14 北京时间 / Beijing time."""
    shown = fmt.local_time(moment)
    return (
        shown if lang == "zh" else shown.replace(TEXTS["zone_beijing"][0], TEXTS["zone_beijing"][1])
    )


def period_label(period: Period, lang: Lang) -> str:
    """2026年10月 / Oct 2026; 2026年第三季度 / 2026 Q3."""
    if lang == "zh":
        return period.label_zh()
    start = period.start
    match period.frequency.value:
        case "day":
            return f"{start:%d %b %Y}"
        case "month":
            return f"{start:%b %Y}"
        case "quarter":
            return f"{period.year} {QUARTERS_EN[period.index]}"
    return str(period.year)


def ytd_label(period: Period, merged_jan_feb: bool, lang: Lang) -> str:
    """1-10月 / Jan–Oct; 前三季度 / Q1–Q3."""
    if lang == "zh":
        return period.ytd_label_zh(merged_jan_feb)
    start = period.start
    match period.frequency.value:
        case "month":
            return "Jan" if period.index == 1 and not merged_jan_feb else f"Jan–{start:%b}"
        case "quarter":
            return "Q1" if period.index == 1 else f"Q1–Q{period.index}"
        case "day":
            return f"1 Jan–{start:%d %b}"
    return "Full year"
