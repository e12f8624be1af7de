"""The bundled frameworks (``competency.frameworks``), found with importlib.resources."""
