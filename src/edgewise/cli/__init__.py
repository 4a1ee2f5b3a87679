"""The command line interface (the only part of edgewise that prints)."""
