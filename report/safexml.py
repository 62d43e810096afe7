"""Untrusted XML (an imported or reviewed Word file's parts, a translator's XLIFF) parsed safely.

:func:`hardened_parser` gives the one lxml parser for such input: no entity expansion,
no DTD loading or validation, no network, no huge trees; comments and processing
instructions dropped. :func:`declares_entities` tells whether a parsed tree still
carries a DOCTYPE, an internal subset or entity references, which the callers refuse
with their own located diagnostic (IMP006, XLF002).
"""

from __future__ import annotations

from lxml import etree


def hardened_parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                           dtd_validation=False, remove_comments=True, remove_pis=True)


def declares_entities(root) -> bool:
    tree = root.getroottree()
    return bool(tree.docinfo.doctype) or tree.docinfo.internalDTD is not None or \
        any(True for _ in root.iter(etree.Entity))
