"""The wall's look: dark, no Streamlit chrome, sized in rem against the viewport so the same
screen fills 1920×1080 and 3840×2160 (and a 16:10 laptop) without scrolling."""

from __future__ import annotations

from cockpit.app import palette as p

# 1rem = 16px at 1920×1080, 32px at 3840×2160; the smaller of width and height decides, so a
# 16:10 laptop letterboxes instead of overflowing.
WALL_CSS = f"""
<style>
html {{ font-size: min(calc(100vw / 120), calc(100vh / 67.5)) !important; }}
body, .stApp {{
  background: radial-gradient(ellipse at top, #0d2148 0%, {p.BACKGROUND} 60%) !important;
  color: {p.TEXT};
  font-family: "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
    sans-serif; }}
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"],
[data-testid="stStatusWidget"], footer {{ display: none !important; }}
[data-testid="stMainBlockContainer"], .block-container {{
  padding: 0.55rem 1rem 0.4rem 1rem !important; max-width: none !important; }}
[data-testid="stVerticalBlock"] {{ gap: 0.5rem; }}
[data-testid="stHorizontalBlock"] {{ gap: 0.75rem; }}
[data-testid="stElementContainer"]:has(> .stHtml style),
[data-testid="stElementContainer"]:has(style:only-child) {{ display: none; }}

/* header bar */
.wall-title {{ font-size: 1.55rem; font-weight: 700; letter-spacing: 0.12rem; white-space: nowrap;
  background: linear-gradient(90deg, #e6f4ff, {p.ACCENT}); -webkit-background-clip: text;
  background-clip: text; color: transparent; line-height: 2.3rem; }}
.wall-sub {{ color: {p.MUTED}; font-size: 0.78rem; line-height: 1.1rem; white-space: nowrap; }}
.wall-sub b {{ color: {p.TEXT}; font-weight: 500; }}
.wall-sub .warn {{ color: #facc14; }}
.wall-history {{ color: #facc14; font-size: 0.8rem; }}
[data-testid="stPageLink"] a {{ padding: 0.15rem 0.55rem; border-radius: 0.3rem;
  border: 1px solid transparent; }}
[data-testid="stPageLink"] a span, [data-testid="stPageLink"] p {{ color: {p.MUTED};
  font-size: 0.95rem; white-space: nowrap; }}
[data-testid="stPageLink"] a[aria-current="page"],
[data-testid="stPageLink-NavLink"][aria-current="page"] {{
  border-color: {p.ACCENT}; background: rgba(59,161,255,0.14); }}
[data-testid="stPageLink"] a[aria-current="page"] p {{ color: #fff; }}

/* panels */
.panel {{ background: linear-gradient(180deg, rgba(17,40,80,0.85), rgba(10,26,54,0.85));
  border: 1px solid {p.PANEL_BORDER}; border-radius: 0.4rem; padding: 0.45rem 0.7rem; }}
.panel-title {{ font-size: 1rem; font-weight: 600; margin: 0 0 0.3rem 0; padding: 0;
  color: {p.TEXT}; border-left: 0.2rem solid {p.ACCENT}; padding-left: 0.45rem; }}
.panel-title .att-count {{ margin-left: 0.5rem; background: {p.BAD}; color: #fff;
  border-radius: 0.6rem; padding: 0 0.45rem; font-size: 0.75rem; vertical-align: middle; }}

/* tile grid */
.kpi-grid {{ display: flex; flex-direction: column; gap: 0.45rem; }}
.kpi-row {{ display: flex; gap: 0.45rem; align-items: stretch; }}
.kpi-row-title {{ writing-mode: vertical-rl; text-orientation: upright; font-size: 0.9rem;
  font-weight: 600; letter-spacing: 0.15rem; margin: 0; padding: 0.3rem 0.15rem;
  color: {p.ACCENT}; background: rgba(59,161,255,0.08); border-radius: 0.3rem;
  display: flex; align-items: center; justify-content: center; min-width: 1.7rem;
  max-height: 12.05rem; overflow: hidden; white-space: nowrap; }}
.lang-en .kpi-row-title {{ text-orientation: mixed; transform: rotate(180deg);
  letter-spacing: 0.02rem; font-size: 0.8rem; }}
.kpi-row-tiles {{ display: grid; grid-template-columns: repeat(4, minmax(0, 1fr));
  gap: 0.45rem; flex: 1; }}
.kpi-tile {{ position: relative; display: flex; flex-direction: column; gap: 0.08rem;
  text-decoration: none !important; color: {p.TEXT} !important; height: 12.05rem;
  background: linear-gradient(160deg, rgba(22,52,100,0.9), rgba(11,28,58,0.92));
  border: 1px solid {p.PANEL_BORDER}; border-left: 0.22rem solid var(--rag);
  border-radius: 0.35rem; padding: 0.35rem 0.55rem 0.3rem 0.6rem; overflow: hidden; }}
.kpi-tile:hover {{ border-color: {p.ACCENT}; box-shadow: 0 0 0.6rem rgba(59,161,255,0.35); }}
.status-green {{ --rag: {p.RAG_GREEN}; }}
.status-amber {{ --rag: {p.RAG_AMBER}; }}
.status-red {{ --rag: {p.RAG_RED}; }}
.status-none, .status-unknown, .kpi-empty {{ --rag: {p.NOT_JUDGED}; }}
.kpi-head {{ display: flex; justify-content: space-between; align-items: center; gap: 0.3rem; }}
.kpi-name {{ font-size: 0.84rem; color: #c7d6ec; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }}
.kpi-badge {{ font-size: 0.68rem; padding: 0 0.35rem; border-radius: 0.2rem; white-space: nowrap;
  color: #0b1630; background: var(--rag); font-weight: 600; }}
.kpi-figure {{ display: flex; align-items: baseline; gap: 0.25rem; white-space: nowrap; }}
.kpi-value {{ font-size: 1.75rem; font-weight: 700; line-height: 2rem; color: #ffffff;
  font-variant-numeric: tabular-nums; font-family: "DIN Alternate", "Roboto Condensed",
  "Noto Sans CJK SC", sans-serif; }}
.kpi-unit {{ font-size: 0.8rem; color: {p.MUTED}; }}
.kpi-label {{ font-size: 0.7rem; color: {p.MUTED}; margin-left: auto; }}
.kpi-changes {{ display: flex; gap: 0.6rem; font-size: 0.76rem; white-space: nowrap; }}
.chg.good {{ color: {p.GOOD}; }} .chg.bad {{ color: {p.BAD}; }} .chg.neutral {{ color: {p.MUTED}; }}
.kpi-progress {{ font-size: 0.7rem; color: #c7d6ec; white-space: nowrap; }}
.kpi-progress .bar {{ position: relative; height: 0.32rem; background: rgba(255,255,255,0.1);
  border-radius: 0.2rem; margin: 0.12rem 0 0.05rem 0; }}
.kpi-progress .bar i {{ position: absolute; left: 0; top: 0; bottom: 0; border-radius: 0.2rem;
  background: var(--rag); }}
.kpi-progress .bar b {{ position: absolute; top: -0.15rem; width: 0.12rem; height: 0.62rem;
  background: #ffffff; }}
.kpi-target {{ font-size: 0.72rem; color: #c7d6ec; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis; }}
.spark {{ width: 100%; height: 1.9rem; flex: none; display: block; margin-top: 0.15rem; }}
.kpi-foot {{ display: flex; justify-content: space-between; gap: 0.3rem; font-size: 0.66rem;
  color: {p.MUTED}; white-space: nowrap; margin-top: auto; }}
.kpi-note {{ color: #0b1630; background: #facc14; padding: 0 0.3rem; border-radius: 0.2rem;
  font-weight: 600; overflow: hidden; text-overflow: ellipsis; }}
.kpi-stale {{ border-style: dashed; border-color: #facc14; }}
.kpi-stale .kpi-value {{ color: #9fb0c8; }}
.kpi-stale::after {{ content: ""; position: absolute; inset: 0; pointer-events: none;
  background: repeating-linear-gradient(135deg, rgba(250,204,20,0.06) 0 0.5rem,
  transparent 0.5rem 1rem); }}
.kpi-empty-reason {{ color: {p.MUTED}; font-size: 0.9rem; margin: auto; }}

/* 今日关注 */
.att-list {{ display: flex; flex-direction: column; gap: 0.22rem; }}
.att-item {{ display: grid; grid-template-columns: 3.6rem minmax(0, 1fr) auto;
  grid-template-rows: auto auto; column-gap: 0.45rem; padding: 0.22rem 0.35rem;
  border-radius: 0.25rem; background: rgba(255,255,255,0.03); text-decoration: none !important;
  color: {p.TEXT} !important; }}
.att-item:hover {{ background: rgba(59,161,255,0.16); }}
.att-chip {{ grid-row: span 2; align-self: center; text-align: center; font-size: 0.72rem;
  border-radius: 0.2rem; padding: 0.1rem 0; font-weight: 600; color: #0b1630; }}
.att-chip.red {{ background: #f04864; color: #fff; }} .att-chip.amber {{ background: #facc14; }}
.att-chip.worse {{ background: #f59a4c; }} .att-chip.late {{ background: #8aa0c0; }}
.att-name {{ font-size: 0.84rem; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
.att-figure {{ font-size: 0.8rem; color: #ffffff; white-space: nowrap; text-align: right; }}
.att-detail {{ grid-column: 2 / span 2; font-size: 0.72rem; color: {p.MUTED};
  white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }}
.att-none {{ color: {p.MUTED}; font-size: 0.9rem; padding: 1rem; text-align: center; }}
.map-caption {{ color: {p.MUTED}; font-size: 0.75rem; }}
</style>
"""
