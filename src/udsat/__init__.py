"""udsat: Copenhagen's Politik for udsatte byområder 2025-2035 as software."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("udsat")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0"
