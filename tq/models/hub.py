"""Finding Hugging Face models: a local path, the local HF cache, or the hub when online.

Weights load from ``safetensors`` only (no pickle). Offline, a model that is
not cached raises ``ModelUnavailable`` with one line saying what to do.
"""
from __future__ import annotations

import os
import socket
from functools import lru_cache
from pathlib import Path

from ..types import TqError

HUB_HOST = "huggingface.co"
FETCH_PATTERNS = ["*.json", "*.safetensors", "*.model", "*.spm", "*.txt", "*.tiktoken", "tokenizer*", "vocab*", "merges*"]


class ModelUnavailable(TqError):
    """A model that cannot be loaded here; checks that need it are skipped."""


@lru_cache(maxsize=1)
def hub_reachable() -> bool:
    if os.environ.get("HF_HUB_OFFLINE", "").lower() in ("1", "true", "yes"):
        return False
    try:
        socket.create_connection((HUB_HOST, 443), timeout=2).close()
        return True
    except OSError:
        return False


def offline_message(name: str) -> str:
    return (f"{name}: not in the local Hugging Face cache and the hub is unreachable; "
            f"run `tq models fetch` when online, or pass a local copy (--mt/--lm PATH)")


def load_hf(name: str, kind: str):
    """(tokenizer, model) for ``kind`` 'causal' or 'seq2seq', on the CPU in eval mode."""
    import importlib.util

    if importlib.util.find_spec("transformers") is None:
        raise ModelUnavailable(f"{name}: transformers is not installed (pip install 'tq[mt]')")
    local = Path(name).expanduser().exists()
    if not local and not is_cached(name) and not hub_reachable():
        raise ModelUnavailable(offline_message(name))  # decided before the slow import of transformers
    import transformers

    transformers.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()
    model_class = transformers.AutoModelForCausalLM if kind == "causal" else transformers.AutoModelForSeq2SeqLM
    attempts = [True] if local else [True, False] if hub_reachable() else [True]
    last_error: Exception | None = None
    for local_only in attempts:
        try:
            tokenizer = transformers.AutoTokenizer.from_pretrained(name, local_files_only=local_only)
            model = model_class.from_pretrained(name, local_files_only=local_only, use_safetensors=True)
            model.eval()
            return tokenizer, model
        except (OSError, ValueError) as exc:
            last_error = exc
    if local:
        raise ModelUnavailable(f"{name}: cannot load ({_first_line(last_error)})")
    if not hub_reachable():
        raise ModelUnavailable(offline_message(name))
    raise ModelUnavailable(f"{name}: cannot load ({_first_line(last_error)})")


def is_cached(name: str) -> bool:
    """True when a hub model's files are in the local cache (or ``name`` is a local folder)."""
    if Path(name).expanduser().exists():
        return True
    try:
        from huggingface_hub import try_to_load_from_cache
    except ImportError:
        return False
    found = try_to_load_from_cache(name, "config.json")
    return isinstance(found, str)


def fetch(name: str) -> str:
    """Download a hub model (safetensors and tokenizer files) into the HF cache; returns its folder."""
    if Path(name).expanduser().exists():
        return str(Path(name).expanduser())
    if not hub_reachable():
        raise ModelUnavailable(f"{name}: the Hugging Face hub is unreachable from here (offline)")
    try:
        from huggingface_hub import snapshot_download
    except ImportError:
        raise ModelUnavailable("huggingface_hub is not installed (pip install 'tq[mt]')") from None
    return snapshot_download(name, allow_patterns=FETCH_PATTERNS)


def _first_line(error: Exception | None) -> str:
    return str(error).strip().splitlines()[0] if error and str(error).strip() else type(error).__name__
