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
- `VGG16`, `VGG19`, `ResNet101`, `ResNet152`, `ResNet50V2`, `ResNet101V2`, `ResNet152V2`,
  `DenseNet121` / ``169`` / ``201``, `Xception`, `InceptionV3`, `MobileNetV3Small` /
  ``Large`` and `EfficientNetB0` .. ``B7``: Keras' layers, names and parameter counts.
- Per-model modules with ``preprocess_input`` and ``decode_predictions``:
  ``mobilenet``, ``mobilenet_v2``, ``resnet`` / ``resnet50``, ``vgg16``, ``vgg19``,
  ``resnet_v2``, ``densenet``, ``xception``, ``inception_v3``, ``mobilenet_v3``,
  ``efficientnet``, and ``imagenet_utils``.
"""

from dlpath.applications import imagenet_utils, mobilenet, mobilenet_v2, resnet, resnet50
from dlpath.applications import (densenet, efficientnet, inception_v3, mobilenet_v3, resnet_v2,
                                 vgg16, vgg19, xception)
from dlpath.applications.cifar_resnet import CifarResNet
from dlpath.applications.densenet import DenseNet121, DenseNet169, DenseNet201
from dlpath.applications.efficientnet import (EfficientNetB0, EfficientNetB1, EfficientNetB2,
                                              EfficientNetB3, EfficientNetB4, EfficientNetB5,
                                              EfficientNetB6, EfficientNetB7)
from dlpath.applications.inception_v3 import InceptionV3
from dlpath.applications.mobilenet import MobileNet
from dlpath.applications.mobilenet_v2 import MobileNetV2
from dlpath.applications.mobilenet_v3 import MobileNetV3Large, MobileNetV3Small
from dlpath.applications.resnet import ResNet50
from dlpath.applications.resnet_deep import ResNet101, ResNet152
from dlpath.applications.resnet_v2 import ResNet50V2, ResNet101V2, ResNet152V2
from dlpath.applications.vgg import VGG16, VGG19
from dlpath.applications.xception import Xception

__all__ = ["MobileNet", "MobileNetV2", "ResNet50", "CifarResNet", "imagenet_utils",
           "mobilenet", "mobilenet_v2", "resnet", "resnet50",
           "VGG16", "VGG19", "ResNet101", "ResNet152", "ResNet50V2", "ResNet101V2",
           "ResNet152V2", "DenseNet121", "DenseNet169", "DenseNet201", "Xception",
           "InceptionV3", "MobileNetV3Small", "MobileNetV3Large", "EfficientNetB0",
           "EfficientNetB1", "EfficientNetB2", "EfficientNetB3", "EfficientNetB4",
           "EfficientNetB5", "EfficientNetB6", "EfficientNetB7", "vgg16", "vgg19",
           "resnet_v2", "densenet", "xception", "inception_v3", "mobilenet_v3",
           "efficientnet"]
