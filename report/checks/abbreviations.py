"""Abbreviations spelled out before they are used, and used once defined.

Reads ``references/abbreviations.yaml`` (report.sources.abbreviations) in the build's
language and the text as the author wrote it (the parsed document: body and free
notes in reading order, a note at its call; not the notes the citation style wrote,
nor the list of abbreviations itself). Codes:

- ABB002 (warning): an abbreviation's first use comes before its expansion is written
  out, "Organization for Security and Co-operation in Europe (OSCE)" being the usual
  way, at that first use;
- ABB003 (warning): an abbreviation the report never uses, at its entry;
- ABB001 (error): a malformed entry (the reader's).
"""

from __future__ import annotations

import re

from report.checks import CheckContext
from report.diagnostics import Diagnostic, warning
from report.sources.abbreviations import read_abbreviations
from report.transforms.abbreviations import document_text, used_in


def abbreviation_rules(context: CheckContext) -> list[Diagnostic]:
    abbreviations, problems = read_abbreviations(context.config.root)
    if not abbreviations:
        return problems
    chunks = document_text(context.source)
    starts, text = [], ""
    for chunk, _ in chunks:
        starts.append(len(text))
        text += chunk + " "
    language = context.source.metadata.language
    for abbreviation, expansion, where in abbreviations.in_language(language, context.config.language):
        first = used_in(text, abbreviation)
        if first is None:
            problems.append(warning("ABB003", f"'{abbreviation}' is defined and never used", where,
                                    "remove it from references/abbreviations.yaml, or use it"))
            continue
        # the expansion's words, whatever spaces or line breaks stand between them
        spelled = re.search(r"\s+".join(map(re.escape, expansion.split())), text, re.IGNORECASE)
        if spelled is None or spelled.start() > first.start():
            chunk = max(i for i, start in enumerate(starts) if start <= first.start())
            problems.append(warning("ABB002", f"'{abbreviation}' is used before it is spelled out", chunks[chunk][1],
                                    f"write '{expansion} ({abbreviation})' where it is first used"))
    return problems


RULES = [abbreviation_rules]
