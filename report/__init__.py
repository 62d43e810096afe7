"""report: evidence-heavy reports as code, built into DOCX, PDF and HTML."""

__version__ = "0.1.0"
