"""The operators' console's words in Chinese (first) and English: column heads, statuses,
check names, actions. Kept apart from `i18n` (the wall screens' words) as the console says
many things the screens never do."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from cockpit.i18n import Lang
from cockpit.ops_model import IndicatorRow, SourceRow
from connectors.findings import FindingState
from connectors.quality import CHECK_NAMES_ZH
from indicators.freshness import FRESHNESS_ZH, Freshness
from indicators.store import Rejection

OPS_TEXTS: dict[str, tuple[str, str]] = {
    "tab_board": ("数据新鲜度", "Freshness"),
    "tab_runs": ("加载记录", "Load runs"),
    "tab_findings": ("质量发现", "Quality findings"),
    "tab_upload": ("手工填报上传", "Manual report upload"),
    "tab_delivery": ("按时报送率", "On-time delivery"),
    "sources": ("数据源", "Sources"),
    "indicators": ("指标", "Indicators"),
    "open_findings": ("待处理质量问题", "Open findings"),
    "filter_domain": ("领域", "Domain"),
    "filter_bureau": ("单位", "Bureau"),
    "filter_status": ("状态", "Status"),
    "all": ("全部", "All"),
    "source": ("数据源", "Source"),
    "source_id": ("编号", "ID"),
    "status": ("状态", "Status"),
    "expected": ("应有期", "Expected"),
    "latest": ("最新期", "Latest"),
    "due": ("应报日期", "Due"),
    "last_success": ("最近成功加载", "Last successful load"),
    "reporter": ("报送单位", "Reporting bureau"),
    "owner": ("责任单位", "Responsible bureau"),
    "contact": ("联系人", "Contact"),
    "reason": ("说明", "Reason"),
    "restricted_detail": ("（受限指标，详情不予显示）", "(restricted indicator: details withheld)"),
    "behind": ("滞后指标", "Behind"),
    "indicator": ("指标", "Indicator"),
    "code": ("编码", "Code"),
    "sources_error": ("数据源配置无法读取：", "The sources file cannot be read: "),
    "refresh_source": ("刷新数据源", "Source to refresh"),
    "refresh_now": ("立即刷新", "Refresh now"),
    "refreshing": ("正在刷新", "Refreshing"),
    "operators_only": (
        "仅运维人员可执行操作；当前角色可查看。",
        "Only operators can act here; your role may look.",
    ),
    "stage_read": ("读取", "reading"),
    "stage_check": ("校验", "checking"),
    "stage_write": ("写入", "writing"),
    "run": ("批次", "Run"),
    "started": ("开始时间", "Started"),
    "duration": ("耗时(秒)", "Duration (s)"),
    "read": ("读取行", "Read"),
    "written": ("写入行", "Written"),
    "rejected": ("拒绝行", "Rejected"),
    "message": ("错误信息", "Message"),
    "run_detail": ("查看批次", "Run details"),
    "failed_only": ("只看失败", "Failed only"),
    "rejections": ("被拒绝的行", "Rejected rows"),
    "no_rejections": ("本批次没有被拒绝的行。", "No rows were rejected in this run."),
    "download_rejections": ("下载被拒行（Excel）", "Download rejected rows (Excel)"),
    "location": ("位置", "Location"),
    "field": ("字段", "Field"),
    "value": ("原值", "Value"),
    "why_rejected": ("原因", "Reason"),
    "run_findings": ("本批次质量发现", "This run's findings"),
    "no_runs": ("还没有加载记录。", "No load runs yet."),
    "check": ("检查项", "Check"),
    "severity": ("级别", "Severity"),
    "area": ("区域", "Area"),
    "period": ("期别", "Period"),
    "occurrences": ("出现次数", "Seen"),
    "found_at": ("发现时间", "Found"),
    "reviewed_by": ("处理人", "By"),
    "reviewed_at": ("处理时间", "When"),
    "note": ("处理说明", "Note"),
    "finding": ("选择问题", "Finding"),
    "acknowledge": ("确认知悉", "Acknowledge"),
    "resolve": ("标记已解决", "Resolve"),
    "reopened": ("已解决后再次出现", "back after being resolved"),
    "no_findings": ("没有符合条件的质量发现。", "No findings match."),
    "upload_help": (
        "上传填好的基层填报表（.xlsx）。整表先校验，有任何问题都不写入。",
        "Upload a filled reporting template (.xlsx). It is checked whole; "
        "any problem and nothing is written.",
    ),
    "upload_file": ("填报表", "Template"),
    "upload_check": ("校验并导入", "Check and import"),
    "template_for": ("下载空白填报表", "Blank template for"),
    "template_download": ("下载填报表", "Download template"),
    "all_bureaus": ("全部单位", "All bureaus"),
    "delivery_by": ("统计口径", "Per"),
    "delivery_by_source": ("按数据源", "source"),
    "delivery_by_bureau": ("按报送单位", "reporting bureau"),
    "delivery_group": ("数据源 / 单位", "Source / bureau"),
    "delivery_none": ("近12个月尚无到期的报送。", "Nothing fell due in the last 12 months."),
    "delivery_rule": (
        "按时：某期数据首次入库不晚于应报日期（期末 + 发布滞后天数）；到期未报计为未按时。"
        "数据源接入之前到期的期数不计。",
        "On time: a period first arrived on or before its due date (period end + release "
        "lag); not arrived by today counts as not on time. Periods due before a source was "
        "connected are not counted.",
    ),
    "alerts_not_checked": ("告警未检查：", "Alerts not checked: "),
    "alerts_failed": ("告警未能发出：", "Alerts could not be sent: "),
    "alerts_sent": ("已发出告警 / 恢复通知：", "Alerts raised / resolved: "),
    "on_time": ("按时", "On time"),
    "late_delivery": ("迟报", "Late"),
    "missing": ("未报", "Missing"),
}

FRESHNESS_EN = {
    Freshness.fresh: "Fresh",
    Freshness.late: "Late",
    Freshness.stale: "Stale",
    Freshness.never: "Never loaded",
    Freshness.failed: "Failed",
}
CHECK_NAMES_EN = {
    "row_count": "Row count drop",
    "missing_areas": "Missing districts",
    "range": "Out of range",
    "jump": "Jump",
    "duplicate": "Duplicate",
    "partial_period": "Period not over",
}
FINDING_STATES: dict[FindingState, tuple[str, str]] = {
    FindingState.open: ("待处理", "Open"),
    FindingState.acknowledged: ("已确认", "Acknowledged"),
    FindingState.resolved: ("已解决", "Resolved"),
}
RUN_STATUSES: dict[str, tuple[str, str]] = {
    "succeeded": ("成功", "Succeeded"),
    "failed": ("失败", "Failed"),
    "running": ("进行中", "Running"),
}


def t(key: str, lang: Lang) -> str:
    zh, en = OPS_TEXTS[key]
    return zh if lang == "zh" else en


def _pick(pair: tuple[str, str], lang: Lang) -> str:
    return pair[0] if lang == "zh" else pair[1]


def freshness_name(status: Freshness, lang: Lang) -> str:
    return FRESHNESS_ZH[status] if lang == "zh" else FRESHNESS_EN[status]


def check_name(check: str, lang: Lang) -> str:
    names = CHECK_NAMES_ZH if lang == "zh" else CHECK_NAMES_EN
    return names.get(check, check)


def finding_state_name(state: FindingState, lang: Lang) -> str:
    return _pick(FINDING_STATES[state], lang)


def run_status_name(status: str, lang: Lang) -> str:
    return _pick(RUN_STATUSES.get(status, (status, status)), lang)


def source_reason(row: SourceRow, lang: Lang) -> str:
    """Why a source has its status, from its own clock first, then its stalest indicator."""
    zh = lang == "zh"
    if row.load_clock is Freshness.failed:
        message = row.last_message or "—"
        return f"最近一次加载失败：{message}" if zh else f"last load failed: {message}"
    if row.load_clock is Freshness.never:
        return "从未成功加载" if zh else "never loaded successfully"
    if row.load_clock is not Freshness.fresh:
        name = freshness_name(row.load_clock, lang)
        return f"距最近一次成功加载过久（{name}）" if zh else f"last good load too old ({name})"
    if row.behind:
        return (
            f"{row.behind} 项指标滞后，最久逾期 {row.overdue_days} 天"
            if zh
            else f"{row.behind} indicator(s) behind, up to {row.overdue_days} day(s) overdue"
        )
    return "各期齐全" if zh else "all periods present"


def indicator_reason(row: IndicatorRow, lang: Lang) -> str:
    zh = lang == "zh"
    if row.latest is None:
        return f"尚无数据，应有 {row.expected}" if zh else f"no value yet; {row.expected} expected"
    if row.missing:
        return (
            f"最新 {row.latest}，应有 {row.expected}，逾期 {row.overdue_days} 天"
            if zh
            else f"latest {row.latest}, {row.expected} expected, {row.overdue_days} day(s) overdue"
        )
    if row.status is Freshness.fresh:
        return f"{row.latest} 已到" if zh else f"{row.latest} present"
    name = freshness_name(row.status, lang)
    return f"期数齐全，数据源{name}" if zh else f"periods present; source {name.lower()}"


def finding_reason(code: str | None, message: str, visible: frozenset[str], lang: Lang) -> str:
    """A finding's message as the reader may see it: a check quotes the values it found,
    which a reader without clearance for the indicator must not read."""
    return t("restricted_detail", lang) if code and code not in visible else message


def readable_rejections(
    rejections: Sequence[Rejection], visible: frozenset[str], lang: Lang
) -> list[Rejection]:
    """Rejected rows as the reader may see them: where and which field always (to tell the
    bureau what to fix), but not the value or the reason quoting it for an indicator the
    reader is not cleared for."""
    withheld = t("restricted_detail", lang)
    return [
        replace(r, value="—", reason=withheld)
        if r.indicator_code and r.indicator_code not in visible
        else r
        for r in rejections
    ]
