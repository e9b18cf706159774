"""Optional packages (fpdf2, PyAV, Pillow): imported on demand, a missing one is one clear line."""

from __future__ import annotations

import importlib
from types import ModuleType

from glassbox_game.errors import MissingPackage

__all__ = ["PACKAGES", "MissingPackage", "require"]

# module name → (PyPI package, what needs it)
PACKAGES = {
    "fpdf": ("fpdf2", "worksheets and slide PDFs"),
    "av": ("av", "MP4 clips"),
    "PIL.Image": ("pillow", "GIF clips"),
}


def require(module: str) -> ModuleType:
    """Import ``module`` or raise :class:`MissingPackage` naming the package to install."""
    try:
        return importlib.import_module(module)
    except ImportError:
        package, purpose = PACKAGES.get(module, (module, "this command"))
        raise MissingPackage(f"the {package!r} package is needed for {purpose} but is not installed: "
                             f"run ./play.sh once (it installs it) or `.venv/bin/pip install {package}`") from None
