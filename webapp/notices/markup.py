"""The notice body's tiny markup: never raw HTML.

- a blank line separates paragraphs;
- a line starting with "- " is a list item (consecutive ones form one list);
- a line starting with "# " is a sub-heading;
- other line breaks inside a paragraph are kept.

Everything is escaped first, so "<script>" in a body shows as text.
"""
from markupsafe import Markup, escape


def render(text):
    """Markup (safe HTML) for a notice body written in the tiny markup."""
    out = []
    para, items = [], []

    def flush_para():
        if para:
            out.append("<p>" + "<br>".join(str(escape(x)) for x in para) + "</p>")
            para.clear()

    def flush_items():
        if items:
            out.append("<ul>" + "".join(f"<li>{escape(x)}</li>" for x in items) + "</ul>")
            items.clear()

    for raw in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = raw.rstrip()
        stripped = line.strip()
        if not stripped:
            flush_para()
            flush_items()
        elif stripped.startswith("- ") or stripped == "-":
            flush_para()
            items.append(stripped[2:].strip())
        elif stripped.startswith("# "):
            flush_para()
            flush_items()
            out.append(f"<h3>{escape(stripped[2:].strip())}</h3>")
        else:
            flush_items()
            para.append(stripped)
    flush_para()
    flush_items()
    return Markup("\n".join(out))


def plain(text, limit=None):
    """The body as plain text on one line (lists joined), cut to `limit` characters."""
    words = []
    for raw in (text or "").splitlines():
        s = raw.strip()
        if s.startswith("- ") or s.startswith("# "):
            s = s[2:].strip()
        if s:
            words.append(s)
    joined = "　".join(words)
    if limit and len(joined) > limit:
        return joined[: limit - 1] + "…"
    return joined
