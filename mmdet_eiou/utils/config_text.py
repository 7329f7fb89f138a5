"""mmengine's config text, formatted once per distinct text by tools/train.py and tools/test.py.
"""
import functools

from mmengine.config import config as mmengine_config
from yapf.yapflib import yapf_api


def format_config_text_once() -> None:
    """Let ``Config.pretty_text`` run yapf once per distinct config text in this process.

    A run asks for its config's text many times over: the runtime-info hook, the environment
    log, the dumped config, the visualizer's copy and every checkpoint's ``meta['cfg']``, and
    mmengine formats it with yapf's ``FormatCode`` each time (8 calls in a micro training
    with a checkpoint per iteration, about 1.5 s of its 10 s of CPU). Formatting is a function
    of the text, the style and the options alone, so a memo returns the very result yapf gave
    the first time; an edited config is another text and is formatted again. mmengine 0.10.7
    binds ``FormatCode`` at import, OneDL's mmengine looks it up in yapf at each call: both
    get the memo. Idempotent."""
    format_code = yapf_api.FormatCode
    if getattr(format_code, 'formats_once', False):
        return

    @functools.lru_cache(maxsize=8)
    def formatted(source, style_items, option_items):
        return format_code(source, style_config=dict(style_items), **dict(option_items))

    @functools.wraps(format_code)
    def format_once(source, style_config=None, **options):
        if not isinstance(source, str) or not isinstance(style_config, dict):
            return format_code(source, style_config=style_config, **options)
        key = (source, tuple(sorted(style_config.items())), tuple(sorted(options.items())))
        try:
            hash(key)
        except TypeError:  # a style or option value that cannot be a memo key
            return format_code(source, style_config=style_config, **options)
        return formatted(*key)

    format_once.formats_once = True
    yapf_api.FormatCode = format_once
    if hasattr(mmengine_config, 'FormatCode'):
        mmengine_config.FormatCode = format_once
