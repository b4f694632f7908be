"""The C2SP tlog-tiles static layout of a tree: which stored hashes and journal records a tile path names.

A hash tile at level L, index N holds the hashes of the tree's nodes at height 8L from N*256 on: 256 of them
when full, W when partial (`.p/W`, the right edge of the tree). An entry bundle holds the leaves' bytes, each
prefixed with its length as a big-endian uint16. Paths write N in groups of three digits, every group but the
last prefixed with `x`: 1234067 is `x001/x234/067`.
"""

from dataclasses import dataclass

TILE_HEIGHT = 8
TILE_WIDTH = 1 << TILE_HEIGHT
MAX_LEVEL = 63 // TILE_HEIGHT  # a tree of 2**63 leaves at most


class NoSuchTile(ValueError):
    """The path names no tile, or a tile (or width of it) the tree does not have yet."""


@dataclass(frozen=True)
class Tile:
    level: int | None  # None: an entry bundle
    index: int
    width: int  # TILE_WIDTH for a full tile

    @property
    def node_level(self) -> int:
        return (self.level or 0) * TILE_HEIGHT

    @property
    def first(self) -> int:
        """The first node (or leaf) index the tile holds, at its level."""
        return self.index * TILE_WIDTH


def index_path(index: int) -> str:
    groups = f"{index:d}"
    groups = groups.zfill(-(-len(groups) // 3) * 3)
    parts = [groups[i : i + 3] for i in range(0, len(groups), 3)]
    return "/".join([f"x{p}" for p in parts[:-1]] + [parts[-1]])


def tile_path(tile: Tile) -> str:
    kind = "entries" if tile.level is None else str(tile.level)
    partial = "" if tile.width == TILE_WIDTH else f".p/{tile.width}"
    return f"tile/{kind}/{index_path(tile.index)}{partial}"


def parse_tile(kind: str, path: str) -> Tile:
    """The tile of `tile/<kind>/<path>`; kind is a level (0 to 7) or `entries`."""
    level = None if kind == "entries" else _level(kind)
    index_part, width = _width(path)
    return Tile(level, _index(index_part), width)


def _level(kind: str) -> int:
    if not (kind.isdecimal() and kind.isascii() and str(int(kind)) == kind and int(kind) <= MAX_LEVEL):
        raise NoSuchTile(f"no tile level {kind!r}: levels are 0 to {MAX_LEVEL}")
    return int(kind)


def _width(path: str) -> tuple[str, int]:
    if ".p/" not in path:
        return path, TILE_WIDTH
    index_part, width = path.split(".p/", 1)
    if not (width.isdecimal() and width.isascii() and str(int(width)) == width and 0 < int(width) < TILE_WIDTH):
        raise NoSuchTile(f"no partial tile width {width!r}: widths are 1 to {TILE_WIDTH - 1}")
    return index_part, int(width)


def _index(path: str) -> int:
    *upper, last = path.split("/")
    groups = [g[1:] for g in upper if g.startswith("x")] + [last]
    if len(groups) != len(upper) + 1 or any(not (len(g) == 3 and g.isdecimal() and g.isascii()) for g in groups):
        raise NoSuchTile(f"no tile index {path!r}: write it in groups of three digits, such as x001/x234/067")
    if len(groups) > 1 and groups[0] == "000":
        raise NoSuchTile(f"no tile index {path!r}: no leading group of zeros")
    return int("".join(groups))


def available_width(tile: Tile, tree_size: int) -> int:
    """How many of the tile's hashes (or entries) a tree of `tree_size` leaves has: 0 to TILE_WIDTH."""
    complete = tree_size >> tile.node_level
    return max(0, min(TILE_WIDTH, complete - tile.first))


def entry_bundle(leaves: list[bytes]) -> bytes:
    for leaf in leaves:
        if len(leaf) > 0xFFFF:
            raise ValueError(f"a leaf of {len(leaf)} bytes does not fit an entry bundle")
    return b"".join(len(leaf).to_bytes(2, "big") + leaf for leaf in leaves)
