"""Reading a .docx as Word shows it (numbering, fields, tracked changes, notes, comments)."""
