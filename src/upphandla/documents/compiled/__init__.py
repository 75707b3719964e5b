"""The bundled document templates, compiled by tools/compile_templates.py. Do not edit."""
