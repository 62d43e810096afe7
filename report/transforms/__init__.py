"""Model → model: resolve citations, number notes, (later) apply a locale."""
