"""One module per `mt` subcommand, each with ``register(subparsers)``."""
