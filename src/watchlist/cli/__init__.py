"""Command-line interface (Typer + Rich). Thin: calls the engine and formats results."""
