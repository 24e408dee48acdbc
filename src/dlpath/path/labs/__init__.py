"""Labs: exercises whose checks run the learner's code (or model) and record the attempt.

A lab is data (``definitions/<id>.yaml``: task, hints, check titles, mistake messages), a
reference solution (``solutions/<id>.py``, the solved lab file) and a checks module
(``checks/<id>.py``); see :mod:`dlpath.path.labs.checking`.
"""
