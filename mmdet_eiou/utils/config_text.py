"""mmengine's config text, formatted once per distinct text (tools/train.py, tools/test.py)."""
import functools


def format_config_text_once() -> None:
    """Let ``Config.pretty_text`` run yapf once per distinct config text in this process.

    mmengine formats a run's config text with yapf's ``FormatCode`` for the runtime-info hook,
    the environment log, the dump, the visualizer and every checkpoint (8 calls in a micro
    training with a checkpoint per iteration: 0.7-1.8 s of its 9-12 s of CPU). The result
    depends on the text, the style and the options alone, so a memo returns what yapf gave
    the first time; an edited config is another text. mmengine 0.10.7 binds ``FormatCode``
    at import, OneDL's mmengine looks it up in yapf at each call: both get the memo.
    Idempotent."""
    # imported here: `import mmdet_eiou` need not load yapf (OneDL's mmengine does not)
    from mmengine.config import config as mmengine_config
    from yapf.yapflib import yapf_api
    format_code = yapf_api.FormatCode
    if getattr(format_code, 'formats_once', False):
        return

    @functools.lru_cache(maxsize=8)
    def formatted(source, style_items, option_items):
        return format_code(source, style_config=dict(style_items), **dict(option_items))

    @functools.wraps(format_code)
    def format_once(source, style_config=None, **options):
        try:
            key = (source, tuple(sorted(style_config.items())), tuple(sorted(options.items())))
            hash(key)
        except (AttributeError, TypeError):  # a style that is no dict, or no memo key
            return format_code(source, style_config=style_config, **options)
        return formatted(*key)

    format_once.formats_once = True
    yapf_api.FormatCode = format_once
    if hasattr(mmengine_config, 'FormatCode'):
        mmengine_config.FormatCode = format_once
