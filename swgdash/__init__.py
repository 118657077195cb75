"""SWG Dashboard: how sector working groups function, from validated extracts."""
__version__ = "0.1.0"
