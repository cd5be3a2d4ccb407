/**
 * A tiny DOM builder for the webviews. Text is only ever set through text nodes (`textContent`), never parsed
 * as HTML, so model output and error messages stay inert text. Attributes go through `setAttribute`, which
 * refuses event-handler and style attributes (the CSP forbids inline styles and handlers anyway).
 */
export type Child = Node | string | number | null | undefined | false;
export type Attrs = Record<string, string | number | boolean | null | undefined>;

export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (/^on/i.test(name) || name.toLowerCase() === 'style' || name.toLowerCase() === 'srcdoc')
      throw new Error(`el(): attribute "${name}" is not allowed`);
    node.setAttribute(name, value === true ? '' : String(value));
  }
  append(node, ...children);
  return node;
}

export function append(parent: Node, ...children: (Child | Child[])[]): void {
  for (const c of children.flat()) {
    if (c === null || c === undefined || c === false) continue;
    parent.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
  }
}

export function clear(node: Node): void {
  while (node.firstChild) node.removeChild(node.firstChild);
}

/** Replaces the children of `node`, keeping keyboard focus on the element with the same data-focus-key. */
export function replaceChildren(node: HTMLElement, ...children: (Child | Child[])[]): void {
  const active = node.ownerDocument.activeElement;
  const key = active && node.contains(active) ? active.getAttribute('data-focus-key') : null;
  clear(node);
  append(node, ...children);
  if (key) {
    const again = node.querySelector<HTMLElement>(`[data-focus-key="${cssEscape(key)}"]`);
    again?.focus();
  }
}

export function cssEscape(s: string): string {
  return s.replace(/["\\]/g, '\\$&');
}
