"""Under CPU autocast, mmcv's compiled ops must get float32: they have no bfloat16 CPU kernels.

Autocast retypes torch's own ops only. mmcv's ops are compiled extensions it does not see: they
receive whatever dtype the code around them holds, and on the CPU they take float32 (NMS reads
``data_ptr<float>``: "expected scalar type Float but found BFloat16"; RoIAlign has float,
double and half kernels). An mmdet detector hands them autocast's dtype in two ways:

* NMS, a function called by the heads' post-processing (``predict_by_feat``: the RPN's
  proposals in every training step, the boxes of every prediction): mmdet makes the anchors in
  the dtype of the head's output, and the decoded boxes follow. So the heads return float32:
  boxes, scores and the losses computed from them are then float32 as well.
* mmcv's op modules (RoIAlign in the RoI extractors, which cast the RoIs to the features'
  dtype): they compute in float32 and return the dtype they were given, as the extractor
  writes their output into a buffer of the features' dtype.

Why hooks: those calls are mmdet's (RPNHead, SingleRoIExtractor, multiclass_nms), not ours, and
patching mmcv or mmdet would change them for every user of the process. The hooks live on one
model for the ``with`` block, and only while CPU autocast is on do they change anything.
CUDA needs none of this: mmcv's CUDA NMS and RoIAlign take float16, as mmdet's AMP expects.
"""
from contextlib import ExitStack, contextmanager

import torch
from mmengine.utils import apply_to

LOW_PRECISION = (torch.bfloat16, torch.float16)


def _is_low_precision(value) -> bool:
    return isinstance(value, torch.Tensor) and value.dtype in LOW_PRECISION


def _to_float32(value):
    """``value`` (tensors nested in tuples, lists, dicts) with bfloat16/float16 as float32."""
    return apply_to(value, _is_low_precision, lambda tensor: tensor.float())


def _is_mmcv_op(module: torch.nn.Module) -> bool:
    return type(module).__module__.startswith('mmcv.ops.')


def _has_box_post_processing(module: torch.nn.Module) -> bool:
    """mmdet's dense heads and RoI box heads: their outputs go to their ``predict_by_feat``."""
    return callable(getattr(module, 'predict_by_feat', None))


def _hook_heads(module: torch.nn.Module) -> torch.utils.hooks.RemovableHandle:
    def outputs_in_float32(module, args, output):
        return _to_float32(output) if torch.is_autocast_enabled('cpu') else output

    return module.register_forward_hook(outputs_in_float32)


def _hook_mmcv_op(module: torch.nn.Module) -> list:
    given = []  # the dtype each call was given, popped when it returns (calls may nest)

    def inputs_in_float32(module, args):
        dtypes = [arg.dtype for arg in args if _is_low_precision(arg)]
        given.append(dtypes[0] if dtypes and torch.is_autocast_enabled('cpu') else None)
        return None if given[-1] is None else _to_float32(args)

    def output_in_given_dtype(module, args, output):
        dtype = given.pop()
        if dtype is None:
            return output
        return apply_to(output, lambda value: isinstance(value, torch.Tensor)
                        and value.dtype == torch.float32, lambda tensor: tensor.to(dtype))

    return [module.register_forward_pre_hook(inputs_in_float32),
            module.register_forward_hook(output_in_given_dtype)]


@contextmanager
def float32_for_mmcv_ops(model: torch.nn.Module):
    """Within the block, under CPU autocast, ``model``'s heads return float32 and its mmcv op
    modules compute in float32 (see the module docstring). Outside CPU autocast it changes
    nothing. Use it around CPU-autocast training (``CPUAutocastOptimWrapper`` does) and
    inference, e.g.::

        with torch.autocast('cpu', dtype=torch.bfloat16), float32_for_mmcv_ops(model):
            results = model.test_step(data)
    """
    with ExitStack() as hooks:
        for module in model.modules():
            if _is_mmcv_op(module):
                for handle in _hook_mmcv_op(module):
                    hooks.callback(handle.remove)
            elif _has_box_post_processing(module):
                hooks.callback(_hook_heads(module).remove)
        yield model
