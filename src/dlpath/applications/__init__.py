"""``keras.applications``: image models with Keras' architectures, layer names and
parameter counts, built with random weights or loaded with Keras' published ones.

- `MobileNet` (4,253,864 parameters at 224x224x3 with the top), `MobileNetV2`
  (3,538,984), `ResNet50` (25,636,712): ``include_top``, ``weights`` (None, ``"imagenet"``
  or a file), ``input_shape``, ``input_tensor``, ``pooling``, ``classes``,
  ``classifier_activation``, as in Keras. ``weights="imagenet"`` downloads Keras' ``.h5``
  file with `dlpath.utils.get_file` (reading it needs h5py); offline, the error says how
  to pass a local copy.
- `CifarResNet`: dlpath's own small ResNet (20 layers by default) for 32x32 images, which
  a CPU trains on CIFAR-10; not part of Keras.
- Per-model modules with ``preprocess_input`` and ``decode_predictions``:
  ``mobilenet``, ``mobilenet_v2``, ``resnet`` / ``resnet50``, and ``imagenet_utils``.
"""

from dlpath.applications import imagenet_utils, mobilenet, mobilenet_v2, resnet, resnet50
from dlpath.applications.cifar_resnet import CifarResNet
from dlpath.applications.mobilenet import MobileNet
from dlpath.applications.mobilenet_v2 import MobileNetV2
from dlpath.applications.resnet import ResNet50

__all__ = ["MobileNet", "MobileNetV2", "ResNet50", "CifarResNet", "imagenet_utils",
           "mobilenet", "mobilenet_v2", "resnet", "resnet50"]
