"""Imports every domain's models.py so SQLModel.metadata knows every table."""

from __future__ import annotations

import importlib
import pkgutil

from sqlalchemy import MetaData
from sqlmodel import SQLModel

import consent


def load_all() -> MetaData:
    for info in pkgutil.iter_modules(consent.__path__):
        if info.ispkg and importlib.util.find_spec(f"consent.{info.name}.models"):
            importlib.import_module(f"consent.{info.name}.models")
    return SQLModel.metadata
