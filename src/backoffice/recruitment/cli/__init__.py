"""``backoffice recruitment ...``: one module per area adds its commands."""

from __future__ import annotations

import click


def register(main: click.Group) -> None:
    @main.group(name="recruitment")
    def recruitment() -> None:
        """Recruitment: postings, candidates, retention."""
