"""Import an office plan table (.xlsx, .docx, .csv) into project or county-list records.

readers (one per format) → a common grid of text rows → header mapping → record
building → YAML out and a Chinese report. Nothing here raises on a bad file:
`TableError` carries the Chinese message the CLI prints.
"""
