"""Shared dependencies of the routes, as ``Annotated`` aliases tests can override."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from index.errors import IndexMissing
from index.search import SearchIndex
from search_api.settings import Settings


def get_settings(request: Request) -> Settings:
    """Returns the app's settings."""
    return request.app.state.settings  # type: ignore[no-any-return]


def get_index(request: Request) -> SearchIndex:
    """Returns the open index, opening it on first use.

    Raises:
        IndexMissing: no index has been built yet.
    """
    index = request.app.state.index
    if index is None:
        settings: Settings = request.app.state.settings
        try:
            index = settings.open_index()
        except IndexMissing:
            raise
        request.app.state.index = index
    return index  # type: ignore[no-any-return]


IndexDep = Annotated[SearchIndex, Depends(get_index)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
