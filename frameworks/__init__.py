"""The bundled frameworks. Installed as ``competency.frameworks``; found with importlib.resources."""
