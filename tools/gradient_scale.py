"""Per-box gradient of each config's box loss on the network's deltas, at IoU 0.965/0.813/0.523.

    python tools/gradient_scale.py configs/synthetic/faster-rcnn_r18_*_precision.py
    python tools/gradient_scale.py configs/synthetic/faster-rcnn_r18_1-smoothl1_precision.py \\
        --cfg-options model.roi_head.bbox_head.loss_bbox.beta=0.1111     # a tuning point

The loss and coder are built from the config's box head (its loss weight included; SOT on when
the config has SOTHook); see eiou_lab.analysis.gradient_scale for the set-up.
"""
import argparse
import os.path as osp
import warnings

# setuptools < 81 (pinned) warns when mmengine resolves mmdet:: configs; not ours to act on.
warnings.filterwarnings('ignore', message='pkg_resources is deprecated', category=UserWarning)

from mmengine.config import Config, DictAction  # noqa: E402


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('configs', nargs='+')
    parser.add_argument('--ious', nargs='+', type=float, default=[0.965, 0.813, 0.523])
    parser.add_argument('--cfg-options', nargs='+', action=DictAction, default={},
                        help='override settings of every config (key=value, as mmdet tools)')
    args = parser.parse_args(argv)
    from mmdet.registry import MODELS, TASK_UTILS
    from mmengine.registry import init_default_scope

    import mmdet_eiou  # noqa: F401  (registers the mmdet_eiou scope)
    from eiou_lab.analysis.gradient_scale import delta_gradient_norms
    init_default_scope('mmdet')
    print('| config | ' + ' | '.join(f'IoU {q:g}' for q in args.ious) + ' |')
    print('|---|' + '---:|' * len(args.ious))
    for path in args.configs:
        cfg = Config.fromfile(path)
        cfg.merge_from_dict(args.cfg_options)
        head = cfg.model.roi_head.bbox_head if 'roi_head' in cfg.model else cfg.model.bbox_head
        loss = MODELS.build(head.loss_bbox)
        if any(h.type == 'mmdet_eiou.SOTHook' for h in cfg.get('custom_hooks', [])):
            loss.sot = True
        norms = delta_gradient_norms(TASK_UTILS.build(head.bbox_coder), loss,
                                     head.get('reg_decoded_bbox', False), args.ious)
        name = osp.splitext(osp.basename(path))[0]
        print(f'| {name} | ' + ' | '.join(f'{norms[q]:.3f}' for q in args.ious) + ' |')


if __name__ == '__main__':
    main()
