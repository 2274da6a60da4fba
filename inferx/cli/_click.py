"""Click, wherever this Typer keeps it: typer >= 0.28 vendors it as `typer._click`; older
releases (pyproject allows typer >= 0.12) depend on the `click` package itself."""

from __future__ import annotations

try:
    from typer._click import exceptions
    from typer._click.globals import get_current_context
except ImportError:  # pragma: no cover (typer < 0.28)
    from click import exceptions  # type: ignore[no-redef]
    from click.globals import get_current_context  # type: ignore[no-redef]

# click >= 8.2 raises this for a group called without its command; older click prints help.
NoArgsIsHelpError: type = getattr(exceptions, "NoArgsIsHelpError", type("_Never", (Exception,), {}))

__all__ = ["NoArgsIsHelpError", "exceptions", "get_current_context"]
