"""Reading drafts: plain text, Markdown and Word files into provisions, matched to the
instrument's existing ones."""
