"""A build's identity: what names the build a DOCX came from.

Takes a document model in its JSON form (:func:`report.model.to_data` of a resolved
document, or ``model.json["document"]`` as loaded); returns ``sha256:`` and the hex
digest of its canonical JSON (sorted keys, no spaces). The DOCX backend writes it as the
custom document property :data:`BUILD_PROPERTY` (``docProps/custom.xml``), which Word and
LibreOffice keep when they save; ``report review`` reads it back to find the build, and
its model, that a reviewed file came from. Kept apart from the DOCX backend so that
reading it imports nothing heavy.
"""

from __future__ import annotations

import hashlib
import json

BUILD_PROPERTY = "ReportBuild"
# Beside the identity, what the build was made for (its model says so too, but a review
# must know it before it has the model): ``report review --base REV`` builds that
# language (``Metadata.language``) and edition of the revision again, fuzzy
# translations allowed when the build was a draft (``Metadata.draft``: "true"/"false").
LANGUAGE_PROPERTY, EDITION_PROPERTY, DRAFT_PROPERTY = "ReportLanguage", "ReportEdition", "ReportDraft"
# The git commit the sources are (report.sources.revision), when there is one: without
# build/ holding the file's build, ``report review`` builds that revision again.
REVISION_PROPERTY = "ReportRevision"
BUILT_FOR = (LANGUAGE_PROPERTY, EDITION_PROPERTY, DRAFT_PROPERTY, REVISION_PROPERTY)
CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"


def build_identity(document_data) -> str:
    """``sha256:`` + the digest of the document model's canonical JSON; the same
    document always gives the same identity."""
    text = json.dumps(document_data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()
