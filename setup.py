"""The wheel carries the web files: templates/, static/ and locales/ stay at the top of the
source tree and are copied into the package (consent/_bundled/) when it is built."""

from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

BUNDLED = ("templates", "static", "locales")  # consent.settings.bundled() finds them there


class BuildWithWebFiles(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads them from the source tree
            return
        for name in BUNDLED:
            target = Path(self.build_lib) / "consent" / "_bundled" / name
            self.copy_tree(name, str(target))


setup(cmdclass={"build_py": BuildWithWebFiles})
