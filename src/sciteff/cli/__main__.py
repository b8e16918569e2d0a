"""``python -m sciteff.cli``: the same as the ``sciteff`` command."""

import sys

from sciteff.cli.main import main

sys.exit(main())
