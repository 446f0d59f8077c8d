"""The audit log as people read it: rows in Chinese (who, what, on what, how it ended, the
details) and the same rows as a text workbook to hand to an auditor. Streamlit-free."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime

from cockpit.text_workbook import text_workbook
from indicators.formatting import local_time
from indicators.store.audit import AuditEntry

ACTIONS_ZH = {
    "sign_in": "登录",
    "sign_out": "退出",
    "refresh": "刷新数据源",
    "upload": "上传填报表",
    "finding_review": "处理质量发现",
    "briefing_export": "生成简报",
    "user_add": "新增用户",
    "user_disable": "停用用户",
    "user_enable": "启用用户",
    "user_passwd": "修改密码",
    "catalog_change": "指标体系变更",
}
OUTCOMES_ZH = {"ok": "成功", "failed": "失败", "refused": "拒绝", "busy": "忙"}
COLUMNS = (("时间", 24), ("用户", 18), ("操作", 16), ("对象", 36), ("结果", 8), ("详情", 60))


def audit_rows(entries: Sequence[AuditEntry]) -> list[tuple[str, ...]]:
    return [
        (
            local_time(e.at),
            e.actor,
            ACTIONS_ZH.get(e.action, e.action),
            e.target,
            OUTCOMES_ZH.get(e.outcome, e.outcome),
            json.dumps(e.detail, ensure_ascii=False, sort_keys=True) if e.detail else "",
        )
        for e in entries
    ]


def audit_workbook(entries: Sequence[AuditEntry], since: datetime, until: datetime) -> bytes:
    title = f"审计日志　{local_time(since)} 至 {local_time(until)}　共 {len(entries)} 条"
    return text_workbook("审计日志", title, COLUMNS, audit_rows(entries))
