"""Our own HTML subset (what the blocks emit) → a neutral block model: paragraphs of runs,
lists, pictures, rules and tables, for writers that are not a browser (the Word writer).

A stdlib `html.parser` walk: unknown tags are transparent (their text is kept), script and
style content is dropped, and only `data:` images become pictures (any other source is
dropped, never fetched)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

BLOCK_TAGS = {
    "p", "div", "section", "article", "header", "footer", "nav", "main", "aside", "address",
    "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "dl", "dt", "dd", "blockquote", "pre",
    "figure", "figcaption", "table", "caption", "thead", "tbody", "tfoot", "tr", "td", "th", "hr",
}  # fmt: skip
DROPPED_TAGS = {"script", "style", "head", "title", "template", "noscript"}
EMBEDDABLE = re.compile(r"data:image/(svg\+xml|png)[;,]", re.IGNORECASE)


@dataclass
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    code: bool = False


@dataclass
class Para:
    style: str | None = None
    runs: list[Run] = field(default_factory=list)
    numbering: tuple[int, int] | None = None  # (list id, level) for an <ol> item
    align: str | None = None  # "center" / "right"
    preformatted: bool = False


@dataclass
class Picture:
    src: str  # a data: image; anything else never reaches the model


@dataclass
class Rule:
    pass


@dataclass
class Row:
    cells: list[list[Block]] = field(default_factory=list)
    header: bool = False  # inside <thead>
    all_th: bool = True


@dataclass
class Table:
    rows: list[Row] = field(default_factory=list)


Block = Para | Picture | Rule | Table


class _HtmlToBlocks(HTMLParser):
    """One section body (our controlled HTML subset) → a list of blocks.

    Unknown tags are transparent (their text is kept); script/style content is dropped."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.out = self.blocks  # where new blocks go: the body or the current table cell
        self.para: Para | None = None
        self.bold = self.italic = self.code = self.pre = self.quote = self.dropped = 0
        self.heading: int | None = None
        self.caption = False
        self.lists: list[tuple[str, int]] = []  # (ul|ol, list id)
        self.list_ids = 0
        self.item_fresh = False  # the next paragraph starts a list item (gets its number)
        self.table: Table | None = None
        self.table_depth = 0
        self.table_out: list[Block] = self.blocks
        self.in_thead = False
        self.cell_align: str | None = None

    # paragraphs

    def _paragraph(self) -> Para:
        if self.para is not None:
            return self.para
        para = Para(align=self.cell_align)
        if self.heading is not None:
            para.style = "Heading 2" if self.heading <= 3 else "Heading 3"
        elif self.caption:
            para.style, para.align = "Caption", "center"
        elif self.lists:
            kind, list_id = self.lists[-1]
            level = min(len(self.lists), 3)
            suffix = "" if level == 1 else f" {level}"
            if self.item_fresh:
                para.style = ("List Number" if kind == "ol" else "List Bullet") + suffix
                if kind == "ol":
                    para.numbering = (list_id, level)
                self.item_fresh = False
            else:
                para.style = "List Continue" + suffix
        elif self.quote:
            para.style = "Quote"
        para.preformatted = self.pre > 0
        self.out.append(para)
        self.para = para
        return para

    def _end_paragraph(self) -> None:
        para, self.para = self.para, None
        if para is None:
            return
        if para.preformatted:
            if para.runs:
                para.runs[-1].text = para.runs[-1].text.rstrip("\n")
        else:
            while para.runs and not para.runs[-1].text.rstrip(" "):
                para.runs.pop()
            if para.runs:
                para.runs[-1].text = para.runs[-1].text.rstrip(" ")
        if not para.runs and para in self.out:
            self.out.remove(para)

    def _add_text(self, text: str) -> None:
        if not self.pre:
            text = re.sub(r"[ \t\r\n\f]+", " ", text)
            last = self.para.runs[-1].text if self.para and self.para.runs else ""
            if not last or last.endswith((" ", "\n")):
                text = text.lstrip(" ")
            if not text:
                return
        para = self._paragraph()
        para.runs.append(Run(text, self.bold > 0, self.italic > 0, self.code > 0 or self.pre > 0))

    # parser callbacks

    def handle_data(self, data: str) -> None:
        if not self.dropped:
            self._add_text(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in DROPPED_TAGS:
            self.dropped += 1
            return
        if self.dropped:
            return
        if tag in BLOCK_TAGS and not (self.table_depth > 1 and tag in ("tr", "td", "th")):
            self._end_paragraph()
        classes = (dict(attrs).get("class") or "").split()
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.heading = int(tag[1])
        elif tag == "figcaption":
            self.caption = True
        elif tag == "blockquote":
            self.quote += 1
        elif tag == "pre":
            self.pre += 1
        elif tag in ("ul", "ol"):
            self.list_ids += 1
            self.lists.append((tag, self.list_ids))
            self.item_fresh = False
        elif tag == "li":
            self.item_fresh = bool(self.lists)
        elif tag in ("b", "strong"):
            self.bold += 1
        elif tag in ("i", "em"):
            self.italic += 1
        elif tag == "code":
            self.code += 1
        elif tag == "br":
            self._paragraph().runs.append(Run("\n"))
        elif tag == "hr":
            self.out.append(Rule())
        elif tag == "img":
            src = dict(attrs).get("src") or ""
            if EMBEDDABLE.match(src.strip()):  # http:, file: and the rest: dropped, not fetched
                self._end_paragraph()
                self.out.append(Picture(src.strip()))
        else:
            self._table_start(tag, classes)

    def _table_start(self, tag: str, classes: list[str]) -> None:
        if tag == "table":
            self.table_depth += 1
            if self.table_depth == 1:
                self.table = Table()
                self.out.append(self.table)
                self.table_out = self.out
        elif self.table is None or self.table_depth > 1:
            return  # table parts outside a table, or of a nested one: text only
        elif tag == "thead":
            self.in_thead = True
        elif tag == "tr":
            self.table.rows.append(Row(header=self.in_thead))
        elif tag in ("td", "th"):
            if not self.table.rows:
                self.table.rows.append(Row(header=self.in_thead))
            row = self.table.rows[-1]
            row.all_th = row.all_th and tag == "th"
            row.cells.append([])
            self.out = row.cells[-1]
            self.cell_align = "right" if "num" in classes else None
            if tag == "th":
                self.bold += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in DROPPED_TAGS:
            self.dropped = max(0, self.dropped - 1)
            return
        if self.dropped:
            return
        nested_cell = self.table_depth > 1 and tag in ("tr", "td", "th")
        if tag in BLOCK_TAGS and not nested_cell:
            self._end_paragraph()
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self.heading = None
        elif tag == "figcaption":
            self.caption = False
        elif tag == "blockquote":
            self.quote = max(0, self.quote - 1)
        elif tag == "pre":
            self.pre = max(0, self.pre - 1)
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
        elif tag == "li":
            self.item_fresh = False
        elif tag in ("b", "strong"):
            self.bold = max(0, self.bold - 1)
        elif tag in ("i", "em"):
            self.italic = max(0, self.italic - 1)
        elif tag == "code":
            self.code = max(0, self.code - 1)
        elif tag == "table":
            self.table_depth = max(0, self.table_depth - 1)
            if self.table_depth == 0:
                self.table, self.out, self.in_thead = None, self.table_out, False
                self.cell_align = None
        elif tag == "thead":
            self.in_thead = False
        elif tag in ("td", "th") and not nested_cell and self.table is not None:
            self.out, self.cell_align = self.table_out, None
            if tag == "th":
                self.bold = max(0, self.bold - 1)

    def close(self) -> None:
        super().close()
        self._end_paragraph()


def html_blocks(html: str) -> list[Block]:
    parser = _HtmlToBlocks()
    parser.feed(html)
    parser.close()
    return parser.blocks
