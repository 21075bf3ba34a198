"""roadmap-bot: a community bot that helps people become backend developers."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("roadmap-bot")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0.0.0+unknown"
