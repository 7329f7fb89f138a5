from .iou_retina_head import IoURetinaHead, PriorsToLossRetinaHead
from .priors_to_loss_dino_head import PriorsToLossDINOHead

__all__ = ['IoURetinaHead', 'PriorsToLossDINOHead', 'PriorsToLossRetinaHead']
