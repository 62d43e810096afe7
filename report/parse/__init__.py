"""Markdown → model. markdown-it tokens never leave this package."""
