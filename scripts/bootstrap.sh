# Sourced by scripts/start and scripts/test: make ./.venv with the project installed.
# Works on a fresh Debian/Ubuntu machine that has only Python 3.11+ and apt.

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

apt_install() {
  if [ -z "${APT_UPDATED:-}" ]; then
    as_root apt-get update -qq
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "$@"
}

find_python() {
  for candidate in ${PYTHON:-} python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
      "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"
      return 0
    fi
  done
  echo "roadmap-bot needs Python 3.11 or newer; install it (e.g. apt-get install python3)" >&2
  return 1
}

ensure_venv() {
  # $1: the pip extra to install ("" for the bot alone, "test" for the test tools).
  # Installs only when .venv is new or pyproject.toml changed since the last install of
  # that extra, so a start needs no network once installed (and takes no 6 s of pip).
  local python wanted
  if [ ! -x .venv/bin/python ]; then
    python=$(find_python)
    if ! "$python" -m venv .venv >/dev/null 2>&1; then
      # Debian splits venv out of its python3 package.
      rm -rf .venv
      apt_install "python3-venv"
      "$python" -m venv .venv
    fi
  fi
  wanted=$(sha256sum pyproject.toml | cut -d' ' -f1)
  if venv_is_current "$wanted" "$1"; then
    return 0
  fi
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".${1:+[$1]}"
  echo "$wanted" >".venv/.installed-${1:-bot}"
}

venv_is_current() {
  # $1: the hash of pyproject.toml; $2: the extra. Every extra includes the bot itself.
  local stamp
  for stamp in .venv/.installed-${2:-*}; do  # unquoted: a glob when no extra is asked
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$1" ]; then
      return 0
    fi
  done
  return 1
}
