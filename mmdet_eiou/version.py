"""The package's version and the OpenMMLab stack it supports (requirements/mminstall.txt)."""
import re
from typing import Dict, Tuple

__version__ = '0.2.0'

#: module: (lowest supported, first unsupported) version, as measured (README "Compatibility")
SUPPORTED: Dict[str, Tuple[str, str]] = {
    'mmengine': ('0.10.7', '0.11.0'),
    'mmcv': ('2.1.0', '2.4.0'),
    'mmdet': ('3.3.0', '3.6.0'),
}


def _parse(version: str) -> Tuple[int, ...]:
    """``'3.5.1'`` -> ``(3, 5, 1)``; a suffix such as ``rc1`` or ``+cu121`` ends it."""
    match = re.match(r'(\d+)(?:\.(\d+))?(?:\.(\d+))?', version)
    return tuple(int(g or 0) for g in match.groups()) if match else ()


def check_stack(versions: Dict[str, str]) -> None:
    """Raise ``ImportError`` naming every supported range if a module's version is outside it
    (the same check for the OpenMMLab stack and the OneDL fork, which share module names)."""
    wrong = [f'{name} {versions[name]}' for name, (low, high) in SUPPORTED.items()
             if name in versions and not _parse(low) <= _parse(versions[name]) < _parse(high)]
    if wrong:
        ranges = ', '.join(f'{name}>={low},<{high}' for name, (low, high) in SUPPORTED.items())
        raise ImportError(f'mmdet_eiou {__version__} supports {ranges} (OpenMMLab or OneDL); '
                          f'found {", ".join(wrong)}. Install a supported stack, e.g. '
                          '`mim install -r requirements/mminstall.txt`.')
