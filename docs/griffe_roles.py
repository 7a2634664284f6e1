"""A Griffe extension for the API reference: the docstrings' reST touches, read as Markdown.

seqkeras' docstrings are Google style, with a few reStructuredText habits that Markdown would
print literally:

- roles such as :func:`pad` or :class:`~seqkeras.grading.Outcome` become links to the object's
  entry in the reference when it has one (looked up from the docstring's own scope outwards,
  as Sphinx does), and plain code otherwise (private or undocumented names, other libraries);
- a paragraph ending in "::" (which introduces an indented example) ends in ":".
"""

from __future__ import annotations

import re
from typing import Any

from griffe import Alias, Extension, GriffeLoader, Module, Object

ROLE = re.compile(r":(?:py:)?(?:class|func|meth|attr|data|mod|exc|obj|const):`([^`]+)`")
LITERAL_BLOCK = re.compile(r"(\S)::[ \t]*\n(?=[ \t]*\n)")


class ReSTRoles(Extension):
    """Rewrite the docstrings of every object of a loaded package (see the module docstring)."""

    def on_package(self, *, pkg: Module, loader: GriffeLoader, **kwargs: Any) -> None:
        self._loader = loader
        self._rewrite(pkg)

    def _rewrite(self, obj: Object) -> None:
        if obj.docstring is not None:
            text = ROLE.sub(lambda m: self._link(m.group(1), obj), obj.docstring.value)
            obj.docstring.value = LITERAL_BLOCK.sub(r"\1:\n", text)
        for member in obj.members.values():
            if not isinstance(member, Alias):
                self._rewrite(member)

    def _link(self, target: str, scope: Object) -> str:
        """Markdown for one role: a cross-reference if the target is documented, else code."""
        short = target.startswith("~")
        name = target.lstrip("~.")
        shown = name.rsplit(".", 1)[-1] if short else name
        path = self._resolve(name, scope)
        if path is None or any(part.startswith("_") for part in path.split(".")):
            return f"`{shown}`"
        return f"[`{shown}`][{path}]"

    def _resolve(self, name: str, scope: Object) -> str | None:
        """The full path of ``name`` seen from ``scope`` (its object, then its parents)."""
        candidates = [name] if name.startswith("seqkeras") else []
        node: Object | None = scope
        while node is not None:
            candidates.append(f"{node.path}.{name}")
            node = node.parent
        for path in candidates:
            try:
                found = self._loader.modules_collection[path]
                documented = found.docstring is not None  # the reference shows only these
            except (KeyError, ValueError, AttributeError):
                continue
            return path if documented else None
        return None
