"""Translation: segments extracted to a POT catalog, locale PO files merged and applied,
and the tool's own strings ("Contents", "Page X of Y"…) in its shipped catalogs."""
