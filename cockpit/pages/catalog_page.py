"""指标体系: browse the indicator system and read each indicator's 口径."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from cockpit.app.routes import CATALOG
from cockpit.app.shell import page_header, view_state
from cockpit.data_access import viewer_catalog
from indicators.describe import method_zh, rule_zh, target_zh
from indicators.export import COLUMNS, indicator_row
from indicators.model import DOMAIN_NAMES_ZH, Domain
from indicators.registry import Catalog
from indicators.settings import local_today

ALL_DOMAINS = "全部领域"


def render() -> None:
    page_header(view_state(local_today()), CATALOG)
    catalog = viewer_catalog()  # what this viewer may see
    st.title("指标体系")
    st.caption(f"{len(catalog)} 项指标 · {len(DOMAIN_NAMES_ZH)} 个领域 · 一个名称一个口径")
    left, right = st.columns([1, 2])
    labels = {ALL_DOMAINS: None} | {name: domain for domain, name in DOMAIN_NAMES_ZH.items()}
    chosen = left.selectbox("领域", list(labels), key="catalog_domain")
    query = right.text_input("搜索编码、名称、口径或责任单位", key="catalog_query")
    found = catalog.search(query, labels[chosen])
    headers = [header for header, _ in COLUMNS]
    table = pd.DataFrame([indicator_row(catalog, ind) for ind in found], columns=headers)
    st.dataframe(
        table[["指标编码", "指标名称", "单位", "频率", "指标类型", "责任单位", "目标值"]],
        hide_index=True,
    )
    if not found:
        st.info("没有符合条件的指标。")
        return
    code = st.selectbox(
        "查看口径",
        [ind.code for ind in found],
        format_func=lambda c: f"{catalog.indicators[c].name_zh}（{c}）",
        key="catalog_code",
    )
    _detail(catalog, code)


def _detail(catalog: Catalog, code: str) -> None:
    ind = catalog.get(code)
    topic = catalog.topic_of(ind)
    st.subheader(f"{ind.name_zh}　{ind.name_en}")
    st.markdown(f"**口径**：{ind.definition.strip()}")
    facts = {
        "领域 / 主题": f"{DOMAIN_NAMES_ZH[Domain(ind.domain)]} / {topic.name_zh}",
        "单位": ind.unit,
        "计算方法": method_zh(ind),
        "目标": target_zh(ind) or "—",
        "预警规则": rule_zh(ind),
        "责任单位": ind.owner,
        "数据来源": f"{ind.source.connector}：{ind.source.reads}",
    }
    st.table(pd.DataFrame({"项目": list(facts), "内容": list(facts.values())}).set_index("项目"))
