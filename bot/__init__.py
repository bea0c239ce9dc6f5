"""C5 Brief: verifiable briefings from a fixed set of articles, in Slack and on the console."""

import os

# Pydantic looks for third-party plugins (entry points) when it first builds a schema; this
# app uses none, and the scan costs a few milliseconds of every start. An explicit setting wins.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
