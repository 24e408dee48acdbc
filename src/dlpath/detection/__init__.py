"""Object detection: boxes (IoU, NMS), the grid detector's targets and loss, COCO's mAP.

pycocotools is imported only by `mean_average_precision`, when it runs.
"""

from dlpath.detection.boxes import batched_nms, box_area, box_iou, nms
from dlpath.detection.coco import mean_average_precision, to_coco
from dlpath.detection.grid import Grid, decode, encode, encode_all
from dlpath.detection.loss import LAMBDA_COORD, LAMBDA_NOOBJ, grid_detection_loss

__all__ = [
    "box_area", "box_iou", "nms", "batched_nms", "Grid", "encode", "encode_all", "decode",
    "grid_detection_loss", "LAMBDA_COORD", "LAMBDA_NOOBJ", "mean_average_precision",
    "to_coco",
]
