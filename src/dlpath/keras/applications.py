"""``keras.applications``.

Its submodules import as Keras' do (``from keras.applications.mobilenet_v2 import
preprocess_input``): each name below is also registered as
``dlpath.keras.applications.<name>``.
"""

import sys

from dlpath.applications import *  # noqa: F401,F403
from dlpath.applications import __all__  # noqa: F401
from dlpath.applications import imagenet_utils, mobilenet, mobilenet_v2, resnet, resnet50
from dlpath.applications import (densenet, efficientnet, inception_v3, mobilenet_v3, resnet_v2,
                                 vgg16, vgg19, xception)

for _module in (imagenet_utils, mobilenet, mobilenet_v2, resnet, resnet50, densenet,
                efficientnet, inception_v3, mobilenet_v3, resnet_v2, vgg16, vgg19, xception):
    sys.modules[f"{__name__}.{_module.__name__.rsplit('.', 1)[-1]}"] = _module


# A missing name raises an error pointing to docs/compatibility.md (dlpath.keras.missing).
from dlpath.keras.missing import module_getattr as _module_getattr  # noqa: E402

__getattr__ = _module_getattr(__name__)
