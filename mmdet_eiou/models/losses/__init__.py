from .eiou_loss import EIoULoss, eiou_losses, set_sot
from .iou_kl_loss import IoUKLLoss, iou_kl_loss

__all__ = ['EIoULoss', 'IoUKLLoss', 'eiou_losses', 'iou_kl_loss', 'set_sot']
