"""Allow `python -m bot`, the same as the `roadmap-bot` command."""

import sys

from bot.cli import main

sys.exit(main())
