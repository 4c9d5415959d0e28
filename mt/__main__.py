"""``python -m mt``."""

import sys

from mt.cli import main

sys.exit(main())
