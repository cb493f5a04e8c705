"""Writes one section of docs/benchmarks.md, leaving the others alone.

Each benchmark script owns one section, between the markers
<!-- begin NAME --> and <!-- end NAME -->; a section not yet in the file is
appended. Standard library only.
"""
import pathlib
import re

HEADER = """# Benchmarks

Every section below is written by the script it names, with the exact
command, the date and the machine; none is edited by hand. Tests never
assert times: these are the performance goals, measured.
"""


def replace_section(path, name, body):
    """Puts `body` (markdown, starting with its own heading) in section `name`."""
    path = pathlib.Path(path)
    text = path.read_text() if path.exists() else HEADER
    if not text.startswith("# Benchmarks"):
        text = HEADER
    block = "<!-- begin %s -->\n%s\n<!-- end %s -->" % (name, body.strip(), name)
    pattern = re.compile(r"<!-- begin %s -->.*?<!-- end %s -->" % (re.escape(name), re.escape(name)),
                         re.S)
    if pattern.search(text):
        text = pattern.sub(lambda _: block, text)
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    path.write_text(text)
