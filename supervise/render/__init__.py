"""Renderers of the document model (supervise.document): `markdown.render(doc) -> str` and
`docx.render(doc, out)` writing a Word file (GB/T 9704 layout) into a binary file.

They take any `Document` — a briefing, a notice, a ranking — and alone decide how its text is
escaped or laid out; every string in the model is plain text, shown literally.
"""
