"""Settings from the environment and .env (prefix BOT_), validated once at start-up."""

from __future__ import annotations

import os
import re
import zoneinfo
from pathlib import Path
from typing import Annotated, Literal
from urllib.parse import unquote

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

_URL = re.compile(r"^(?P<driver>[a-z][a-z0-9_+]*)://(?P<rest>\S*)$")
# What follows "driver://", split the way SQLAlchemy's make_url splits it.
_URL_REST = re.compile(
    r"(?:[^:/]*(?::[^@]*)?@)?(?:(?:\[[^/?]+\]|[^/:?]+)?(?::(?P<port>[^/?]*))?)?"
    r"(?:/(?P<database>[^?]*))?"
)
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
SUPPORTED_DRIVERS = ("sqlite+aiosqlite", "postgresql+asyncpg")
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./data/bot.db"
# People paste URLs without the async driver; these are the drivers they mean.
_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
}


class Settings(BaseSettings):
    """Everything the bot can be configured with; see .env.example for each setting."""

    model_config = SettingsConfigDict(
        env_prefix="BOT_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    database_url: SecretStr = Field(default=SecretStr(DEFAULT_DATABASE_URL))
    log_level: LogLevel = "INFO"
    log_json: bool = False
    data_dir: Path = Path("data")
    default_timezone: str = "UTC"
    auto_migrate: bool = True
    content_dir: Path | None = None
    event_retention_days: Annotated[int, Field(ge=1, le=365)] = 7
    # How often the reminder timer looks for members to remind; the tables decide who.
    reminder_check_minutes: Annotated[float, Field(gt=0, le=60)] = 5.0
    # `run` with no platform tokens stops with a one-line hint instead of starting the terminal
    # chat. The Docker image sets it: a container's stdin is closed, so the chat would only exit.
    require_platform: bool = False

    # Platform credentials. Secret types: pydantic prints them as '**********'.
    discord_token: SecretStr | None = None
    # Large deployments route REST calls through a shared rate-limit proxy; tests use a fake.
    discord_api_base: str = "https://discord.com/api/v10"
    discord_gateway_url: str = "wss://gateway.discord.gg"
    discord_moderator_role: str | None = None  # role name or id; Manage Server always counts
    discord_message_content: bool = False  # privileged intent; mentions and DMs work without
    discord_application_id: int | None = None  # for `discord-invite`; read from the token if unset
    # Discord's global limit is 50 requests a second per bot; a bot granted more can say so.
    discord_requests_per_second: int = Field(default=50, ge=1, le=10_000)
    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_base: str = "https://slack.com/api/"  # GovSlack and proxies need another
    slack_mode: Literal["auto", "http", "socket"] = "auto"  # auto: socket when an app token is set
    slack_host: str = "0.0.0.0"  # noqa: S104 - the HTTP listener sits behind your proxy
    slack_port: int = 3000
    slack_path: str = "/slack/events"
    slack_command: str = "/roadmap"
    slack_moderator_group: str | None = None  # user group id; admins and owners always count

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_log_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("database_url")
    @classmethod
    def _check_database_url(cls, value: SecretStr) -> SecretStr:
        # Checked by hand rather than with SQLAlchemy's parser: importing SQLAlchemy costs a
        # fifth of a second that `roadmap-bot ask` (no database) should not pay.
        match = _URL.match(value.get_secret_value().strip())
        if match is None:
            # Never echo the value: a database URL may carry a password.
            message = f"is not a database URL (expected e.g. {DEFAULT_DATABASE_URL})"
            raise ValueError(message) from None
        driver = _ASYNC_DRIVERS.get(match["driver"], match["driver"])
        if driver not in SUPPORTED_DRIVERS:
            raise ValueError(f"uses driver {driver!r}; supported: {', '.join(SUPPORTED_DRIVERS)}")
        rest = _URL_REST.match(match["rest"])
        port = rest["port"] if rest else None
        if port and not (port.isascii() and port.isdigit() and int(port) <= 65535):
            raise ValueError("has a port that is not a number from 0 to 65535")
        database = unquote(rest["database"] or "") if rest else ""
        if driver.startswith("sqlite") and database not in ("", ":memory:"):
            problem = (
                None
                if database.startswith("file:")
                else _path_problem(Path(database).expanduser(), want="file")
            )
            if problem:
                raise ValueError(f"names a database file that {problem}")
        return SecretStr(f"{driver}://{match['rest']}")

    @field_validator("data_dir")
    @classmethod
    def _check_data_dir(cls, value: Path) -> Path:
        problem = _path_problem(value, want="folder")
        if problem:
            raise ValueError(f"{value} {problem}")
        return value

    @field_validator("content_dir")
    @classmethod
    def _check_content_dir(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_dir():
            raise ValueError(f"{value} is not a folder" if value.exists() else f"{value} not found")
        return value

    @field_validator("default_timezone")
    @classmethod
    def _check_timezone(cls, value: str) -> str:
        try:
            zoneinfo.ZoneInfo(value)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"{value!r} is not an IANA timezone such as Europe/Berlin") from None
        return value

    def database_url_for_display(self) -> str:
        """Return the database URL with any password hidden."""
        from sqlalchemy.engine import make_url

        return make_url(self.database_url.get_secret_value()).render_as_string(hide_password=True)


def _path_problem(path: Path, want: Literal["file", "folder"]) -> str | None:
    """Return why the bot could not create or use path (a file or a folder), or None."""
    if path.exists():
        if want == "folder" and not path.is_dir():
            return "is a file, not a folder"
        if want == "file" and path.is_dir():
            return "is a folder"
        return None if os.access(path, os.W_OK) else "is not writable"
    # The bot creates what is missing; the nearest part that exists must be a writable folder.
    parent = path.absolute().parent
    while not parent.exists():
        parent = parent.parent
    if not parent.is_dir():
        return f"cannot be created: {parent} is a file, not a folder"
    if not os.access(parent, os.W_OK):
        return f"cannot be created: {parent} is not writable"
    return None


class SettingsError(Exception):
    """Settings could not be loaded; the message is one line naming the setting."""


def load_settings(**overrides: object) -> Settings:
    """Load settings from the environment and .env, raising SettingsError when one is bad."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as error:
        first = error.errors()[0]
        name = "BOT_" + str(first["loc"][0]).upper() if first["loc"] else "settings"
        message = first["msg"].removeprefix("Value error, ")
        more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
        raise SettingsError(f"invalid setting {name}: {message}{more}") from None
