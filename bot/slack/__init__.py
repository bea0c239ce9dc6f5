"""The Slack front end: Bolt listeners that turn Slack requests into queries and answers."""

from bot.slack.app import create_app

__all__ = ["create_app"]
