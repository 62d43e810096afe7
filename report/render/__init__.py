"""One backend per output format, behind :class:`report.render.base.Renderer`."""
