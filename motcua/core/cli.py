"""The command-line contract shared by every `motcua` command (ARCHITECTURE.md)."""

from __future__ import annotations

import sys

from django.core.management import ManagementUtility
from django.core.management.base import BaseCommand, CommandParser

from motcua.core.startup import resume_collector


def install_one_line_errors(parser: CommandParser) -> CommandParser:
    """Bad arguments: one line on stderr, exit 2, nothing on stdout.

    Called through `call_command` (tests, other code) the parser keeps Django's behaviour of
    raising CommandError, so callers can catch it.
    """
    default_error = parser.error

    def one_line_error(message: str) -> None:
        if not getattr(parser, "called_from_command_line", True):
            default_error(message)
        sys.stderr.write(f"lỗi: {message}\n")
        sys.exit(2)

    parser.error = one_line_error  # type: ignore[method-assign]
    return parser


class CommandLine(ManagementUtility):
    """Django's manage.py as `motcua` runs it: the collector, paused by `motcua.__main__` while the
    apps load, comes back before the command runs (`motcua.core.startup`). Django calls
    `fetch_command` right after `django.setup()`, for every command, `help` and completion."""

    def fetch_command(self, subcommand: str) -> BaseCommand:
        command = super().fetch_command(subcommand)
        resume_collector()
        return command
