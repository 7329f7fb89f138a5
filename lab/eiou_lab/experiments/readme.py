"""Tables generated into a markdown file (README's "Results"), between markers that name the
study and split they come from:

    <!-- table: configs/studies/precision_retinanet.py test -->
    ... (generated: the study's headline table on that split)
    <!-- end table -->

``update_tables(text, make)`` rewrites every such block with ``make(study_path, split)``; text
outside the markers is the author's.
"""
import re
from typing import Callable

BLOCK = re.compile(r'(<!-- table: (\S+) (val|test) -->\n)(.*?)(<!-- end table -->)', re.S)


def update_tables(text: str, make: Callable[[str, str], str]) -> str:
    """``text`` with each marked block's body replaced by ``make(study path, split)``."""
    return BLOCK.sub(lambda m: m.group(1) + make(m.group(2), m.group(3)) + m.group(5), text)


def marked_tables(text: str):
    """``[(study path, split), ...]`` of the blocks in ``text``."""
    return [(m.group(2), m.group(3)) for m in BLOCK.finditer(text)]
