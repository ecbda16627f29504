"""The engine: everything that is not UI. Nothing in this package imports Textual."""
