"""The 报头 the briefing document tests share: one monthly issue of the sample city."""

from reports.document import DocumentMeta

META = DocumentMeta(
    title="新河市经济运行月度简报",
    issuer="新河市统计局",
    period_label="2026年10月",
    issue="2026年第10期",
    classification="内部资料",
)
