"""A page parsed into a small element tree by the standard library's HTML parser (no layout regexes)."""
from __future__ import annotations

from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Element:
    """One element: its tag, attributes, children (elements and text, in order)."""

    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Element | None):
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    def text(self) -> str:
        """Every text inside it, joined."""
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def iter(self, tag: str | None = None):
        """It and every element below it (of one tag when given), in document order."""
        if tag is None or self.tag == tag:
            yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter(tag)

    def find_all(self, tag: str, **attrs: str) -> list[Element]:
        """Elements below of that tag whose attributes hold those values (class: one of its words)."""
        def fits(e: Element) -> bool:
            for key, value in attrs.items():
                key = key.rstrip("_")
                have = e.attrs.get(key) or ""
                if key == "class" and value not in have.split() or key != "class" and have != value:
                    return False
            return True
        return [e for e in self.iter(tag) if e is not self and fits(e)]

    def find(self, tag: str, **attrs: str) -> Element | None:
        """The first such element below, or None."""
        found = self.find_all(tag, **attrs)
        return found[0] if found else None


class _Builder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs), self.current)
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Element(tag, dict(attrs), self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:  # an end tag without its start is ignored
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse_html(text: str) -> Element:
    """The document's root element."""
    builder = _Builder()
    builder.feed(text)
    builder.close()
    return builder.root


def table_rows(table: Element | None) -> tuple[list[str], list[list[str]]]:
    """A table's header texts and its body rows' cell texts (stripped); none for a table not shown (no rows)."""
    if table is None:
        return [], []
    head = table.find("thead")
    header = [c.text().strip() for c in (head or table).iter() if c.tag in ("th",)] if head else []
    body = table.find("tbody") or table
    rows = [[c.text().strip() for c in tr.children if isinstance(c, Element) and c.tag in ("td", "th")]
            for tr in body.iter("tr") if tr.parent is body or tr.parent.tag == "tbody"]
    return header, [r for r in rows if r and (not head or tr_not_header(r, header))]


def tr_not_header(row: list[str], header: list[str]) -> bool:
    """Whether a row is not the header repeated."""
    return row != header
