"""The report of an exchange, a plain record: the writers in io fill it, and the command
line and the window tell it in the same words."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ExchangeReport:
    """What an exchange file could not carry, carried as another kind of thing, or held
    against its schema: told on the command line (one line each, or JSON) and in the
    window, as the REFI-QDA standard asks."""

    lost: tuple[str, ...] = ()
    recast: tuple[str, ...] = ()
    off_standard: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        """One line each, saying which kind it is."""
        return [*(f"lost: {line}" for line in self.lost),
                *(f"re-cast: {line}" for line in self.recast),
                *(f"not to the standard: {line}" for line in self.off_standard)]

    def as_json(self) -> dict[str, list[str]]:
        return {"lost": list(self.lost), "recast": list(self.recast),
                "off_standard": list(self.off_standard)}
