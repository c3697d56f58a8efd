"""The demo province: ``load_demo`` fills an empty database and returns the table of its log-ins."""

from .loader import LOGINS_FILE, load_demo

__all__ = ["LOGINS_FILE", "load_demo"]
