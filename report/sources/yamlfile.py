"""YAML with locations: values plus the line and column of every key and item.

PyYAML's composed nodes carry marks; we keep them so a registry or config
diagnostic can point at ``path:line:col``. Duplicate mapping keys, which PyYAML
accepts silently, are reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from report.diagnostics import Diagnostic, Location, error
from report.errors import ReportError


@dataclass
class Located:
    """A loaded YAML document and where each value came from.

    ``locations`` maps a path of keys and indices, e.g. ``("sections", 2)``, to the
    location of that value (for mapping entries: of the key); ``value_locations`` maps
    the path of a mapping entry to where its value starts, and is None unless
    ``load_yaml(..., value_locations=True)`` asked for it (it is as large as ``locations``)."""

    data: object
    locations: dict = field(default_factory=dict)
    origin: Location | None = None
    value_locations: dict | None = None

    def where(self, *path) -> Location:
        """The location of ``path``, or of its nearest located ancestor."""
        path = tuple(path)
        while path:
            if path in self.locations:
                return self.locations[path]
            path = path[:-1]
        return self.locations.get((), self.origin or Location("?"))

    def value_where(self, *path) -> Location:
        """Where the value of the mapping entry at ``path`` starts (``victims: civilians``:
        at ``civilians``); for any other path, :meth:`where`. Needs a document loaded
        with ``value_locations=True``."""
        if self.value_locations is None:
            raise ValueError("value_where needs load_yaml(..., value_locations=True)")
        found = self.value_locations.get(tuple(path))
        return found if found is not None else self.where(*path)


# LibYAML's parser is ten times faster on large registries and keeps node marks.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _compose(text: str, loader_class):
    loader = loader_class(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def _yaml_error(exc, text: str, path: str, line_offset: int, code: str) -> Diagnostic:
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        where = _mark_location(mark, path, line_offset) if mark else Location(path, 1 + line_offset, 1)
        return error(code, f"malformed YAML: {exc.problem or exc.context or 'malformed YAML'}", where)
    if isinstance(exc, yaml.reader.ReaderError):
        line = text.count("\n", 0, exc.position) + 1
        col = exc.position - (text.rfind("\n", 0, exc.position) + 1) + 1
        return error(code, f"malformed YAML: character {exc.character!r} is not allowed",
                     Location(path, line + line_offset, col))
    return error(code, f"malformed YAML: {exc}", Location(path, 1 + line_offset, 1))


def _mark_location(mark, path: str, line_offset: int) -> Location:
    return Location(path, mark.line + 1 + line_offset, mark.column + 1)


def load_yaml(text: str, path: str, line_offset: int = 0, code: str = "YAML001",
              value_locations: bool = False) -> Located:
    """Parse ``text`` (from ``path``, starting ``line_offset`` lines into the file);
    ``value_locations`` keeps where each mapping entry's value starts (for ``value_where``).

    Raises ReportError with a located diagnostic when the YAML is malformed or
    has duplicate keys."""
    try:
        node = _compose(text, _Loader)
    except yaml.YAMLError:
        # LibYAML's messages and marks are vaguer: ask the pure-Python parser, which
        # fails on the same input, for the diagnostic.
        try:
            node = _compose(text, yaml.SafeLoader)
        except yaml.YAMLError as exc:
            raise ReportError(_yaml_error(exc, text, path, line_offset, code)) from None
    located = Located(None, {}, Location(path, 1 + line_offset, 1), {} if value_locations else None)
    if node is None:
        return located
    problems: list[Diagnostic] = []
    located.data = _construct(node, (), located, path, line_offset, problems, code, yaml.constructor.SafeConstructor())
    if problems:
        raise ReportError(problems)
    return located


def _construct(node, keypath, located, path, line_offset, problems, code, constructor):
    located.locations.setdefault(keypath, _mark_location(node.start_mark, path, line_offset))
    if isinstance(node, yaml.MappingNode):
        result = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                problems.append(error(code, "mapping keys must be plain values",
                                      _mark_location(key_node.start_mark, path, line_offset)))
                continue
            key = _scalar(key_node, path, line_offset, problems, code, constructor)
            key_where = _mark_location(key_node.start_mark, path, line_offset)
            if key == "<<":
                problems.append(error(code, "YAML merge keys are not supported", key_where))
                continue
            if key in result:
                problems.append(error(code, f"duplicate key '{key}'", key_where))
                continue
            entry = keypath + (key,)
            result[key] = _construct(value_node, entry, located, path, line_offset, problems, code, constructor)
            # _construct located the entry at its value; keep that if asked, and locate the entry at its key.
            if located.value_locations is not None:
                located.value_locations[entry] = located.locations[entry]
            located.locations[entry] = key_where
        return result
    if isinstance(node, yaml.SequenceNode):
        return [_construct(item, keypath + (i,), located, path, line_offset, problems, code, constructor)
                for i, item in enumerate(node.value)]
    return _scalar(node, path, line_offset, problems, code, constructor)


def _scalar(node, path, line_offset, problems, code, constructor):
    try:
        return constructor.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as exc:
        # ValueError: YAML timestamps such as 2016-13-45 that are not real dates.
        problems.append(error(code, f"malformed YAML value: {getattr(exc, 'problem', None) or exc}",
                              _mark_location(node.start_mark, path, line_offset)))
        return None
