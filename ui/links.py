"""Links that open the document viewer, through Gradio's own HTML events.

Every result, answer, table and graph is a ``gr.HTML`` made by :meth:`Links.html`: its
``js_on_load`` (Gradio's documented hook, scoped to that component's ``element``)
turns a plain click on a viewer link (``?doc=…&start=…&end=…``, see
:func:`ui.render.open_href`) into the component's ``click`` event with the target, and
the app sends every such event to the viewer. A modified click (new tab) keeps the
link's address, which opens the viewer when loaded directly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import gradio as gr

OPEN_JS = """
element.addEventListener('click', (e) => {
  const a = e.target.closest && e.target.closest('a');
  if (!a || !element.contains(a)) return;
  if (e.button !== 0 || e.ctrlKey || e.metaKey || e.shiftKey || e.altKey) return;
  const href = a.getAttribute('href') || a.getAttribute('xlink:href') || '';
  if (!href.startsWith('?doc=')) return;
  e.preventDefault();
  const q = new URLSearchParams(href.slice(1));
  try { history.replaceState(null, '', href); } catch (err) {}
  trigger('click', {doc: q.get('doc') || '', start: q.get('start') || '',
                    end: q.get('end') || ''});
});
"""


def target_data(evt: gr.EventData) -> dict[str, str]:
    """Returns the ``doc``, ``start`` and ``end`` a link's click event carries."""
    out = {}
    for k in ("doc", "start", "end"):
        try:
            out[k] = str(getattr(evt, k) or "")
        except (AttributeError, TypeError):  # no data with the event
            out[k] = ""
    return out


@dataclass
class Links:
    """Makes the page's HTML components that may hold viewer links, and keeps them."""

    components: list[Any] = field(default_factory=list)

    def html(self, value: str = "", js: str = "", **kwargs: Any) -> gr.HTML:
        """Returns a ``gr.HTML`` whose viewer links open the viewer (``click`` event).

        Args:
            value: the first HTML.
            js: more ``js_on_load`` code for this component.
            kwargs: passed to ``gr.HTML``.
        """
        component = gr.HTML(value, js_on_load=OPEN_JS + js, **kwargs)
        self.components.append(component)
        return component
