"""Writing what people take away: Word documents with tracked changes, compilations."""
