"""Element walks by prefixed names and the values they read, shared by UBL and CII.

A :class:`Walk` turns a path of prefixed names (``"cac:Party"``, ``"ram:ID"``) into
Clark names with the binding's own ``clark`` function and follows it with
``iterchildren``, which matches tags in C: no ElementPath or XPath is parsed or evaluated
per call, which keeps validation fast.

>>> from lxml import etree
>>> walk = Walk(lambda name: "{urn:x}" + name.partition(":")[2])
>>> root = etree.fromstring(b'<a xmlns="urn:x"><b><c>1</c><c>2<d>3</d></c></b></a>')
>>> walk.text(root, "x:b", "x:c"), walk.texts(root, "x:b", "x:c"), walk.text(root, "x:e")
('1', ['1', '23'], None)
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from lxml import etree

__all__ = ["Walk", "boolean", "location", "string"]

_BOOLEAN = {"true": True, "1": True, "false": False, "0": False}


def boolean(value: str | None) -> bool | None:
    """``xs:boolean`` of ``value`` (white space around it allowed), ``None`` if absent or not one.

    >>> boolean(" 1 "), boolean("false"), boolean("yes"), boolean(None)
    (True, False, None, None)
    """
    return None if value is None else _BOOLEAN.get(value.strip())


def string(el: etree._Element) -> str:
    """The string value of an element: its text and its descendants' text."""
    return "".join(map(str, el.itertext()))


class Walk:
    """``child``/``children``/``text`` along paths of prefixed names of one syntax."""

    __slots__ = ("_clark",)

    def __init__(self, clark: Callable[[str], str]) -> None:
        # The names are literals of the bindings, a few hundred at most: remembering each
        # one's Clark name makes a step one dictionary lookup.
        self._clark = cache(clark)

    def child(self, el: etree._Element | None, *names: str) -> etree._Element | None:
        """The first element at the path of prefixed names below ``el``."""
        for name in names:
            if el is None:
                return None
            # iterchildren matches the tag in C; find() would parse it as an ElementPath.
            el = next(el.iterchildren(self._clark(name)), None)
        return el

    def children(self, el: etree._Element | None, *names: str) -> list[etree._Element]:
        """All elements at the path of prefixed names below ``el`` (like an XPath path)."""
        found = [] if el is None else [el]
        for name in names:
            tag = self._clark(name)
            found = [c for parent in found for c in parent.iterchildren(tag)]
        return found

    def text(self, el: etree._Element | None, *names: str) -> str | None:
        """The text of the first element at the path, ``""`` if empty, ``None`` if absent."""
        found = self.child(el, *names)
        return None if found is None else string(found)

    def texts(self, el: etree._Element | None, *names: str) -> list[str]:
        """The texts of all elements at the path, in document order."""
        return [string(node) for node in self.children(el, *names)]


def location(el: etree._Element, prefixes: Mapping[str, str]) -> str:
    """The path of ``el`` from the root with the syntax's ``prefixes`` (``{ns}`` -> ``cac``).

    A step gets a position (``cac:InvoiceLine[2]``) where its parent has several children
    of the same name, like the paths of the bindings. A namespace without a prefix (UBL's
    document element) is written bare.
    """
    steps = []
    node: etree._Element | None = el
    while node is not None:
        tag = str(node.tag)
        namespace, _, local = tag.rpartition("}")
        prefix = prefixes.get(namespace + "}")
        step = f"{prefix}:{local}" if prefix else local
        parent = node.getparent()
        if parent is not None:
            same = list(parent.iterchildren(tag))
            if len(same) > 1:
                step += f"[{same.index(node) + 1}]"
        steps.append(step)
        node = parent
    return "/" + "/".join(reversed(steps))
