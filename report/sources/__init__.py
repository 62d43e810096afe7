"""Reading the project's files into located records. No Markdown parsing here."""
