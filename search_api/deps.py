"""The routes' dependencies, one per resource, as ``Annotated`` aliases tests can override.

The index is opened in one place (:func:`open_index`, also what the UI calls); each service
over it (answers, precedent, requirements) is kept once per open index (:func:`service`).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Protocol, TypeVar

from fastapi import Depends, FastAPI, Request

from index.errors import IndexMissing
from index.search import SearchIndex
from index.writer import Writer
from search_api.settings import Settings


def get_settings(request: Request) -> Settings:
    """Returns the app's settings."""
    return request.app.state.settings  # type: ignore[no-any-return]


def open_index(app: FastAPI, create: bool = False) -> SearchIndex:
    """Returns the app's open index, opening it on first use.

    Args:
        app: the app (its ``state`` holds the settings and the index).
        create: create an empty index when there is none (so the first upload builds it).

    Raises:
        IndexMissing: no index has been built yet and ``create`` is false.
    """
    index = app.state.index
    if index is None:
        settings: Settings = app.state.settings
        try:
            index = settings.open_index()
        except IndexMissing:
            if not create:
                raise
            index = settings.open_index(create=True)
        app.state.index = index
    return index  # type: ignore[no-any-return]


def get_index(request: Request) -> SearchIndex:
    """The open index (503 when none is built yet)."""
    return open_index(request.app)


def get_or_create_index(request: Request) -> SearchIndex:
    """The open index, or a new, empty one the first upload builds."""
    return open_index(request.app, create=True)


def get_writer(request: Request) -> Writer:
    """The app's write path (upload, delete, reindex), built once from its settings."""
    writer = getattr(request.app.state, "writer", None)
    if writer is None:
        writer = get_settings(request).writer()
        request.app.state.writer = writer
    return writer  # type: ignore[no-any-return]


IndexDep = Annotated[SearchIndex, Depends(get_index)]
WritableIndexDep = Annotated[SearchIndex, Depends(get_or_create_index)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
WriterDep = Annotated[Writer, Depends(get_writer)]


class _Service(Protocol):
    index: SearchIndex


S = TypeVar("S", bound=_Service)


def service(kind: Callable[[SearchIndex, Path], S]) -> Callable[..., S]:
    """A dependency that keeps one ``kind(index, root)`` per open index.

    A service caches what it reads of the index (raw files, the requirements table); a
    new index (after an upload created one) gets a new service.
    """
    name = getattr(kind, "__name__", repr(kind))

    def get(request: Request, index: IndexDep, settings: SettingsDep) -> S:
        services: dict[str, Any] | None = getattr(request.app.state, "services", None)
        if services is None:
            services = request.app.state.services = {}
        cached = services.get(name)
        if cached is None or cached.index is not index:
            cached = kind(index, settings.root)
            services[name] = cached
        return cached  # type: ignore[no-any-return]

    get.__doc__ = f"The app's {name} for the open index."
    return get
